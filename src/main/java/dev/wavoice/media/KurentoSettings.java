package dev.wavoice.media;

import static dev.wavoice.ConfigValues.number;

import dev.wavoice.ConfigValues;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How wavoice reaches and drives its Kurento Media Servers ({@code wavoice.kurento.*}, see
 * docs/configuration.md). Read once at start; immutable.
 *
 * @param urls the KMS WebSocket URLs; new pipelines go to the connected one with the fewest open sessions
 * @param rtpHost where wavoice sends RTP to a KMS; empty = the host of that KMS's URL
 * @param instanceTag tags every pipeline this wavoice makes, so leak reconciliation never touches another
 *     wavoice's pipelines on a shared KMS
 */
public record KurentoSettings(
    List<URI> urls,
    Optional<String> rtpHost,
    String instanceTag,
    Duration gatheringTimeout,
    Duration connectTimeout,
    Duration retryMin,
    Duration retryMax,
    Duration pingInterval,
    Duration reconcileInterval,
    boolean invertIceLite) {

  public static final String URL = "wavoice.kurento.url";
  public static final String RTP_HOST = "wavoice.kurento.rtp-host";
  public static final String INSTANCE_TAG = "wavoice.kurento.instance-tag";
  public static final String GATHERING_TIMEOUT_MS = "wavoice.kurento.gathering-timeout-ms";
  public static final String CONNECT_TIMEOUT_MS = "wavoice.kurento.connect-timeout-ms";
  public static final String RETRY_MIN_MS = "wavoice.kurento.retry-min-ms";
  public static final String RETRY_MAX_MS = "wavoice.kurento.retry-max-ms";
  public static final String PING_INTERVAL_MS = "wavoice.kurento.ping-interval-ms";
  public static final String RECONCILE_INTERVAL_SECONDS = "wavoice.kurento.reconcile-interval-seconds";
  public static final String INVERT_ICE_LITE = "wavoice.kurento.invert-ice-lite";

  public static final String DEFAULT_URL = "ws://127.0.0.1:8888/kurento";

  public KurentoSettings {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(URL + " names no Kurento Media Server");
    }
    if (instanceTag == null || instanceTag.isBlank()) {
      throw new IllegalArgumentException(INSTANCE_TAG + " is blank");
    }
    for (Duration d : List.of(gatheringTimeout, connectTimeout, retryMin, retryMax, pingInterval, reconcileInterval)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("wavoice.kurento durations must be positive, found " + d);
      }
    }
    if (retryMax.compareTo(retryMin) < 0) {
      throw new IllegalArgumentException(RETRY_MAX_MS + " is below " + RETRY_MIN_MS);
    }
  }

  /** Reads the settings through {@code lookup} (a MicroProfile Config lookup in the app), with the documented defaults. */
  public static KurentoSettings from(Function<String, Optional<String>> lookup) {
    Function<String, Optional<String>> text = key -> ConfigValues.text(lookup, key);
    List<URI> urls = new ArrayList<>();
    for (String part : text.apply(URL).orElse(DEFAULT_URL).split(",")) {
      if (!part.isBlank()) {
        urls.add(parseUrl(part.strip()));
      }
    }
    return new KurentoSettings(
        urls,
        text.apply(RTP_HOST),
        instanceTag(lookup),
        millis(text, GATHERING_TIMEOUT_MS, 5_000),
        millis(text, CONNECT_TIMEOUT_MS, 5_000),
        millis(text, RETRY_MIN_MS, 500),
        millis(text, RETRY_MAX_MS, 30_000),
        millis(text, PING_INTERVAL_MS, 10_000),
        Duration.ofSeconds(number(text, RECONCILE_INTERVAL_SECONDS, 60)),
        text.apply(INVERT_ICE_LITE).map(KurentoSettings::bool).orElse(true));
  }

  /** Where wavoice sends RTP to the KMS at {@code url}: the configured host, else the URL's host. */
  public String rtpHostFor(URI url) {
    return rtpHost.orElse(url.getHost());
  }

  /** The URL as shown in health data and logs: without user info, which could hold a secret. */
  public static String display(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getRawPath();
  }

  private static URI parseUrl(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(URL + " has an invalid URL '" + text + "'", e);
    }
    if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(URL + " must list ws:// or wss:// URLs, found '" + text + "'");
    }
    return uri;
  }

  private static Duration millis(Function<String, Optional<String>> text, String key, long defaultMs) {
    return Duration.ofMillis(number(text, key, defaultMs));
  }

  private static boolean bool(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(INVERT_ICE_LITE + " must be true or false, was '" + value + "'");
    };
  }

  /** The host's name without a name lookup where possible: the environment, then /etc/hostname, then the JDK. */
  /**
   * This wavoice instance's tag ({@link #INSTANCE_TAG}, by default the host name): on its pipelines, and on
   * its call records so that only this instance closes them after a crash.
   */
  public static String instanceTag(Function<String, Optional<String>> lookup) {
    return ConfigValues.text(lookup, INSTANCE_TAG).orElseGet(KurentoSettings::hostName);
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      String file = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).strip();
      if (!file.isEmpty()) {
        return file;
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or not readable: ask the JDK
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "wavoice";
    }
  }
}
