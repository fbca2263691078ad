package dev.wavoice.whatsapp;

import java.util.List;
import java.util.Map;

/** Request and reply bodies of the Graph API endpoints wavoice calls, as Meta documents them. */
public final class GraphMessages {

  private GraphMessages() {}

  static final String WHATSAPP = "whatsapp";

  /** {@code POST /<phone-number-id>/calls}: pre_accept, accept, reject, terminate or connect. */
  public record CallActionRequest(
      String messagingProduct,
      String callId,
      String to,
      String action,
      CallSession session,
      String bizOpaqueCallbackData) {}

  /** The reply to a call action; {@code calls[0].id} is the new call id of a connect. */
  public record CallActionResponse(String messagingProduct, Boolean success, List<CallRef> calls) {}

  public record CallRef(String id) {}

  /** {@code GET|POST /<phone-number-id>/settings}: the number's calling settings. */
  public record PhoneSettings(CallingSettings calling) {}

  public record CallingSettings(
      String status,
      String callIconVisibility,
      String callbackPermissionStatus,
      CallHours callHours,
      SipSettings sip) {}

  public record CallHours(
      String status,
      String timezoneId,
      List<WeeklyHours> weeklyOperatingHours,
      List<HolidayClosure> holidaySchedule) {}

  public record WeeklyHours(String dayOfWeek, String openTime, String closeTime) {}

  public record HolidayClosure(String date, String startTime, String endTime) {}

  public record SipSettings(String status, List<SipServer> servers) {}

  public record SipServer(String hostname, Integer port, Map<String, String> requestUriUserParams) {}

  /** The {@code {"success":true}} reply of settings and other writes. */
  public record SuccessResponse(Boolean success) {}

  /** {@code GET /<phone-number-id>/call_permissions?user_wa_id=}. */
  public record CallPermissions(String messagingProduct, Permission permission, List<PermissionAction> actions) {

    /** True when the user has granted a (temporary or permanent) permission and a call may be started now. */
    public boolean canStartCall() {
      return actions != null
          && actions.stream()
              .anyMatch(a -> "start_call".equals(a.actionName()) && Boolean.TRUE.equals(a.canPerformAction()));
    }
  }

  public record Permission(String status, Long expirationTime) {}

  public record PermissionAction(String actionName, Boolean canPerformAction, List<ActionLimit> limits) {}

  public record ActionLimit(String timePeriod, Integer maxAllowed, Integer currentUsage, Long limitExpirationTime) {}

  /** {@code POST /<phone-number-id>/messages} with a text body. */
  public record TextMessageRequest(String messagingProduct, String recipientType, String to, String type, Text text) {}

  public record Text(Boolean previewUrl, String body) {}

  /** {@code POST /<phone-number-id>/messages} with an interactive {@code call_permission_request}. */
  public record InteractiveMessageRequest(
      String messagingProduct, String recipientType, String to, String type, Interactive interactive) {}

  public record Interactive(String type, Action action, Body body) {}

  public record Action(String name) {}

  public record Body(String text) {}

  public record MessagesResponse(String messagingProduct, List<MessageContact> contacts, List<MessageRef> messages) {}

  public record MessageContact(String input, String waId) {}

  public record MessageRef(String id) {}

  // ---- what the doctor reads

  /** {@code GET /debug_token?input_token=}: what Meta knows about a token. */
  public record DebugToken(TokenData data) {}

  /**
   * The token's data; {@code expires_at} 0 means it never expires. For a token Meta cannot validate,
   * {@code is_valid} is false and {@code error} says why.
   */
  public record TokenData(
      String appId,
      String application,
      String type,
      Long expiresAt,
      Boolean isValid,
      List<String> scopes,
      List<GranularScope> granularScopes,
      TokenError error) {}

  /** A permission and the objects (e.g. WABA ids) it was granted for. */
  public record GranularScope(String scope, List<String> targetIds) {}

  public record TokenError(Long code, String message, Long subcode) {}

  /** {@code GET /<phone-number-id>?fields=...}: the number as Meta sees it. */
  public record PhoneNumber(
      String id,
      String displayPhoneNumber,
      String verifiedName,
      String platformType,
      String status,
      String qualityRating,
      String messagingLimitTier,
      HealthStatus healthStatus) {}

  /** Messaging and calling health: {@code AVAILABLE}, {@code LIMITED} or {@code BLOCKED}, per entity. */
  public record HealthStatus(String canSendMessage, List<HealthEntity> entities) {}

  public record HealthEntity(
      String entityType, String id, String canSendMessage, String canReceiveCallSip, List<HealthError> errors) {}

  public record HealthError(Long errorCode, String errorDescription, String possibleSolution) {}

  /** {@code GET /<waba-id>/subscribed_apps}: the apps that get this WABA's webhooks. */
  public record SubscribedApps(List<SubscribedApp> data) {}

  public record SubscribedApp(AppRef whatsappBusinessApiData) {}

  public record AppRef(String id, String link, String name) {}

  /** {@code GET /<app-id>/subscriptions} (app access token): the app's webhook subscriptions. */
  public record AppSubscriptions(List<AppSubscription> data) {}

  public record AppSubscription(String object, String callbackUrl, Boolean active, List<SubscribedField> fields) {}

  public record SubscribedField(String name, String version) {}
}
