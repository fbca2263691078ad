package dev.wavoice.testkit.openai;

/**
 * Audio in the Realtime session formats, for the double: G.711 µ-law at 8 kHz (8 bytes per ms) and
 * 16-bit little-endian PCM at 24 kHz (48 bytes per ms). Makes tones and measures loudness.
 */
public final class Audio {

  public static final String PCMU = "audio/pcmu";
  public static final String PCM = "audio/pcm";

  private Audio() {}

  public static int bytesPerMs(String format) {
    return PCM.equals(format) ? 48 : 8;
  }

  public static int sampleRate(String format) {
    return PCM.equals(format) ? 24_000 : 8_000;
  }

  /** A sine tone of {@code ms} at {@code frequencyHz}, amplitude {@code level} (0..1), in the format. */
  public static byte[] tone(String format, int ms, double frequencyHz, double level) {
    int rate = sampleRate(format);
    int samples = rate * ms / 1000;
    boolean pcm = PCM.equals(format);
    byte[] out = new byte[pcm ? samples * 2 : samples];
    for (int i = 0; i < samples; i++) {
      short s = (short) Math.round(Math.sin(2 * Math.PI * frequencyHz * i / rate) * level * 32767);
      if (pcm) {
        out[2 * i] = (byte) s;
        out[2 * i + 1] = (byte) (s >> 8);
      } else {
        out[i] = ulaw(s);
      }
    }
    return out;
  }

  public static byte[] silence(String format, int ms) {
    byte[] out = new byte[bytesPerMs(format) * ms];
    if (!PCM.equals(format)) {
      java.util.Arrays.fill(out, (byte) 0xFF);
    }
    return out;
  }

  /** The audio as linear samples (PCM: 16-bit little-endian; µ-law: decoded). */
  public static short[] samples(String format, byte[] audio) {
    boolean pcm = PCM.equals(format);
    short[] out = new short[pcm ? audio.length / 2 : audio.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = pcm ? (short) ((audio[2 * i] & 0xFF) | (audio[2 * i + 1] << 8)) : (short) linear(audio[i]);
    }
    return out;
  }

  /** Root mean square of the samples in {@code [offset, offset+length)}, 0..32767. */
  public static double rms(String format, byte[] audio, int offset, int length) {
    boolean pcm = PCM.equals(format);
    int samples = pcm ? length / 2 : length;
    if (samples == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < samples; i++) {
      int s = pcm
          ? (short) ((audio[offset + 2 * i] & 0xFF) | (audio[offset + 2 * i + 1] << 8))
          : linear(audio[offset + i]);
      sum += (double) s * s;
    }
    return Math.sqrt(sum / samples);
  }

  // G.711 µ-law (ITU-T G.711), the classic bias-and-segment form

  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;

  public static byte ulaw(short sample) {
    int s = sample;
    int sign = (s >> 8) & 0x80;
    if (sign != 0) {
      s = -s;
    }
    if (s > CLIP) {
      s = CLIP;
    }
    s += BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (s >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  public static int linear(byte ulaw) {
    int u = ~ulaw & 0xFF;
    int sign = u & 0x80;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    return sign != 0 ? -magnitude : magnitude;
  }
}
