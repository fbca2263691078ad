package dev.wavoice.testkit.whatsapp;

import jakarta.json.JsonObject;

/**
 * One request the WhatsApp double received: method, path (without the version), query, the body as
 * JSON (null for GET), the status it answered, and the operation it was (e.g. {@code settings/update},
 * {@code calls/connect}; null for an unknown path).
 */
public record GraphRequest(
    String method, String version, String path, String query, String authorization, JsonObject body, int status,
    String operation) {

  /** The {@code action} of a {@code /calls} request, or null. */
  public String action() {
    return body == null ? null : body.getString("action", null);
  }

  public String callId() {
    return body == null ? null : body.getString("call_id", null);
  }

  /** The SDP of the request's {@code session}, or null. */
  public String sdp() {
    return body == null || !body.containsKey("session") ? null : body.getJsonObject("session").getString("sdp", null);
  }
}
