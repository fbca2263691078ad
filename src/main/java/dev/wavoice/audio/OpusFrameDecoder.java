package dev.wavoice.audio;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;

/**
 * Decodes Opus packets (any valid duration up to 120 ms) to mono PCM with concentus, at 48 kHz or at
 * any other rate Opus decodes to (but concentus decodes hybrid packets to silence at rates below
 * 48 kHz, so wavoice decodes at 48 kHz), and conceals lost audio with Opus's packet-loss concealment. A stereo stream is mixed down to mono by the decoder. One instance per
 * call; not thread-safe; the output buffer is reused.
 */
public final class OpusFrameDecoder {

  /** Opus's RTP clock, and the output rate of {@link #OpusFrameDecoder()}. */
  public static final int SAMPLE_RATE = 48_000;
  /** The longest Opus packet, 120 ms, at 48 kHz. */
  public static final int MAX_SAMPLES = SAMPLE_RATE * 120 / 1000;

  private final OpusDecoder decoder;
  private final int maxSamples;
  /** Concealment works in multiples of 2.5 ms. */
  private final int plcGranule;
  private final short[] pcm;

  /** A decoder to 48 kHz. */
  public OpusFrameDecoder() {
    this(SAMPLE_RATE);
  }

  /** A decoder to {@code sampleRate}: 8, 12, 16, 24 or 48 kHz. */
  public OpusFrameDecoder(int sampleRate) {
    maxSamples = sampleRate * 120 / 1000;
    plcGranule = sampleRate / 400;
    pcm = new short[maxSamples];
    try {
      decoder = new OpusDecoder(sampleRate, 1);
    } catch (OpusException e) {
      throw new IllegalStateException("cannot create the Opus decoder: " + e.getMessage(), e);
    }
  }

  /** The decoded samples of the last call, from index 0. */
  public short[] pcm() {
    return pcm;
  }

  /** Decodes one packet; returns the number of samples (at this decoder's rate) in {@link #pcm()}, or -1 if it is not valid Opus. */
  public int decode(byte[] packet, int off, int len) {
    if (len <= 0) {
      return -1;
    }
    try {
      return decoder.decode(packet, off, len, pcm, 0, maxSamples, false);
    } catch (OpusException | RuntimeException e) {
      return -1; // a corrupt packet: the caller counts it and conceals its time
    }
  }

  /**
   * Conceals up to {@code samples} lost samples (at this decoder's rate, at most 120 ms, rounded down to 2.5 ms);
   * returns how many samples it put in {@link #pcm()}. The caller fills any rest with silence.
   */
  public int conceal(int samples) {
    int frameSize = Math.min(samples, maxSamples) / plcGranule * plcGranule;
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
