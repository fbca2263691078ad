package dev.wavoice.realtime;

import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * An operator-defined tool from {@code wavoice.agent.tools-file}: the model sees {@code name},
 * {@code description} and the JSON Schema {@code parameters}; a call POSTs the arguments as JSON to
 * {@code url} (with {@code headers}, within {@code timeout_ms}) and the reply body becomes the
 * function call output.
 */
public record HttpToolSpec(
    String name, String description, JsonObject parameters, String url, Long timeoutMs, Map<String, String> headers) {

  public static final long DEFAULT_TIMEOUT_MS = 5_000;
  public static final long MAX_TIMEOUT_MS = 60_000;

  public URI uri() {
    return URI.create(url);
  }

  public Duration timeout() {
    return Duration.ofMillis(timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs);
  }

  public Map<String, String> headersOrEmpty() {
    return headers == null ? Map.of() : headers;
  }

  @Override
  public String toString() {
    // header values may be credentials: names only
    return "HttpToolSpec[name=" + name + ", url=" + url + ", timeoutMs=" + timeout().toMillis()
        + ", headers=" + headersOrEmpty().keySet() + "]";
  }
}
