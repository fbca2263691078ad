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
}
