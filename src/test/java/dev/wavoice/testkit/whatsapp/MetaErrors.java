package dev.wavoice.testkit.whatsapp;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.UUID;

/** Error bodies as Meta's Graph API writes them. */
public final class MetaErrors {

  private MetaErrors() {}

  public static JsonObject error(long code, String type, String message, String details) {
    var error = Json.createObjectBuilder().add("message", message).add("type", type).add("code", code);
    if (details != null) {
      error.add("error_data", Json.createObjectBuilder().add("messaging_product", "whatsapp").add("details", details));
    }
    error.add("fbtrace_id", "A" + UUID.randomUUID().toString().replace("-", "").substring(0, 15));
    return Json.createObjectBuilder().add("error", error).build();
  }

  public static JsonObject invalidParameter(String details) {
    return error(100, "OAuthException", "(#100) Invalid parameter", details);
  }

  public static JsonObject invalidToken() {
    return error(190, "OAuthException", "Invalid OAuth access token - Cannot parse access token", null);
  }

  public static JsonObject unsupportedRequest(String method, String path) {
    return error(
        100,
        "GraphMethodException",
        "Unsupported " + method.toLowerCase() + " request. Object with ID '" + path
            + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
        null);
  }
}
