package dev.wavoice.testkit.openai;

import static dev.wavoice.testkit.JsonProviders.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The {@code error} objects OpenAI Realtime sends ({@code {type, code, message, param, event_id}}), with
 * the codes and wording seen from the real service. {@code clientEventId} is the {@code event_id} of the
 * client event that caused it (null when none).
 */
public final class OpenAiErrors {


  public static final String INVALID_REQUEST = "invalid_request_error";

  private OpenAiErrors() {}

  public static JsonObject error(String type, String code, String message, String param, String clientEventId) {
    JsonObjectBuilder error = JSON.createObjectBuilder().add("type", type);
    if (code == null) {
      error.addNull("code");
    } else {
      error.add("code", code);
    }
    error.add("message", message);
    if (param == null) {
      error.addNull("param");
    } else {
      error.add("param", param);
    }
    if (clientEventId == null) {
      error.addNull("event_id");
    } else {
      error.add("event_id", clientEventId);
    }
    return error.build();
  }

  /** The {@code type} OpenAI gives an error of this code (a scripted error step takes it from here). */
  public static String typeOf(String code) {
    return switch (code == null ? "" : code) {
      case "insufficient_quota" -> "insufficient_quota";
      case "invalid_api_key", "model_not_found", "session_expired", "invalid_value", "unknown_parameter" -> INVALID_REQUEST;
      default -> "server_error";
    };
  }

  public static JsonObject invalid(String code, String message, String param, String clientEventId) {
    return error(INVALID_REQUEST, code, message, param, clientEventId);
  }

  public static JsonObject betaShapeDisabled(String clientEventId) {
    return invalid("beta_api_shape_disabled",
        "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.", null, clientEventId);
  }

  public static JsonObject invalidApiKey(String presentedKey) {
    String shown = presentedKey == null || presentedKey.length() < 8
        ? "***" : presentedKey.substring(0, 3) + "*".repeat(4) + presentedKey.substring(presentedKey.length() - 4);
    return invalid("invalid_api_key", "Incorrect API key provided: " + shown
        + ". You can find your API key at https://platform.openai.com/account/api-keys.", null, null);
  }

  public static JsonObject missingAuthorization() {
    return invalid("missing_api_key",
        "Missing bearer or basic authentication in header", null, null);
  }

  public static JsonObject activeResponse(String responseId, String clientEventId) {
    return invalid("conversation_already_has_active_response",
        "Conversation already has an active response in progress: " + responseId
            + ". Wait until the response is finished before creating a new one.", null, clientEventId);
  }

  public static JsonObject cancelNotActive(String clientEventId) {
    return invalid("response_cancel_not_active", "Cancellation failed: no active response found", null, clientEventId);
  }

  public static JsonObject truncateBeyondAudio(int audioMs, int requestedMs, String clientEventId) {
    return invalid("invalid_value", "Audio content of " + audioMs + "ms is already shorter than " + requestedMs + "ms",
        "audio_end_ms", clientEventId);
  }

  public static JsonObject truncateNotAudio(String clientEventId) {
    return invalid("unsupported_content_type", "Only model output audio messages can be truncated", null, clientEventId);
  }

  public static JsonObject itemNotFound(String code, String itemId, String clientEventId) {
    return invalid(code, "Item with item_id not found: " + itemId, "item_id", clientEventId);
  }

  public static JsonObject sessionExpired(long minutes) {
    return invalid("session_expired", "Your session hit the maximum duration of " + minutes + " minutes.", null, null);
  }

  public static JsonObject serverError(String message) {
    return error("server_error", "server_error", message, null, null);
  }
}
