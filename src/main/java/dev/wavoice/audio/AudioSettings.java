package dev.wavoice.audio;

import static dev.wavoice.ConfigValues.text;
import static dev.wavoice.ConfigValues.number;
import static dev.wavoice.ConfigValues.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The audio plane's settings: where the RTP sockets bind and the address Kurento is told to send to, the port range, the reorder depth, the RTCP
 * interval, the outbound queue bound and the Opus encoder. See {@code docs/configuration.md}.
 */
public record AudioSettings(InetAddress bindAddress, InetAddress advertiseAddress, PortRange portRange,
    int reorderDepthFrames, Duration rtcpInterval, int outboundQueueFrames, int opusBitrateBps, int opusComplexity) {

  public static final String RTP_BIND_ADDRESS = "wavoice.media.rtp-bind-address";
  public static final String RTP_ADVERTISE_ADDRESS = "wavoice.media.rtp-advertise-address";
  public static final String RTP_PORT_RANGE = "wavoice.media.rtp-port-range";
  public static final String REORDER_DEPTH_FRAMES = "wavoice.audio.reorder-depth-frames";
  public static final String RTCP_INTERVAL_MS = "wavoice.audio.rtcp-interval-ms";
  public static final String OUTBOUND_QUEUE_MS = "wavoice.audio.outbound-queue-ms";
  public static final String OPUS_BITRATE = "wavoice.audio.opus-bitrate";
  public static final String OPUS_COMPLEXITY = "wavoice.audio.opus-complexity";

  static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  static final String DEFAULT_PORT_RANGE = "31000-31999";
  static final int DEFAULT_REORDER_DEPTH_FRAMES = 3;
  static final long DEFAULT_RTCP_INTERVAL_MS = 5000;
  static final long DEFAULT_OUTBOUND_QUEUE_MS = 120_000;
  static final int DEFAULT_OPUS_BITRATE = 20_000;
  static final int DEFAULT_OPUS_COMPLEXITY = 3;

  public AudioSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(advertiseAddress, "advertiseAddress");
    if (advertiseAddress.isAnyLocalAddress()) {
      throw new IllegalArgumentException((advertiseAddress.equals(bindAddress) ? RTP_BIND_ADDRESS + " is the wildcard "
          + bindAddress.getHostAddress() + ": set " + RTP_ADVERTISE_ADDRESS + " to" : RTP_ADVERTISE_ADDRESS + " must be")
          + " the address Kurento sends the calls' RTP to (it goes into the RtpEndpoint's SDP offer), not a wildcard");
    }
    Objects.requireNonNull(portRange, "portRange");
    Objects.requireNonNull(rtcpInterval, "rtcpInterval");
    check(reorderDepthFrames >= 0 && reorderDepthFrames <= 16, REORDER_DEPTH_FRAMES, "0..16", reorderDepthFrames);
    check(rtcpInterval.toMillis() >= 100 && rtcpInterval.toMillis() <= 60_000, RTCP_INTERVAL_MS, "100..60000", rtcpInterval.toMillis());
    check(outboundQueueFrames >= 50, OUTBOUND_QUEUE_MS, "at least 1000", outboundQueueFrames * (long) AudioCodec.FRAME_MS);
    check(opusBitrateBps >= 6000 && opusBitrateBps <= 510_000, OPUS_BITRATE, "6000..510000", opusBitrateBps);
    check(opusComplexity >= 0 && opusComplexity <= 10, OPUS_COMPLEXITY, "0..10", opusComplexity);
  }

  /** Kurento sends to the address the sockets are bound to (one host, or one network without translation). */
  public AudioSettings(InetAddress bindAddress, PortRange portRange, int reorderDepthFrames, Duration rtcpInterval,
      int outboundQueueFrames, int opusBitrateBps, int opusComplexity) {
    this(bindAddress, bindAddress, portRange, reorderDepthFrames, rtcpInterval, outboundQueueFrames, opusBitrateBps,
        opusComplexity);
  }

  /** The defaults, as documented. */
  public static AudioSettings defaults() {
    return from(key -> Optional.empty());
  }

  /**
   * Reads the settings through {@code lookup} (key → value, e.g. MicroProfile Config). A bad value
   * fails with a message naming the key.
   */
  public static AudioSettings from(Function<String, Optional<String>> lookup) {
    InetAddress bind = address(RTP_BIND_ADDRESS, text(lookup, RTP_BIND_ADDRESS).orElse(DEFAULT_BIND_ADDRESS));
    Optional<String> advertised = text(lookup, RTP_ADVERTISE_ADDRESS);
    InetAddress advertise = advertised.isPresent() ? address(RTP_ADVERTISE_ADDRESS, advertised.get()) : bind;
    PortRange range;
    try {
      range = PortRange.parse(text(lookup, RTP_PORT_RANGE).orElse(DEFAULT_PORT_RANGE));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(RTP_PORT_RANGE + ": " + e.getMessage(), e);
    }
    long queueMs = number(lookup, OUTBOUND_QUEUE_MS, DEFAULT_OUTBOUND_QUEUE_MS);
    return new AudioSettings(bind, advertise, range,
        (int) number(lookup, REORDER_DEPTH_FRAMES, DEFAULT_REORDER_DEPTH_FRAMES),
        Duration.ofMillis(number(lookup, RTCP_INTERVAL_MS, DEFAULT_RTCP_INTERVAL_MS)),
        (int) Math.min(Integer.MAX_VALUE, queueMs / AudioCodec.FRAME_MS),
        (int) number(lookup, OPUS_BITRATE, DEFAULT_OPUS_BITRATE),
        (int) number(lookup, OPUS_COMPLEXITY, DEFAULT_OPUS_COMPLEXITY));
  }

  private static InetAddress address(String key, String value) {
    try {
      return InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(key + " must be an IP address or host name, was '" + value + "'", e);
    }
  }
}
