package dev.wavoice.testkit;

import static dev.wavoice.testkit.JsonProviders.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** The WhatsApp bodies under {@code src/test/resources/fixtures/whatsapp}, in Meta's shapes. */
public final class Fixtures {

  private Fixtures() {}

  public static Path dir() {
    return Path.of(System.getProperty("wavoice.it.fixtures", "src/test/resources/fixtures"));
  }

  public static String whatsapp(String name) {
    try {
      return Files.readString(dir().resolve("whatsapp").resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject whatsappJson(String name) {
    return parse(whatsapp(name));
  }

  public static JsonObject parse(String json) {
    try (var reader = JSON.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }

  /** A copy of a webhook body with every {@code entry[].changes[].value.calls[]} (and statuses) edited. */
  public static JsonObject editCalls(JsonObject webhook, UnaryOperator<JsonObject> edit) {
    var entries = JSON.createArrayBuilder();
    for (JsonValue e : webhook.getJsonArray("entry")) {
      JsonObject entry = e.asJsonObject();
      var changes = JSON.createArrayBuilder();
      for (JsonValue c : entry.getJsonArray("changes")) {
        JsonObject change = c.asJsonObject();
        JsonObject value = change.getJsonObject("value");
        var newValue = JSON.createObjectBuilder(value);
        for (String list : new String[] {"calls", "statuses"}) {
          if (value.containsKey(list)) {
            var items = JSON.createArrayBuilder();
            value.getJsonArray(list).forEach(item -> items.add(edit.apply(item.asJsonObject())));
            newValue.add(list, items);
          }
        }
        changes.add(JSON.createObjectBuilder(change).add("value", newValue));
      }
      entries.add(JSON.createObjectBuilder(entry).add("changes", changes));
    }
    return JSON.createObjectBuilder(webhook).add("entry", entries).build();
  }

  /** A fresh WhatsApp call id, {@code wacid.<tag><random>}: the tag says which test made it. */
  public static String newCallId(String tag) {
    return "wacid." + tag + java.util.UUID.randomUUID().toString().replace("-", "");
  }

  /** A webhook body with the call (or status) id replaced. */
  public static String withCallId(String fixture, String callId) {
    return editCalls(whatsappJson(fixture), call -> JSON.createObjectBuilder(call).add("id", callId).build()).toString();
  }

  /** A user-initiated {@code connect} webhook for {@code callId} carrying {@code sdp} as its offer. */
  public static String connectWithOffer(String callId, String sdp) {
    return editCalls(whatsappJson("webhook-connect-user-initiated.json"), c -> JSON.createObjectBuilder(c)
        .add("id", callId)
        .add("session", JSON.createObjectBuilder().add("sdp", sdp).add("sdp_type", "offer"))
        .build()).toString();
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
