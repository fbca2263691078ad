package dev.wavoice.testkit.audio;

/**
 * Test audio: sine tones, G.711 µ-law (ITU-T G.711, written here as an independent oracle for tests),
 * and measurements of what came out (level, dominant frequency by zero crossings).
 */
public final class Tones {

  private Tones() {}

  /** {@code samples} of a sine at {@code hz}, starting at sample {@code offset}, peak {@code amplitude} (0..32767). */
  public static short[] sine(double hz, int sampleRate, long offset, int samples, int amplitude) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * (offset + i) / sampleRate));
    }
    return out;
  }

  public static byte[] toMulaw(short[] pcm) {
    byte[] out = new byte[pcm.length];
    for (int i = 0; i < pcm.length; i++) {
      out[i] = mulaw(pcm[i]);
    }
    return out;
  }

  public static short[] fromMulaw(byte[] ulaw, int offset, int length) {
    short[] out = new short[length];
    for (int i = 0; i < length; i++) {
      out[i] = linear(ulaw[offset + i]);
    }
    return out;
  }

  static byte mulaw(short sample) {
    final int bias = 0x84;
    final int clip = 32635;
    int s = sample;
    int sign = (s >> 8) & 0x80;
    if (sign != 0) {
      s = -s;
    }
    if (s > clip) {
      s = clip;
    }
    s += bias;
    int exponent = 7;
    for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (s >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  static short linear(byte ulaw) {
    int u = ~ulaw & 0xFF;
    int t = ((u & 0x0F) << 3) + 0x84;
    t <<= (u & 0x70) >> 4;
    return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
  }

  /** RMS level in dBFS; {@code -inf} for silence. */
  public static double rmsDbfs(short[] pcm) {
    double sum = 0;
    for (short s : pcm) {
      sum += (double) s * s;
    }
    return 20 * Math.log10(Math.sqrt(sum / Math.max(1, pcm.length)) / 32768.0);
  }

  /** How strong {@code frequencyHz} is in {@code pcm} (Goertzel): to compare two tones in one signal. */
  public static double power(short[] pcm, double frequencyHz, int sampleRate) {
    double coefficient = 2 * Math.cos(2 * Math.PI * frequencyHz / sampleRate);
    double s1 = 0;
    double s2 = 0;
    for (short sample : pcm) {
      double s0 = sample + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  }

  /** The dominant frequency by zero crossings: right for a tone, meaningless for speech. */
  public static double dominantHz(short[] pcm, int sampleRate) {
    int crossings = 0;
    for (int i = 1; i < pcm.length; i++) {
      if ((pcm[i - 1] < 0) != (pcm[i] < 0)) {
        crossings++;
      }
    }
    return crossings / 2.0 * sampleRate / pcm.length;
  }
}
