package dev.wavoice.testkit.kms;

import static dev.wavoice.testkit.JsonProviders.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kurento media object in the double: id, type, tags, name, and the operations every MediaObject has
 * ({@code kurento.MediaObject} in the IDL). Subclasses add their type's operations and events. All
 * state is guarded by the double's lock.
 */
public abstract class MediaObjectDouble {

  static final Set<String> OBJECT_EVENTS = Set.of("Error");

  final KmsDouble kms;
  final String id;
  final String type;
  final String ownerSession;
  final long creationTimeS = System.currentTimeMillis() / 1000;
  final Map<String, String> tags = new LinkedHashMap<>();
  String name;
  boolean sendTagsInEvents;
  volatile boolean released;

  MediaObjectDouble(KmsDouble kms, String id, String type, String ownerSession) {
    this.kms = kms;
    this.id = id;
    this.type = type;
    this.ownerSession = ownerSession;
    this.name = id;
  }

  public String id() {
    return id;
  }

  public String type() {
    return type;
  }

  public boolean released() {
    return released;
  }

  public Map<String, String> tags() {
    synchronized (kms.lock) {
      return Map.copyOf(tags);
    }
  }

  /** The events this type can be subscribed to. */
  abstract Set<String> events();

  /** The IDL hierarchy as {@code describe} reports it. */
  abstract List<String> hierarchy();

  abstract PipelineDouble pipeline();

  /** Runs one operation; returns its value ({@code JsonValue.NULL} for void). Unknown operations are MALFORMED_TRANSACTION like in KMS. */
  JsonValue invoke(String operation, JsonObject params) {
    switch (operation) {
      case "getName":
        return JSON.createValue(name);
      case "setName":
        name = string(params, "name");
        return JsonValue.NULL;
      case "addTag":
        tags.put(string(params, "key"), string(params, "value"));
        return JsonValue.NULL;
      case "removeTag":
        tags.remove(string(params, "key"));
        return JsonValue.NULL;
      case "getTag": {
        String value = tags.get(string(params, "key"));
        if (value == null) {
          throw KmsError.tagNotFound();
        }
        return JSON.createValue(value);
      }
      case "getTags": {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        tags.forEach((k, v) -> array.add(JSON.createObjectBuilder()
            .add("__module__", "kurento").add("__type__", "Tag").add("key", k).add("value", v)));
        return array.build();
      }
      case "getSendTagsInEvents":
        return sendTagsInEvents ? JsonValue.TRUE : JsonValue.FALSE;
      case "setSendTagsInEvents":
        sendTagsInEvents = bool(params, "sendTagsInEvents");
        return JsonValue.NULL;
      case "getCreationTime":
        return JSON.createValue(creationTimeS);
      case "getMediaPipeline":
        return JSON.createValue(pipeline().id);
      case "getParent":
        return pipeline() == this ? JsonValue.NULL : JSON.createValue(pipeline().id);
      case "getChildren": {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        children().forEach(c -> array.add(c.id));
        return array.build();
      }
      default:
        throw unknown(operation, params);
    }
  }

  List<? extends MediaObjectDouble> children() {
    return List.of();
  }

  void release() {
    released = true;
  }

  /** Sends an event to every session subscribed to it on this object (one per session, as KMS does). */
  void emit(String eventType, jakarta.json.JsonObjectBuilder fields) {
    kms.emit(this, eventType, fields);
  }

  JsonArrayBuilder tagsForEvents() {
    JsonArrayBuilder array = JSON.createArrayBuilder();
    if (sendTagsInEvents) {
      tags.forEach((k, v) -> array.add(JSON.createObjectBuilder()
          .add("__module__", "kurento").add("__type__", "Tag").add("key", k).add("value", v)));
    }
    return array;
  }

  static KmsError unknown(String operation, JsonObject params) {
    int count = params == null ? 0 : params.size();
    return KmsError.malformedTransaction("Method '" + operation + "' with " + count + " parameters not found");
  }

  static JsonObject required(JsonObject params) {
    if (params == null) {
      throw KmsError.marshall("'operationParams' is required");
    }
    return params;
  }

  static String string(JsonObject params, String name) {
    JsonValue value = required(params).get(name);
    if (!(value instanceof JsonString s)) {
      throw KmsError.marshall("'" + name + "' parameter should be a string");
    }
    return s.getString();
  }

  static String optionalString(JsonObject params, String name) {
    if (params == null || !params.containsKey(name)) {
      return null;
    }
    return string(params, name);
  }

  static boolean bool(JsonObject params, String name) {
    JsonValue value = required(params).get(name);
    if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
      throw KmsError.marshall("'" + name + "' parameter should be a boolean");
    }
    return value == JsonValue.TRUE;
  }
}
