package dev.wavoice.audio;

/**
 * 16-bit signed little-endian PCM, the byte layout of OpenAI's {@code audio/pcm}: conversion between
 * bytes and samples in place.
 */
public final class Pcm16 {

  public static final int BYTES_PER_SAMPLE = 2;

  private Pcm16() {}

  /** Reads {@code count} samples from little-endian bytes. */
  public static void toSamples(byte[] src, int srcOff, short[] dst, int dstOff, int count) {
    for (int i = 0; i < count; i++) {
      int b = srcOff + 2 * i;
      dst[dstOff + i] = (short) ((src[b] & 0xFF) | (src[b + 1] << 8));
    }
  }

  /** Writes {@code count} samples as little-endian bytes. */
  public static void toBytes(short[] src, int srcOff, byte[] dst, int dstOff, int count) {
    for (int i = 0; i < count; i++) {
      short s = src[srcOff + i];
      int b = dstOff + 2 * i;
      dst[b] = (byte) s;
      dst[b + 1] = (byte) (s >> 8);
    }
  }
}
