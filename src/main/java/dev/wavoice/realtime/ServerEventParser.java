package dev.wavoice.realtime;

import jakarta.json.Json;
import jakarta.json.bind.Jsonb;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/**
 * Turns one text message from OpenAI into a {@link ServerEvent}: the top-level {@code type} is found
 * with a streaming scan (nested objects are skipped, nothing else is built), then JSON-B maps the
 * message to that type's record.
 */
final class ServerEventParser {

  /** The outcome of parsing one message. */
  sealed interface Parsed {}

  record Known(ServerEvent event) implements Parsed {}

  record Unknown(String type) implements Parsed {}

  record Malformed(String reason) implements Parsed {}

  private final Jsonb jsonb;
  /** Made once: {@code Json.createParser} looks the provider up on every call (about 40 µs and 40 KB each). */
  private final JsonParserFactory parsers = Json.createParserFactory(Map.of());

  ServerEventParser(Jsonb jsonb) {
    this.jsonb = jsonb;
  }

  Parsed parse(String message) {
    String type;
    try {
      type = topLevelType(parsers, message);
    } catch (RuntimeException notJson) {
      return new Malformed("not a JSON object: " + notJson.getMessage());
    }
    if (type == null) {
      return new Malformed("no top-level \"type\"");
    }
    Class<? extends ServerEvent> record = ServerEvent.TYPES.get(type);
    if (record == null) {
      return new Unknown(type);
    }
    try {
      return new Known(jsonb.fromJson(message, record));
    } catch (RuntimeException wrongShape) {
      return new Malformed(type + " does not have the documented shape: " + wrongShape.getMessage());
    }
  }

  static String topLevelType(JsonParserFactory parsers, String message) {
    try (JsonParser parser = parsers.createParser(new StringReader(message))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new IllegalArgumentException("does not start with '{'");
      }
      while (parser.hasNext()) {
        JsonParser.Event event = parser.next();
        if (event == JsonParser.Event.END_OBJECT) {
          return null;
        }
        // at depth 1 only keys come here; values that are objects or arrays are skipped whole
        String key = parser.getString();
        JsonParser.Event value = parser.next();
        if (key.equals("type")) {
          return value == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
        }
        if (value == JsonParser.Event.START_OBJECT) {
          parser.skipObject();
        } else if (value == JsonParser.Event.START_ARRAY) {
          parser.skipArray();
        }
      }
      return null;
    }
  }
}
