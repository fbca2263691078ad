package dev.wavoice.bridge;

import dev.wavoice.audio.AudioCodec;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.gagravarr.ogg.OggFile;
import org.gagravarr.ogg.OggPacket;
import org.gagravarr.ogg.OggPacketWriter;

/**
 * Writes 20 ms frames of interleaved 16-bit PCM as an Ogg/Opus stream (RFC 7845): Opus by concentus, the
 * Ogg pages by vorbis-java-core. The identification header goes alone on the first page and the comment
 * header on the second, as the RFC asks; audio follows one page a second (50 packets: never split across
 * pages, so every page's granule position is exact). Granule positions count 48 kHz samples whatever the
 * input rate. Not thread-safe: one writer thread per file.
 */
final class OggOpusWriter implements AutoCloseable {

  /** Opus's granule clock (RFC 7845 §4). */
  static final int GRANULE_RATE = 48_000;
  private static final int PACKETS_PER_PAGE = 50;
  private static final int MAX_PACKET_BYTES = 1275;

  private final OggFile ogg;
  private final OggPacketWriter packets;
  private final OpusEncoder encoder;
  private final int frameSamples;
  private final int granulePerFrame;
  private final byte[] packet = new byte[MAX_PACKET_BYTES];
  private final int channels;
  private final int preSkip;
  private long granule;
  private int pending;
  private long frames;

  /**
   * @param sampleRate the input rate: 8, 12, 16, 24 or 48 kHz
   * @param channels 1 or 2 (interleaved)
   * @param bitrateBps the encoder's target bitrate
   */
  OggOpusWriter(OutputStream out, int sampleRate, int channels, int bitrateBps) throws IOException {
    try {
      encoder = new OpusEncoder(sampleRate, channels, OpusApplication.OPUS_APPLICATION_AUDIO);
    } catch (OpusException e) {
      throw new IllegalStateException("cannot create the Opus encoder: " + e.getMessage(), e);
    }
    encoder.setBitrate(bitrateBps);
    encoder.setComplexity(3);
    // two independent voices, one per channel: the voice (SILK) mode's joint stereo bleeds one into the other
    encoder.setSignalType(OpusSignal.OPUS_SIGNAL_MUSIC);
    encoder.setUseDTX(false);
    this.channels = channels;
    frameSamples = sampleRate * AudioCodec.FRAME_MS / 1000;
    granulePerFrame = GRANULE_RATE * AudioCodec.FRAME_MS / 1000;
    preSkip = encoder.getLookahead() * (GRANULE_RATE / sampleRate);
    ogg = new OggFile(out);
    packets = ogg.getPacketWriter();
    packets.bufferPacket(new OggPacket(identificationHeader(channels, preSkip, sampleRate)), 0);
    packets.flush();
    packets.bufferPacket(new OggPacket(commentHeader()), 0);
    packets.flush();
  }

  /** Samples per channel in one 20 ms frame. */
  int frameSamples() {
    return frameSamples;
  }

  /** Frames written so far. */
  long frames() {
    return frames;
  }

  /** Encodes and appends one 20 ms frame: {@link #frameSamples()} × channels interleaved samples. */
  void write(short[] interleaved) throws IOException {
    int length;
    try {
      length = encoder.encode(interleaved, 0, frameSamples, packet, 0, MAX_PACKET_BYTES);
    } catch (OpusException e) {
      throw new IOException("Opus encoding failed: " + e.getMessage(), e);
    }
    byte[] data = new byte[length];
    System.arraycopy(packet, 0, data, 0, length);
    granule += granulePerFrame;
    packets.bufferPacket(new OggPacket(data), granule);
    frames++;
    if (++pending == PACKETS_PER_PAGE) {
      packets.flush();
      pending = 0;
    }
  }

  /** Writes the last page (end of stream) and closes the output. */
  @Override
  public void close() throws IOException {
    try {
      if (pending == 0) {
        write(new short[frameSamples * channels]); // the end-of-stream flag needs a packet to ride on
      }
      packets.close();
    } finally {
      ogg.close();
    }
  }

  /** RFC 7845 §5.1: "OpusHead", version 1, channels, pre-skip, input rate, gain 0, mapping family 0. */
  private static byte[] identificationHeader(int channels, int preSkip, int sampleRate) {
    return ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN)
        .put("OpusHead".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1)
        .put((byte) channels)
        .putShort((short) preSkip)
        .putInt(sampleRate)
        .putShort((short) 0)
        .put((byte) 0)
        .array();
  }

  /** RFC 7845 §5.2: "OpusTags", the vendor string, no comments. */
  private static byte[] commentHeader() {
    byte[] vendor = "wavoice".getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN)
        .put("OpusTags".getBytes(StandardCharsets.US_ASCII))
        .putInt(vendor.length)
        .put(vendor)
        .putInt(0)
        .array();
  }
}
