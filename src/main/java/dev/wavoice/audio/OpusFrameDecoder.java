package dev.wavoice.audio;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;

/**
 * Decodes Opus packets (any valid duration up to 120 ms) to 48 kHz mono PCM with concentus, and
 * conceals lost audio with Opus's packet-loss concealment. A stereo stream is mixed down to mono by
 * the decoder. One instance per call; not thread-safe; the output buffer is reused.
 */
public final class OpusFrameDecoder {

  public static final int SAMPLE_RATE = 48_000;
  /** The longest Opus packet: 120 ms. */
  public static final int MAX_SAMPLES = SAMPLE_RATE * 120 / 1000;
  /** Concealment works in multiples of 2.5 ms. */
  private static final int PLC_GRANULE = SAMPLE_RATE / 400;

  private final OpusDecoder decoder;
  private final short[] pcm = new short[MAX_SAMPLES];

  public OpusFrameDecoder() {
    try {
      decoder = new OpusDecoder(SAMPLE_RATE, 1);
    } catch (OpusException e) {
      throw new IllegalStateException("cannot create the Opus decoder: " + e.getMessage(), e);
    }
  }

  /** The decoded samples of the last call, from index 0. */
  public short[] pcm() {
    return pcm;
  }

  /** Decodes one packet; returns the number of samples in {@link #pcm()}, or -1 if it is not valid Opus. */
  public int decode(byte[] packet, int off, int len) {
    if (len <= 0) {
      return -1;
    }
    try {
      return decoder.decode(packet, off, len, pcm, 0, MAX_SAMPLES, false);
    } catch (OpusException | RuntimeException e) {
      return -1; // a corrupt packet: the caller counts it and conceals its time
    }
  }

  /**
   * Conceals up to {@code samples} lost samples (at most {@link #MAX_SAMPLES}, rounded down to 2.5 ms);
   * returns how many samples it put in {@link #pcm()}. The caller fills any rest with silence.
   */
  public int conceal(int samples) {
    int frameSize = Math.min(samples, MAX_SAMPLES) / PLC_GRANULE * PLC_GRANULE;
    if (frameSize == 0) {
      return 0;
    }
    try {
      return decoder.decode(null, 0, 0, pcm, 0, frameSize, false);
    } catch (OpusException | RuntimeException e) {
      return 0;
    }
  }

  public void reset() {
    decoder.resetState();
  }
}
