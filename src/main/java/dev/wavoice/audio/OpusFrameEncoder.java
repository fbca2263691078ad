package dev.wavoice.audio;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * Encodes 20 ms frames of 48 kHz mono PCM to Opus packets with concentus (no hand-written Opus).
 *
 * <p>Mono: the leg's {@code opus/48000/2} is RFC 7587's fixed rtpmap form; without {@code stereo=1} the
 * receiver prefers mono, and speech gains nothing from two channels. VOIP application, voice signal,
 * wideband at most and the configured bitrate (WhatsApp's offers ask for
 * {@code maxplaybackrate=16000;maxaveragebitrate=20000}, and Kurento forwards our packets to WhatsApp
 * untouched in Opus mode). In-band FEC is on, because those packets cross the internet after Kurento.
 * One instance per call; not thread-safe.
 */
public final class OpusFrameEncoder {

  public static final int SAMPLE_RATE = 48_000;
  public static final int FRAME_SAMPLES = SAMPLE_RATE * AudioCodec.FRAME_MS / 1000;
  /** Upper bound of one encoded packet; the encoder lowers quality for a frame rather than exceed it. */
  public static final int MAX_PACKET_BYTES = 400;
  private static final int EXPECTED_LOSS_PERCENT = 5;

  private final OpusEncoder encoder;
  private final byte[] silencePacket;

  public OpusFrameEncoder(int bitrateBps, int complexity) {
    try {
      encoder = new OpusEncoder(SAMPLE_RATE, 1, OpusApplication.OPUS_APPLICATION_VOIP);
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
    int length = encode(new short[FRAME_SAMPLES], 0, packet, 0);
    silencePacket = java.util.Arrays.copyOf(packet, length);
    encoder.resetState();
  }

  /**
   * Encodes one 20 ms frame ({@link #FRAME_SAMPLES} samples from {@code pcm[off]}) into {@code out}
   * (room for {@link #MAX_PACKET_BYTES}) and returns the packet length.
   */
  public int encode(short[] pcm, int off, byte[] out, int outOff) {
    try {
      return encoder.encode(pcm, off, FRAME_SAMPLES, out, outOff, MAX_PACKET_BYTES);
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
