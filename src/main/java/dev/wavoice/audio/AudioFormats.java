package dev.wavoice.audio;

/**
 * Sizes of the audio formats the bridge exchanges with OpenAI, per 20 ms frame and per millisecond:
 * {@code audio/pcmu} (G.711 µ-law, 8 kHz) and {@code audio/pcm} (16-bit little-endian mono, 24 kHz).
 */
public final class AudioFormats {

  public static final int PCMU_BYTES_PER_MS = 8;
  public static final int PCMU_FRAME_BYTES = PCMU_BYTES_PER_MS * AudioCodec.FRAME_MS;
  public static final int PCM24_SAMPLE_RATE = 24_000;
  public static final int PCM24_BYTES_PER_MS = PCM24_SAMPLE_RATE / 1000 * Pcm16.BYTES_PER_SAMPLE;
  public static final int PCM24_FRAME_BYTES = PCM24_BYTES_PER_MS * AudioCodec.FRAME_MS;
  public static final int PCM24_FRAME_SAMPLES = PCM24_FRAME_BYTES / Pcm16.BYTES_PER_SAMPLE;

  private AudioFormats() {}

  /** Bytes per millisecond of the format the bridge exchanges with OpenAI in this codec mode. */
  public static int bridgeBytesPerMs(AudioCodec codec) {
    return codec == AudioCodec.PCMU ? PCMU_BYTES_PER_MS : PCM24_BYTES_PER_MS;
  }

  /** Bytes per 20 ms frame of that format. */
  public static int bridgeFrameBytes(AudioCodec codec) {
    return codec == AudioCodec.PCMU ? PCMU_FRAME_BYTES : PCM24_FRAME_BYTES;
  }

  /** The silence byte of that format: µ-law 0xFF, PCM zero. */
  public static byte bridgeSilence(AudioCodec codec) {
    return codec == AudioCodec.PCMU ? MuLaw.SILENCE : 0;
  }
}
