package dev.wavoice.whatsapp;

import java.util.Set;

/**
 * What a Graph API failure means for wavoice, from Meta's error code (see the WhatsApp calling
 * troubleshooting table). The HTTP status is only a fallback.
 */
public enum GraphErrorKind {
  /** 138006: the user has not granted call permission (Meta answers HTTP 401). */
  NO_CALL_PERMISSION,
  /** 138000: calling is not enabled on this phone number. */
  CALLING_NOT_ENABLED,
  /** 138015: calling cannot be enabled, the messaging limit is below 2,000. */
  MESSAGING_LIMIT_TOO_LOW,
  /** 138018: no app subscribed to the WABA with the {@code calls} webhook field. */
  CALLS_WEBHOOK_NOT_SUBSCRIBED,
  /** 131055: SIP is enabled on the number, which turns the calling API off. */
  SIP_ENABLED,
  /** 138012, 138009, 138002, 138005: one of Meta's calling limits was reached. */
  CALL_LIMIT_REACHED,
  /** 190 (and 102, 463, 467): the access token is invalid or expired. */
  ACCESS_TOKEN_REJECTED,
  /** 10, 200-299: the token lacks a permission. */
  PERMISSION_DENIED,
  /** 4, 17, 32, 613, 80007, 130429, 131056 or HTTP 429: throttled, retry later. */
  RATE_LIMITED,
  /** 100: an invalid parameter (for SDP problems the details are in {@code error_data}). */
  INVALID_PARAMETER,
  /** No answer, a timeout or an unreadable reply. */
  TRANSPORT,
  /** Anything else. */
  OTHER;

  static final Set<Long> RATE_LIMIT_CODES = Set.of(4L, 17L, 32L, 613L, 80007L, 130429L, 131056L);

  static GraphErrorKind of(int httpStatus, GraphError error) {
    long code = error == null ? 0 : error.codeOrZero();
    if (code == 138006) return NO_CALL_PERMISSION;
    if (code == 138000) return CALLING_NOT_ENABLED;
    if (code == 138015) return MESSAGING_LIMIT_TOO_LOW;
    if (code == 138018) return CALLS_WEBHOOK_NOT_SUBSCRIBED;
    if (code == 131055) return SIP_ENABLED;
    if (code == 138012 || code == 138009 || code == 138002 || code == 138005) return CALL_LIMIT_REACHED;
    if (code == 190 || code == 102 || code == 463 || code == 467) return ACCESS_TOKEN_REJECTED;
    if (code == 10 || (code >= 200 && code <= 299)) return PERMISSION_DENIED;
    if (RATE_LIMIT_CODES.contains(code) || (code == 0 && httpStatus == 429)) return RATE_LIMITED;
    if (code == 100) return INVALID_PARAMETER;
    return OTHER;
  }
}
