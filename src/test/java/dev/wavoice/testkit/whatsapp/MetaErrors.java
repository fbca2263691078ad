package dev.wavoice.testkit.whatsapp;

import static dev.wavoice.testkit.JsonProviders.JSON;

import jakarta.json.JsonObject;
import java.util.UUID;

/** Error bodies as Meta's Graph API writes them. */
public final class MetaErrors {

  private MetaErrors() {}

  public static JsonObject error(long code, String type, String message, String details) {
    var error = JSON.createObjectBuilder().add("message", message).add("type", type).add("code", code);
    if (details != null) {
      error.add("error_data", JSON.createObjectBuilder().add("messaging_product", "whatsapp").add("details", details));
    }
    error.add("fbtrace_id", "A" + UUID.randomUUID().toString().replace("-", "").substring(0, 15));
    return JSON.createObjectBuilder().add("error", error).build();
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

  public static JsonObject expiredToken() {
    return error(190, "OAuthException", "Error validating access token: Session has expired", null);
  }

  /** A token without the permission the endpoint needs (Meta's "(#200) Permissions error"). */
  public static JsonObject permissionsError(String scope) {
    return error(200, "OAuthException", "(#200) Permissions error", "the token lacks " + scope);
  }

  public static JsonObject appTokenRequired() {
    return error(15, "OAuthException", "(#15) This method must be called with an app access_token.", null);
  }

  public static JsonObject applicationHasNoPermission() {
    return error(10, "OAuthException", "(#10) Application does not have permission for this action", null);
  }

  public static JsonObject nonexistingField(String field, String nodeType) {
    return error(100, "OAuthException", "(#100) Tried accessing nonexisting field (" + field + ") on node type (" + nodeType + ")",
        null);
  }

  public static JsonObject callingNotEnabled() {
    return error(138000, "OAuthException", "Calling not enabled", "Calling is not enabled for this phone number");
  }

  public static JsonObject messagingLimitTooLow() {
    return error(138015, "OAuthException", "Calling cannot be enabled",
        "Calling cannot be enabled: the messaging limit must be 2000 or more");
  }

  public static JsonObject callsNotSubscribed() {
    return error(138018, "OAuthException", "Calling cannot be enabled due to technical prerequisites not being met",
        "Configure SIP or ensure there is at-least one app subscribed to the WhatsApp Business Account that also has "
            + "subscription to the calls webhook field");
  }

  public static JsonObject sipEnabled() {
    return error(131055, "OAuthException", "Method not allowed", "Graph API calls are not allowed for SIP-enabled phone numbers");
  }

  public static JsonObject noCallPermission() {
    return error(138006, "OAuthException", "Call permission not granted",
        "The recipient has not approved call permission for this business.");
  }

  public static JsonObject permissionRequestLimit() {
    return error(138009, "OAuthException", "Call permission request limit hit",
        "The limit of call permission requests to this user has been reached");
  }

  public static JsonObject dailyCallLimit() {
    return error(138012, "OAuthException", "Business initiated calls limit hit",
        "Currently 100 connected business initiated calls are allowed within 24 hours");
  }

  /** pre_accept/accept with an SDP Meta's validator refuses (HTTP 400); why is in {@code error_data.details}. */
  public static JsonObject sdpValidation(String details) {
    return error(138008, "OAuthException", "SDP Validation error", details);
  }

  /** pre_accept/accept whose SDP has a fingerprint other than SHA-256 (HTTP 400): subcode 2494010 of an invalid parameter. */
  public static JsonObject fingerprintNotSha256(String details) {
    JsonObject body = invalidParameter(details);
    return JSON.createObjectBuilder().add("error", JSON.createObjectBuilder(body.getJsonObject("error")).add("error_subcode", 2494010))
        .build();
  }

  public static JsonObject rateLimited() {
    return error(613, "OAuthException", "Calls to this api have exceeded the rate limit.", null);
  }
}
