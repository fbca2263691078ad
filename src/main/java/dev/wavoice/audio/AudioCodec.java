package dev.wavoice.audio;

/**
 * The codec of the plain-RTP leg between Kurento and wavoice ({@code wavoice.media.codec}).
 *
 * <ul>
 *   <li>{@link #PCMU}: G.711 µ-law, 8 kHz, 160 bytes per 20 ms frame. Kurento transcodes Opus ⇄ PCMU;
 *       the bridge passes frames to OpenAI as {@code audio/pcmu} unchanged. The default.
 *   <li>{@link #OPUS}: Opus (48 kHz RTP clock), no transcoding in Kurento; wavoice decodes Opus (and
 *       resamples 48 → 24 kHz) and encodes it from OpenAI's 24 kHz {@code audio/pcm}. Wideband, costs CPU in wavoice.
 * </ul>
 */
public enum AudioCodec {
  PCMU(0, "PCMU", 8000, 1),
  OPUS(111, "opus", 48000, 2);

  /** Samples per 20 ms frame at 8 kHz (PCMU) and 48 kHz (Opus). */
  public static final int FRAME_MS = 20;

  private final int payloadType;
  private final String encodingName;
  private final int clockRate;
  private final int channels;

  AudioCodec(int payloadType, String encodingName, int clockRate, int channels) {
    this.payloadType = payloadType;
    this.encodingName = encodingName;
    this.clockRate = clockRate;
    this.channels = channels;
  }

  /** The RTP payload type wavoice offers for this codec on the RTP leg. */
  public int payloadType() {
    return payloadType;
  }

  /** The SDP {@code a=rtpmap} value, e.g. {@code PCMU/8000} or {@code opus/48000/2}. */
  public String rtpmap() {
    return encodingName + "/" + clockRate + (channels > 1 ? "/" + channels : "");
  }

  public int clockRate() {
    return clockRate;
  }

  /** RTP timestamp increment per 20 ms frame. */
  public int samplesPerFrame() {
    return clockRate * FRAME_MS / 1000;
  }

  /** Parses the configuration value ({@code pcmu} or {@code opus}, any case). */
  public static AudioCodec fromConfig(String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "pcmu" -> PCMU;
      case "opus" -> OPUS;
      default -> throw new IllegalArgumentException("wavoice.media.codec must be pcmu or opus, was '" + value + "'");
    };
  }
}
