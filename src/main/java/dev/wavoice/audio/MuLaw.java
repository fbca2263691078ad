package dev.wavoice.audio;

/**
 * G.711 µ-law (ITU-T G.711, the PCMU payload of RFC 3551): 16-bit linear PCM ⇄ 8-bit µ-law through
 * lookup tables. The tables are constants built once; they hold no call state.
 */
public final class MuLaw {

  /** µ-law code of digital silence (linear 0). */
  public static final byte SILENCE = (byte) 0xFF;

  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;

  private static final short[] DECODE = new short[256];
  private static final byte[] ENCODE = new byte[65536];

  static {
    for (int code = 0; code < 256; code++) {
      DECODE[code] = (short) decodeArithmetic(code);
    }
    for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
      ENCODE[pcm & 0xFFFF] = encodeArithmetic(pcm);
    }
  }

  private MuLaw() {}

  public static byte encode(int pcm16) {
    return ENCODE[pcm16 & 0xFFFF];
  }

  public static short decode(byte code) {
    return DECODE[code & 0xFF];
  }

  /** Encodes {@code count} samples from {@code src} into µ-law bytes in {@code dst}. */
  public static void encode(short[] src, int srcOff, byte[] dst, int dstOff, int count) {
    for (int i = 0; i < count; i++) {
      dst[dstOff + i] = ENCODE[src[srcOff + i] & 0xFFFF];
    }
  }

  /** Decodes {@code count} µ-law bytes from {@code src} into 16-bit samples in {@code dst}. */
  public static void decode(byte[] src, int srcOff, short[] dst, int dstOff, int count) {
    for (int i = 0; i < count; i++) {
      dst[dstOff + i] = DECODE[src[srcOff + i] & 0xFF];
    }
  }

  private static byte encodeArithmetic(int pcm) {
    int sign = 0;
    int magnitude = pcm;
    if (magnitude < 0) {
      sign = 0x80;
      magnitude = -magnitude;
    }
    magnitude = Math.min(magnitude, CLIP) + BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  private static int decodeArithmetic(int code) {
    int u = ~code & 0xFF;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    return (u & 0x80) != 0 ? -magnitude : magnitude;
  }
}
