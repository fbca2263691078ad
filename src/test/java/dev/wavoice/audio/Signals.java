package dev.wavoice.audio;

/** Test signals and their measurement: sine tones, level at one frequency (Goertzel), RMS. */
final class Signals {

  private Signals() {}

  /** {@code count} samples of a sine at {@code hz}, amplitude {@code amplitude}, starting at sample {@code start}. */
  static short[] tone(double hz, int sampleRate, int amplitude, int start, int count) {
    short[] samples = new short[count];
    for (int i = 0; i < count; i++) {
      samples[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * (start + i) / sampleRate));
    }
    return samples;
  }

  /** Amplitude of the component at {@code hz} (Goertzel over the whole span; a pure sine of amplitude A gives ≈ A). */
  static double amplitudeAt(short[] samples, int off, int count, double hz, int sampleRate) {
    double coefficient = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < count; i++) {
      double s0 = samples[off + i] + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    return 2 * Math.sqrt(Math.max(0, power)) / count;
  }

  static double rms(short[] samples, int off, int count) {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += (double) samples[off + i] * samples[off + i];
    }
    return Math.sqrt(sum / count);
  }

  /** The frequency (on a 10 Hz grid between {@code fromHz} and {@code toHz}) with the largest amplitude. */
  static double dominantFrequency(short[] samples, int off, int count, int sampleRate, double fromHz, double toHz) {
    double best = fromHz;
    double bestAmplitude = -1;
    for (double hz = fromHz; hz <= toHz; hz += 10) {
      double a = amplitudeAt(samples, off, count, hz, sampleRate);
      if (a > bestAmplitude) {
        bestAmplitude = a;
        best = hz;
      }
    }
    return best;
  }

  static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }

  static short[] fromPcm16(byte[] bytes) {
    short[] samples = new short[bytes.length / 2];
    Pcm16.toSamples(bytes, 0, samples, 0, samples.length);
    return samples;
  }

  static byte[] toPcm16(short[] samples) {
    byte[] bytes = new byte[samples.length * 2];
    Pcm16.toBytes(samples, 0, bytes, 0, samples.length);
    return bytes;
  }
}
