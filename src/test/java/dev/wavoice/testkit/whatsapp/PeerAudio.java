package dev.wavoice.testkit.whatsapp;

import dev.wavoice.testkit.audio.Tones;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The WhatsApp peer's audio, coded here with concentus because the peer itself carries no Opus codec:
 * the tone it sends (20 ms Opus packets at 48 kHz mono, each written as a 16-bit big-endian length and
 * the bytes) and what it heard (its recording of every RTP packet, decoded and measured).
 */
public final class PeerAudio {

  public static final int SAMPLE_RATE = 48_000;
  static final int FRAME_SAMPLES = 960;
  /** WhatsApp's offer asks for maxaveragebitrate=20000. */
  static final int BITRATE = 20_000;
  /** Frames of silence or near-silence (below this level) are left out of the measurements. */
  static final double AUDIBLE_DBFS = -50;

  /**
   * What the peer heard: decoded audio and its measurements over the audible frames of the last 5 s; packets
   * missing from the sequence, and the longest wait between two arrivals. Packet {@code k} (in arrival order)
   * decoded to the samples from {@code packetStarts[k]} on and arrived at {@code arrivalNanos[k]} (the wall
   * clock, nanoseconds since the Unix epoch).
   */
  public record Heard(short[] pcm, long audioMs, Double rmsDbfs, Double dominantHz, int packets, int lostPackets, long maxGapMs,
      int[] packetStarts, long[] arrivalNanos) {}

  private PeerAudio() {}

  /** Writes {@code seconds} of a {@code hz} sine (-13.5 dBFS RMS), Opus-coded, to {@code file}. */
  public static void writeTone(Path file, double hz, int seconds) {
    writeTone(file, hz, seconds, 9800);
  }

  /** As {@link #writeTone(Path, double, int)} at {@code amplitude} (0: silence, encoded as a client would). */
  public static void writeTone(Path file, double hz, int seconds, int amplitude) {
    try {
      OpusEncoder encoder = new OpusEncoder(SAMPLE_RATE, 1, OpusApplication.OPUS_APPLICATION_VOIP);
      encoder.setBitrate(BITRATE);
      encoder.setUseInbandFEC(true);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      byte[] packet = new byte[1275];
      for (int frame = 0; frame < seconds * 50; frame++) {
        short[] pcm = Tones.sine(hz, SAMPLE_RATE, (long) frame * FRAME_SAMPLES, FRAME_SAMPLES, amplitude);
        int length = encoder.encode(pcm, 0, FRAME_SAMPLES, packet, 0, packet.length);
        out.writeShort(length);
        out.write(packet, 0, length);
      }
      Files.write(file, bytes.toByteArray());
    } catch (OpusException e) {
      throw new IllegalStateException("Opus encoding failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes the peer's recording (per packet: arrival on the wall clock in ns since the Unix epoch u64, sequence
   * u16, timestamp u32, payload type u8, length u16, payload) keeping the packets of {@code opusPayloadType}, in
   * arrival order.
   */
  public static Heard read(Path recording, int opusPayloadType) {
    if (!Files.exists(recording)) {
      return new Heard(new short[0], 0, null, null, 0, 0, 0, new int[0], new long[0]);
    }
    try (InputStream file = Files.newInputStream(recording); DataInputStream in = new DataInputStream(file)) {
      OpusDecoder decoder = new OpusDecoder(SAMPLE_RATE, 1);
      short[] pcm = new short[SAMPLE_RATE * 120];
      short[] frame = new short[5760];
      int samples = 0;
      int packets = 0;
      int lost = 0;
      long maxGapNanos = 0;
      long lastArrival = -1;
      int lastSequence = -1;
      int[] starts = new int[1024];
      long[] arrivals = new long[1024];
      while (true) {
        long arrival;
        try {
          arrival = in.readLong();
        } catch (EOFException end) {
          break;
        }
        int sequence = in.readUnsignedShort();
        in.readInt();
        int payloadType = in.readUnsignedByte();
        byte[] payload = in.readNBytes(in.readUnsignedShort());
        if (payloadType != opusPayloadType) {
          continue;
        }
        packets++;
        if (lastSequence >= 0) {
          lost += Math.max(0, ((sequence - lastSequence) & 0xFFFF) - 1);
          maxGapNanos = Math.max(maxGapNanos, arrival - lastArrival);
        }
        lastSequence = sequence;
        lastArrival = arrival;
        if (packets > starts.length) {
          starts = Arrays.copyOf(starts, starts.length * 2);
          arrivals = Arrays.copyOf(arrivals, arrivals.length * 2);
        }
        starts[packets - 1] = samples;
        arrivals[packets - 1] = arrival;
        int decoded = decoder.decode(payload, 0, payload.length, frame, 0, frame.length, false);
        if (samples + decoded > pcm.length) {
          pcm = Arrays.copyOf(pcm, pcm.length * 2);
        }
        System.arraycopy(frame, 0, pcm, samples, decoded);
        samples += decoded;
      }
      return measure(Arrays.copyOf(pcm, samples), packets, lost, maxGapNanos / 1_000_000, Arrays.copyOf(starts, packets),
          Arrays.copyOf(arrivals, packets));
    } catch (OpusException e) {
      throw new IllegalStateException("the peer received Opus that does not decode: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Heard measure(short[] pcm, int packets, int lost, long maxGapMs, int[] starts, long[] arrivals) {
    int from = Math.max(0, pcm.length - 5 * SAMPLE_RATE);
    short[] audible = new short[pcm.length - from];
    int kept = 0;
    for (int start = from; start + FRAME_SAMPLES <= pcm.length; start += FRAME_SAMPLES) {
      short[] frame = Arrays.copyOfRange(pcm, start, start + FRAME_SAMPLES);
      if (Tones.rmsDbfs(frame) > AUDIBLE_DBFS) {
        System.arraycopy(frame, 0, audible, kept, FRAME_SAMPLES);
        kept += FRAME_SAMPLES;
      }
    }
    long audioMs = pcm.length * 1000L / SAMPLE_RATE;
    if (kept == 0) {
      return new Heard(pcm, audioMs, null, null, packets, lost, maxGapMs, starts, arrivals);
    }
    short[] measured = Arrays.copyOf(audible, kept);
    return new Heard(pcm, audioMs, Tones.rmsDbfs(measured), Tones.dominantHz(measured, SAMPLE_RATE), packets, lost, maxGapMs,
        starts, arrivals);
  }
}
