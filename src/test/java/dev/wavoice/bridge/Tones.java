package dev.wavoice.bridge;

/** Signal checks for tests: how strong one frequency is in 16-bit samples (Goertzel). */
final class Tones {

  private Tones() {}

  static double power(short[] samples, int from, int to, double frequencyHz, int sampleRate) {
    double coefficient = 2 * Math.cos(2 * Math.PI * frequencyHz / sampleRate);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < to; i++) {
      double s0 = samples[i] + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  }

  /** Little-endian 16-bit PCM bytes as samples. */
  static short[] samples(byte[] pcm) {
    short[] out = new short[pcm.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
    }
    return out;
  }

  static short[] tone(int samples, double frequencyHz, int sampleRate, int amplitude, int offset) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) (amplitude * Math.sin(2 * Math.PI * frequencyHz * (offset + i) / sampleRate));
    }
    return out;
  }

  /** A byte pattern that is never µ-law silence (0xFF), so it is told apart on the wire. */
  static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((i * 31 + seed * 7) % 251);
    }
    return bytes;
  }
}
