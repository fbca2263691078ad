package dev.wavoice.testkit.openai;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP answer OpenAI gives instead of the WebSocket upgrade: its REST error envelope
 * ({@code {"error":{message,type,param,code}}}) with the status. The ones a client meets mid-call: the
 * key revoked (401 {@code invalid_api_key}), a rate or quota limit (429), an outage (500, 503).
 */
public record UpgradeRefusal(int status, String reasonPhrase, JsonObject body) {

  /** 401: the key was revoked or rotated. */
  public static UpgradeRefusal unauthorized(String presentedKey) {
    JsonObject error = OpenAiErrors.invalidApiKey(presentedKey);
    return new UpgradeRefusal(401, "Unauthorized",
        ModelsEndpoint.error(error.getString("message"), "invalid_request_error", null, "invalid_api_key"));
  }

  /** 429: the organization's request rate for the model is used up. */
  public static UpgradeRefusal rateLimited() {
    return new UpgradeRefusal(429, "Too Many Requests", ModelsEndpoint.error(
        "Rate limit reached for gpt-realtime in organization org-wavoicetest on requests per min (RPM): Limit 100, "
            + "Used 100, Requested 1. Please try again in 600ms.",
        "requests", "requests", "rate_limit_exceeded"));
  }

  /** 500: OpenAI's own failure. */
  public static UpgradeRefusal serverError() {
    return new UpgradeRefusal(500, "Internal Server Error", ModelsEndpoint.error(
        "The server had an error while processing your request. Sorry about that!", "server_error", null, null));
  }

  /** The whole HTTP response, as it goes on the wire. */
  byte[] httpResponse() {
    byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reasonPhrase + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + json.length + "\r\n"
        + "Connection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + json.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(json, 0, all, headBytes.length, json.length);
    return all;
  }
}
