package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class HalfBandDecimatorTest {

  static final int SETTLE = 100; // skip the filter's start-up transient when measuring

  @Test
  void decimatorKeepsA1kHzTone() {
    short[] in = Signals.tone(1000, 48_000, 10_000, 0, 48_000);
    short[] out = new short[24_001];
    int n = new HalfBandDecimator().process(in, 0, in.length, out, 0);

    assertThat(n).isEqualTo(24_000);
    double amplitude = Signals.amplitudeAt(out, SETTLE, 24_000 - SETTLE, 1000, 24_000);
    assertThat(Signals.db(amplitude / 10_000)).isCloseTo(0, offset(0.05));
    assertThat(Signals.dominantFrequency(out, SETTLE, 4800, 24_000, 200, 11_000)).isEqualTo(1000);
  }

  @Test
  void decimatorRemovesWhatWouldAliasBelowTheNewNyquist() {
    // 15 kHz does not exist at 24 kHz; without a low-pass it would fold down to 9 kHz
    short[] in = Signals.tone(15_000, 48_000, 20_000, 0, 48_000);
    short[] out = new short[24_001];
    int n = new HalfBandDecimator().process(in, 0, in.length, out, 0);

    double alias = Signals.amplitudeAt(out, SETTLE, n - SETTLE, 9000, 24_000);
    assertThat(Signals.db(alias / 20_000)).isLessThan(-65);
    assertThat(Signals.rms(out, SETTLE, n - SETTLE)).isLessThan(20_000 * 0.0007);
  }

  @Test
  void stateCarriesAcrossPiecesOfAnySize() {
    short[] in = Signals.tone(3100, 48_000, 15_000, 0, 9_600);
    short[] whole = new short[4_800];
    new HalfBandDecimator().process(in, 0, in.length, whole, 0);

    HalfBandDecimator pieces = new HalfBandDecimator();
    short[] split = new short[4_800];
    int at = 0;
    int written = 0;
    int[] sizes = {1, 7, 960, 333, 2, 1919};
    for (int i = 0; at < in.length; i++) {
      int size = Math.min(sizes[i % sizes.length], in.length - at);
      written += pieces.process(in, at, size, split, written);
      at += size;
    }
    assertThat(written).isEqualTo(4_800);
    assertThat(split).containsExactly(whole);
  }

  @Test
  void coefficientsAreAHalfBandFilter() {
    float[] h = HalfBand.COEFFICIENTS;
    assertThat(h[HalfBand.CENTER]).isEqualTo(0.5f);
    double sum = 0;
    for (int i = 0; i < h.length; i++) {
      sum += h[i];
      assertThat(h[i]).isEqualTo(h[h.length - 1 - i]);
      if (i != HalfBand.CENTER && (i - HalfBand.CENTER) % 2 == 0) {
        assertThat(h[i]).isZero();
      }
    }
    assertThat(sum).isCloseTo(1.0, offset(0.001));
  }
}
