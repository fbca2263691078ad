package dev.wavoice.whatsapp;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Meta's Graph API: base URL and version, the business phone number, the access token,
 * and the timeout and retry policy for each request.
 *
 * @param endBudget the most a call's {@code reject} or {@code terminate} takes, retries and their waits
 *     included: the call is released already, so only the end path (its record, a shutdown) waits on it
 */
public record GraphSettings(
    String baseUrl,
    String version,
    String phoneNumberId,
    String accessToken,
    Duration timeout,
    int maxRetries,
    Duration retryBase,
    Duration endBudget) {

  /** The default {@link #endBudget}: well inside the default shutdown grace. */
  public static final Duration DEFAULT_END_BUDGET = Duration.ofSeconds(5);

  public GraphSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(phoneNumberId, "phoneNumberId");
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retryBase, "retryBase");
    Objects.requireNonNull(endBudget, "endBudget");
    if (endBudget.isNegative() || endBudget.isZero()) {
      throw new IllegalArgumentException("endBudget must be positive, was " + endBudget);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** The same Graph API with another timeout and retry count (the doctor reads once, with a short deadline). */
  public GraphSettings with(Duration newTimeout, int newMaxRetries) {
    return new GraphSettings(baseUrl, version, phoneNumberId, accessToken, newTimeout, newMaxRetries, retryBase, endBudget);
  }

  @Override
  public String toString() {
    // the access token stays out of logs and exception messages
    return "GraphSettings[" + baseUrl + "/" + version + ", phoneNumberId=" + phoneNumberId
        + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", endBudget=" + endBudget + "]";
  }
}
