package dev.wavoice.testkit.audio;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.gagravarr.ogg.OggPacket;
import org.gagravarr.ogg.OggPacketReader;

/**
 * Decodes an Ogg/Opus file completely (RFC 7845), not trusting its header: the identification and
 * comment headers are checked, every audio packet is decoded by concentus at 48 kHz, the pre-skip is
 * dropped, and the last granule position must agree with the audio decoded.
 */
public final class OggOpusReader {

  public static final int RATE = 48_000;

  /** The decoded audio, one array per channel at 48 kHz, and the header's input rate. */
  public record Decoded(short[][] channels, int inputRate, long granule) {

    public double seconds() {
      return channels[0].length / (double) RATE;
    }

    /** Samples of {@code channel} from {@code fromMs} to {@code toMs}. */
    public short[] slice(int channel, long fromMs, long toMs) {
      int from = (int) Math.min(channels[channel].length, fromMs * RATE / 1000);
      int to = (int) Math.min(channels[channel].length, toMs * RATE / 1000);
      return Arrays.copyOfRange(channels[channel], from, to);
    }
  }

  private OggOpusReader() {}

  public static Decoded decode(byte[] file) throws IOException {
    OggPacketReader reader = new OggPacketReader(new ByteArrayInputStream(file));
    OggPacket head = reader.getNextPacket();
    if (head == null || !startsWith(head.getData(), "OpusHead")) {
      throw new IOException("not Ogg/Opus: the first packet is not OpusHead");
    }
    ByteBuffer h = ByteBuffer.wrap(head.getData()).order(ByteOrder.LITTLE_ENDIAN);
    int channels = h.get(9) & 0xFF;
    int preSkip = h.getShort(10) & 0xFFFF;
    int inputRate = h.getInt(12);
    OggPacket tags = reader.getNextPacket();
    if (tags == null || !startsWith(tags.getData(), "OpusTags")) {
      throw new IOException("the second packet is not OpusTags");
    }
    OpusDecoder decoder;
    try {
      decoder = new OpusDecoder(RATE, channels);
    } catch (OpusException e) {
      throw new IOException(e);
    }
    short[] frame = new short[5760 * channels];
    short[] all = new short[RATE * channels];
    int samples = 0;
    long granule = 0;
    OggPacket packet;
    while ((packet = reader.getNextPacket()) != null) {
      if (packet.getData().length == 0) {
        continue;
      }
      int n;
      try {
        n = decoder.decode(packet.getData(), 0, packet.getData().length, frame, 0, 5760, false);
      } catch (OpusException e) {
        throw new IOException("an audio packet does not decode: " + e.getMessage(), e);
      }
      if ((samples + n) * channels > all.length) {
        all = Arrays.copyOf(all, Math.max(all.length * 2, (samples + n) * channels));
      }
      System.arraycopy(frame, 0, all, samples * channels, n * channels);
      samples += n;
      granule = packet.getGranulePosition();
    }
    if (granule != samples) {
      throw new IOException("the last granule position " + granule + " disagrees with the " + samples + " samples decoded");
    }
    int kept = Math.max(0, samples - preSkip);
    short[][] out = new short[channels][kept];
    for (int i = 0; i < kept; i++) {
      for (int c = 0; c < channels; c++) {
        out[c][i] = all[(preSkip + i) * channels + c];
      }
    }
    return new Decoded(out, inputRate, granule);
  }

  private static boolean startsWith(byte[] data, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    return data.length >= m.length && Arrays.equals(Arrays.copyOf(data, m.length), m);
  }
}
