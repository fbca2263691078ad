package dev.wavoice.testkit.app;

import dev.wavoice.testkit.Await;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Reads the test probe of a running app: the webhook events it dispatched. */
public final class Probe {

  private final PayaraApp app;

  public Probe(PayaraApp app) {
    this.app = app;
  }

  /** Every dispatched event: {@code {"kind": "call"|"status"|"permission_reply", "event": {...}}}. */
  public List<JsonObject> events() {
    var response = app.get("/test-probe/events");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("probe answered " + response.statusCode() + ": " + response.body());
    }
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readArray().stream().map(JsonValue::asJsonObject).toList();
    }
  }

  /** The dispatched {@code call} events for this call id. */
  public List<JsonObject> callEvents(String callId) {
    return events().stream()
        .filter(e -> e.getString("kind").equals("call"))
        .map(e -> e.getJsonObject("event"))
        .filter(e -> callId.equals(e.getJsonObject("call").getString("id", null)))
        .toList();
  }

  public JsonObject awaitEvent(String what, Predicate<JsonObject> match) {
    return Await.value(Duration.ofSeconds(10), what, () -> events().stream().filter(match).findFirst().orElse(null));
  }
}
