package dev.wavoice.audio;

/**
 * 24 kHz → 48 kHz: inserts a zero between samples and low-pass filters with {@link HalfBand} (gain 2),
 * which removes the spectral image above 12 kHz. Polyphase form: one output per input sample is a
 * plain delayed copy, the other takes 14 symmetric products. Filter state carries across calls. One
 * instance per stream; not thread-safe.
 */
public final class HalfBandInterpolator {

  private static final int PHASE_TAPS = (HalfBand.TAPS + 1) / 2; // the even-indexed taps: 28
  private static final float[] PHASE = evenTapsTimesTwo();

  private final float[] ring = new float[2 * PHASE_TAPS];
  private int position;

  private static float[] evenTapsTimesTwo() {
    float[] phase = new float[PHASE_TAPS];
    for (int i = 0; i < PHASE_TAPS; i++) {
      phase[i] = 2 * HalfBand.COEFFICIENTS[2 * i];
    }
    return phase;
  }

  /** Writes {@code 2 * count} output samples to {@code dst} and returns that number. */
  public int process(short[] src, int srcOff, int count, short[] dst, int dstOff) {
    int taps = PHASE_TAPS;
    for (int i = 0; i < count; i++) {
      float x = src[srcOff + i];
      ring[position] = x;
      ring[position + taps] = x;
      position = position + 1 == taps ? 0 : position + 1;
      int w = position; // window ring[w .. w + taps - 1], oldest first
      float acc = 0f;
      for (int k = 0; k < taps / 2; k++) {
        acc += PHASE[k] * (ring[w + k] + ring[w + taps - 1 - k]);
      }
      dst[dstOff + 2 * i] = HalfBand.clamp(acc);
      // the odd phase has only the centre tap (0.5 × gain 2): a delayed copy of the input
      dst[dstOff + 2 * i + 1] = (short) ring[w + HalfBand.CENTER / 2 + 1];
    }
    return 2 * count;
  }

  public void reset() {
    java.util.Arrays.fill(ring, 0f);
    position = 0;
  }
}
