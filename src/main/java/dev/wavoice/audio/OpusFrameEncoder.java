package dev.wavoice.audio;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * Encodes 20 ms frames of mono PCM to Opus packets with concentus (no hand-written Opus), at 48 kHz
 * or at any other rate Opus takes (wavoice's bot audio is OpenAI's 24 kHz: encoding it as it is costs
 * about a fifth less than resampling it to 48 kHz first, and the packets are the same kind; an Opus
 * packet does not depend on the encoder's input rate, and RTP counts 48 kHz for it anyway).
 *
 * <p>Mono: the leg's {@code opus/48000/2} is RFC 7587's fixed rtpmap form; without {@code stereo=1} the
 * receiver prefers mono, and speech gains nothing from two channels. VOIP application, voice signal,
 * wideband at most and the configured bitrate (WhatsApp's offers ask for
 * {@code maxplaybackrate=16000;maxaveragebitrate=20000}, and Kurento forwards our packets to WhatsApp
 * untouched in Opus mode). In-band FEC is on, because those packets cross the internet after Kurento.
 * One instance per call; not thread-safe.
 */
public final class OpusFrameEncoder {

  /** Opus's RTP clock, and the input rate of {@link #OpusFrameEncoder(int, int)}. */
  public static final int SAMPLE_RATE = 48_000;
  /** Samples of a 20 ms frame at 48 kHz. */
  public static final int FRAME_SAMPLES = SAMPLE_RATE * AudioCodec.FRAME_MS / 1000;
  /** Upper bound of one encoded packet; the encoder lowers quality for a frame rather than exceed it. */
  public static final int MAX_PACKET_BYTES = 400;
  private static final int EXPECTED_LOSS_PERCENT = 5;

  private final OpusEncoder encoder;
  private final int frameSamples;
  private final byte[] silencePacket;

  /** An encoder of {@code sampleRate} input: 8, 12, 16, 24 or 48 kHz. */
  public OpusFrameEncoder(int sampleRate, int bitrateBps, int complexity) {
    frameSamples = sampleRate * AudioCodec.FRAME_MS / 1000;
    try {
      encoder = new OpusEncoder(sampleRate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
    } catch (OpusException e) {
      throw new IllegalStateException("cannot create the Opus encoder: " + e.getMessage(), e);
    }
    encoder.setBitrate(bitrateBps);
    encoder.setComplexity(complexity);
    encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
    encoder.setMaxBandwidth(OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND);
    encoder.setUseInbandFEC(true);
    encoder.setPacketLossPercent(EXPECTED_LOSS_PERCENT);
    encoder.setUseDTX(false); // a frame every 20 ms, always: media keeps the far side alive
    // the silence frame the pacer sends when the queue is empty: encoded once, then the state is reset
    byte[] packet = new byte[MAX_PACKET_BYTES];
    int length = encode(new short[frameSamples], 0, packet, 0);
    silencePacket = java.util.Arrays.copyOf(packet, length);
    encoder.resetState();
  }

  /** Samples of one 20 ms frame at this encoder's input rate. */
  public int frameSamples() {
    return frameSamples;
  }

  /**
   * Encodes one 20 ms frame ({@link #frameSamples()} samples from {@code pcm[off]}) into {@code out}
   * (room for {@link #MAX_PACKET_BYTES}) and returns the packet length.
   */
  public int encode(short[] pcm, int off, byte[] out, int outOff) {
    try {
      return encoder.encode(pcm, off, frameSamples, out, outOff, MAX_PACKET_BYTES);
    } catch (OpusException e) {
      throw new IllegalStateException("Opus encoding failed: " + e.getMessage(), e);
    }
  }

  /** A copy of the packet for a 20 ms frame of digital silence. */
  public byte[] silencePacket() {
    return silencePacket.clone();
  }

  /** Starts afresh (after a flush), so the next packet does not predict from discarded audio. */
  public void reset() {
    encoder.resetState();
  }
}
