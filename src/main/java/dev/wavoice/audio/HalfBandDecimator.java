package dev.wavoice.audio;

/**
 * 48 kHz → 24 kHz: low-pass with {@link HalfBand} (removes everything above the new Nyquist of 12 kHz
 * before it could alias), then keeps every second sample. Its filter state carries across calls, so
 * audio fed in pieces of any size comes out exactly as if fed at once. One instance per stream; not
 * thread-safe.
 */
public final class HalfBandDecimator {

  // each sample is stored twice (at i and i + TAPS) so the newest TAPS samples are always contiguous
  private final float[] ring = new float[2 * HalfBand.TAPS];
  private int position;
  private boolean odd;

  /**
   * Filters {@code count} input samples and writes the output samples (about {@code count / 2}) to
   * {@code dst}; returns how many were written.
   */
  public int process(short[] src, int srcOff, int count, short[] dst, int dstOff) {
    float[] h = HalfBand.COEFFICIENTS;
    int taps = HalfBand.TAPS;
    int written = 0;
    for (int i = 0; i < count; i++) {
      float x = src[srcOff + i];
      ring[position] = x;
      ring[position + taps] = x;
      position = position + 1 == taps ? 0 : position + 1;
      odd = !odd;
      if (odd) {
        continue; // one output per pair of inputs
      }
      // window ring[position .. position + taps - 1], oldest first; symmetric taps
      int w = position;
      float acc = 0.5f * ring[w + HalfBand.CENTER];
      for (int k = 0; k < HalfBand.CENTER; k += 2) {
        acc += h[k] * (ring[w + k] + ring[w + taps - 1 - k]);
      }
      dst[dstOff + written++] = HalfBand.clamp(acc);
    }
    return written;
  }

  /** Forgets the filter history (after a flush, so old audio does not leak into new). */
  public void reset() {
    java.util.Arrays.fill(ring, 0f);
    position = 0;
    odd = false;
  }
}
