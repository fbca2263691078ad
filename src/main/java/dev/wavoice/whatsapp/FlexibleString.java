package dev.wavoice.whatsapp;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;
import java.util.stream.Collectors;

/**
 * Reads a value that Meta sends sometimes as a string and sometimes as a number (e.g. {@code timestamp}
 * is a string in real payloads and a number in the docs). Arrays (a placeholder seen in the docs for
 * {@code status}) are joined with commas; an object is kept as its JSON text.
 */
public final class FlexibleString implements JsonbDeserializer<String> {

  @Override
  public String deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
    return text(parser.getValue());
  }

  private static String text(JsonValue value) {
    return switch (value.getValueType()) {
      case STRING -> ((JsonString) value).getString();
      case NULL -> null;
      case ARRAY -> value.asJsonArray().stream().map(FlexibleString::text).collect(Collectors.joining(","));
      default -> value.toString();
    };
  }
}
