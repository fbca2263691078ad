package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.ErrorInfo;
import java.util.Set;

/**
 * Sorts OpenAI's {@code error} events. "Most errors are recoverable and the session will stay open":
 * only the codes below end a session. Two are expected in normal operation and only logged at debug:
 * a cancel that found no active response, and a response requested while another was active (its
 * request is queued again).
 */
final class RealtimeErrors {

  static final String RESPONSE_CANCEL_NOT_ACTIVE = "response_cancel_not_active";
  static final String ACTIVE_RESPONSE = "conversation_already_has_active_response";

  enum Severity { BENIGN, RECOVERABLE, FATAL }

  private static final Set<String> BENIGN = Set.of(RESPONSE_CANCEL_NOT_ACTIVE, ACTIVE_RESPONSE);

  private static final Set<String> FATAL =
      Set.of("beta_api_shape_disabled", "invalid_api_key", "session_expired", "model_not_found",
          "insufficient_quota", "account_deactivated");

  private RealtimeErrors() {}

  static Severity severity(ErrorInfo error) {
    String code = error == null ? null : error.code();
    if (code != null && BENIGN.contains(code)) {
      return Severity.BENIGN;
    }
    if (code != null && FATAL.contains(code)) {
      return Severity.FATAL;
    }
    return Severity.RECOVERABLE;
  }

  static RealtimeFailure failure(ErrorInfo error) {
    String code = error.code();
    RealtimeFailure.Kind kind = switch (code == null ? "" : code) {
      case "beta_api_shape_disabled" -> RealtimeFailure.Kind.BETA_REJECTED;
      case "invalid_api_key" -> RealtimeFailure.Kind.AUTH_REJECTED;
      case "session_expired" -> RealtimeFailure.Kind.SESSION_EXPIRED;
      default -> RealtimeFailure.Kind.SERVER_ERROR;
    };
    return new RealtimeFailure(kind, "OpenAI error: " + error.message(), -1, code);
  }

  /** A close by the server; 4000 is what OpenAI uses to refuse the beta protocol. */
  static RealtimeFailure closed(int code, String reason) {
    RealtimeFailure.Kind kind = code == 4000 ? RealtimeFailure.Kind.BETA_REJECTED : RealtimeFailure.Kind.CLOSED;
    String detail = "OpenAI closed the WebSocket" + (reason == null || reason.isBlank() ? "" : ": " + reason);
    return new RealtimeFailure(kind, detail, code, null);
  }

  static String describe(ErrorInfo error) {
    return (error.code() == null ? error.type() : error.code()) + ": " + error.message()
        + (error.param() == null ? "" : " (param " + error.param() + ")")
        + (error.eventId() == null ? "" : " (event " + error.eventId() + ")");
  }
}
