package dev.wavoice.testkit.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OpenAI's published JSON Schema of the GA Realtime events ({@code openai/openai-realtime-events.schema.json}
 * on the test classpath, draft 2020-12), validated with networknt's json-schema-validator.
 *
 * <p>The real service refuses parameters it does not know ({@code unknown_parameter}, "Unknown
 * parameter: 'session.tools[0].meta'."), which the published schema does not say. So the schema is
 * loaded with {@code additionalProperties: false} added to every object schema that lists its
 * {@code properties} and says nothing about other ones; the validation itself is the library's.
 */
public final class RealtimeSchema {

  static final String RESOURCE = "/openai/openai-realtime-events.schema.json";
  private static final String BASE = "https://schemas.wavoice.test/openai-realtime-events.json";
  private static final List<String> SCHEMA_MAPS = List.of("properties", "$defs", "patternProperties", "dependentSchemas");
  private static final List<String> SCHEMA_VALUES =
      List.of("items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames", "unevaluatedItems");
  private static final List<String> SCHEMA_ARRAYS = List.of("anyOf", "oneOf", "allOf", "prefixItems");

  /** An event that breaks the schema, as OpenAI would word it in an {@code error} event. */
  public record Violation(String code, String message, String param, List<String> details) {}

  private static volatile RealtimeSchema shared;

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, JsonSchema> clientEvents;
  private final Map<String, JsonSchema> serverEvents;

  private RealtimeSchema() {
    JsonNode root;
    try (InputStream in = RealtimeSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the test classpath");
      }
      root = mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tighten((ObjectNode) root);
    String text = root.toString();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
        SpecVersion.VersionFlag.V202012, builder -> builder.schemaLoaders(loaders -> loaders.schemas(Map.of(BASE, text))));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build();
    clientEvents = byType(root, "ClientEvent", factory, config);
    serverEvents = byType(root, "ServerEvent", factory, config);
    // the validators are built on first use: build them now, not in the middle of a session
    JsonNode empty = mapper.createObjectNode();
    clientEvents.values().forEach(schema -> schema.validate(empty));
    serverEvents.values().forEach(schema -> schema.validate(empty));
  }

  /** Loaded once per JVM (it is immutable). */
  public static RealtimeSchema get() {
    RealtimeSchema schema = shared;
    if (schema == null) {
      synchronized (RealtimeSchema.class) {
        if (shared == null) {
          shared = new RealtimeSchema();
        }
        schema = shared;
      }
    }
    return schema;
  }

  /** The branches of an entry point ({@code $defs/ClientEvent} or {@code $defs/ServerEvent}), keyed by their {@code type} constant. */
  private static Map<String, JsonSchema> byType(JsonNode root, String entry, JsonSchemaFactory factory, SchemaValidatorsConfig config) {
    Map<String, JsonSchema> schemas = new LinkedHashMap<>();
    for (JsonNode branch : root.path("$defs").path(entry).path("oneOf")) {
      String ref = branch.path("$ref").asText();
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      String type = root.path("$defs").path(name).path("properties").path("type").path("const").asText(null);
      if (type == null) {
        throw new IllegalStateException(entry + " branch " + name + " has no type constant");
      }
      schemas.put(type, factory.getSchema(SchemaLocation.of(BASE + "#/$defs/" + name), config));
    }
    return Map.copyOf(schemas);
  }

  private static void tighten(ObjectNode schema) {
    if (schema.has("properties") && !schema.has("additionalProperties") && !schema.has("patternProperties")
        && !schema.has("unevaluatedProperties")) {
      schema.put("additionalProperties", false);
    }
    for (String key : SCHEMA_MAPS) {
      if (schema.get(key) instanceof ObjectNode map) {
        map.elements().forEachRemaining(value -> {
          if (value instanceof ObjectNode sub) {
            tighten(sub);
          }
        });
      }
    }
    for (String key : SCHEMA_VALUES) {
      if (schema.get(key) instanceof ObjectNode sub) {
        tighten(sub);
      }
    }
    for (String key : SCHEMA_ARRAYS) {
      if (schema.get(key) instanceof ArrayNode list) {
        list.elements().forEachRemaining(value -> {
          if (value instanceof ObjectNode sub) {
            tighten(sub);
          }
        });
      }
    }
  }

  public Set<String> clientTypes() {
    return clientEvents.keySet();
  }

  public Set<String> serverTypes() {
    return serverEvents.keySet();
  }

  public boolean isClientType(String type) {
    return clientEvents.containsKey(type);
  }

  /** Validates a client event of a known type; empty when valid. */
  public Optional<Violation> checkClient(String type, String json) {
    JsonSchema schema = clientEvents.get(type);
    if (schema == null) {
      throw new IllegalArgumentException("not a client event type: " + type);
    }
    return check(schema, json);
  }

  /** Validates a server event; the messages of what is wrong, empty when valid. */
  public List<String> checkServer(String json) {
    JsonNode node = read(json);
    String type = node.path("type").asText(null);
    JsonSchema schema = type == null ? null : serverEvents.get(type);
    if (schema == null) {
      return List.of("not a server event type: " + type);
    }
    return schema.validate(node).stream().map(ValidationMessage::getMessage).toList();
  }

  private Optional<Violation> check(JsonSchema schema, String json) {
    JsonNode node = read(json);
    var messages = schema.validate(json, InputFormat.JSON);
    if (messages.isEmpty()) {
      return Optional.empty();
    }
    List<String> details = messages.stream().map(ValidationMessage::getMessage).toList();
    return Optional.of(toOpenAi(pick(messages), node, details));
  }

  private JsonNode read(String json) {
    try {
      return mapper.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The one message an OpenAI-style error reports: the deepest one, leaving out the branch
   * discriminators ({@code type} constants of the other branches of a oneOf) when anything else is
   * wrong; at equal depth a wrong value beats a missing or unknown parameter.
   */
  private static ValidationMessage pick(Iterable<ValidationMessage> messages) {
    List<ValidationMessage> all = new ArrayList<>();
    for (ValidationMessage message : messages) {
      if (!Set.of("oneOf", "anyOf").contains(message.getType())) {
        all.add(message);
      }
    }
    if (all.isEmpty()) {
      messages.forEach(all::add);
    }
    List<ValidationMessage> specific = all.stream().filter(m -> !isDiscriminator(m)).toList();
    List<ValidationMessage> candidates = specific.isEmpty() ? all : specific;
    return candidates.stream()
        .max(Comparator.comparingInt(RealtimeSchema::depth).thenComparingInt(RealtimeSchema::rank))
        .orElseThrow();
  }

  private static boolean isDiscriminator(ValidationMessage message) {
    JsonNodePath at = message.getInstanceLocation();
    return Set.of("const", "enum").contains(message.getType()) && at.getNameCount() > 0
        && "type".equals(String.valueOf(at.getName(-1)));
  }

  private static int depth(ValidationMessage message) {
    int depth = message.getInstanceLocation().getNameCount();
    return Set.of("additionalProperties", "required").contains(message.getType()) ? depth + 1 : depth;
  }

  private static int rank(ValidationMessage message) {
    return switch (message.getType()) {
      case "additionalProperties" -> 0;
      case "required" -> 1;
      default -> 2;
    };
  }

  private static Violation toOpenAi(ValidationMessage message, JsonNode event, List<String> details) {
    String at = param(message.getInstanceLocation());
    String property = message.getProperty();
    String param = property == null || !Set.of("additionalProperties", "required").contains(message.getType())
        ? at : (at.isEmpty() ? property : at + "." + property);
    Object[] args = message.getArguments() == null ? new Object[0] : message.getArguments();
    return switch (message.getType()) {
      case "additionalProperties" ->
          new Violation("unknown_parameter", "Unknown parameter: '" + param + "'.", param, details);
      case "required" ->
          new Violation("missing_required_parameter", "Missing required parameter: '" + param + "'.", param, details);
      case "type" -> new Violation("invalid_type",
          "Invalid type for '" + param + "': expected " + article(String.valueOf(args.length > 1 ? args[1] : "?"))
              + ", but got " + article(String.valueOf(args.length > 0 ? args[0] : "?")) + " instead.",
          param, details);
      case "enum", "const" -> new Violation("invalid_value",
          "Invalid value: " + value(event, message.getInstanceLocation()) + ". Supported values are: "
              + supported(args.length > 0 ? String.valueOf(args[0]) : "") + ".",
          param, details);
      default -> new Violation("invalid_value",
          "Invalid '" + param + "': " + message.getMessage().replaceFirst("^\\$[^:]*: ", "") + ".", param, details);
    };
  }

  private static String param(JsonNodePath path) {
    String text = path.toString();
    return text.startsWith("$.") ? text.substring(2) : text.equals("$") ? "" : text.replaceFirst("^\\$", "");
  }

  private static String value(JsonNode event, JsonNodePath path) {
    JsonNode node = event;
    for (int i = 0; i < path.getNameCount() && node != null; i++) {
      Object element = path.getElement(i);
      node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
    }
    return node == null ? "null" : node.isTextual() ? "'" + node.asText() + "'" : node.toString();
  }

  private static String supported(String values) {
    String inner = values.startsWith("[") && values.endsWith("]") ? values.substring(1, values.length() - 1) : values;
    List<String> quoted = new ArrayList<>();
    for (String v : inner.split(",")) {
      String s = v.strip().replaceAll("^\"|\"$", "");
      if (!s.isEmpty()) {
        quoted.add("'" + s + "'");
      }
    }
    return String.join(", ", quoted);
  }

  private static String article(String jsonType) {
    return switch (jsonType) {
      case "integer", "object", "array" -> "an " + jsonType;
      case "null" -> "null";
      default -> "a " + jsonType;
    };
  }
}
