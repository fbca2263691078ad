package dev.wavoice.call;

import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.GraphErrorKind;
import dev.wavoice.whatsapp.Prerequisite;

/**
 * Why a business-initiated call was not (or cannot be) placed: an {@code error} code for scripts, a
 * message for people (with Meta's error when there is one), and a {@link Kind} that decides the HTTP
 * status of the admin API.
 */
public final class OutboundCallRefused extends RuntimeException {

  public enum Kind {
    /** The state of things forbids it (no permission, declined, a request already pending): 409. */
    CONFLICT,
    /** One of Meta's calling limits is used up: 429. */
    LIMIT,
    /** Meta throttled a request (613 and kin): 429. */
    RATE_LIMITED,
    /** A prerequisite of calling is missing on Meta's side (see the doctor): 409. */
    NOT_READY,
    /** Meta failed otherwise: 502. */
    GRAPH,
    /** wavoice cannot place a call now (capacity, shutdown, media): 503. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final String error;

  public OutboundCallRefused(Kind kind, String error, String message) {
    super(message);
    this.kind = kind;
    this.error = error;
  }

  public Kind kind() {
    return kind;
  }

  /** E.g. {@code daily_call_limit_reached}, {@code no_call_permission}, {@code permission_declined}. */
  public String error() {
    return error;
  }

  /** What a Graph error means for a business-initiated call, in {@code doing} (e.g. "placing the call"). */
  static OutboundCallRefused of(GraphApiException e, String doing) {
    String meta = " (" + doing + ": " + e.getMessage() + ")";
    var prerequisite = Prerequisite.ofCode(e.code());
    if (prerequisite.isPresent()) {
      Prerequisite p = prerequisite.get();
      return new OutboundCallRefused(Kind.NOT_READY, "calling_not_ready",
          p.explanation() + "; see check " + p.checkId() + " in GET /api/doctor" + meta);
    }
    long code = e.code();
    if (code == 138006) {
      return new OutboundCallRefused(Kind.CONFLICT, "no_call_permission", "the user has not granted call permission" + meta);
    }
    if (code == 138012) {
      return new OutboundCallRefused(Kind.LIMIT, "daily_call_limit_reached",
          "Meta's limit of connected business-initiated calls per 24 hours for this number is reached" + meta);
    }
    if (code == 138009) {
      return new OutboundCallRefused(Kind.LIMIT, "permission_request_limit_reached",
          "Meta's limit of call permission requests to this user is reached (1 per 24 hours, 2 per 7 days)" + meta);
    }
    if (code == 138002) {
      return new OutboundCallRefused(Kind.LIMIT, "concurrent_call_limit_reached",
          "Meta's limit of concurrent calls for this number is reached" + meta);
    }
    if (code == 138005) {
      return new OutboundCallRefused(Kind.LIMIT, "call_rate_limit_reached", "Meta's call rate limit is reached" + meta);
    }
    if (code == 138003) {
      return new OutboundCallRefused(Kind.CONFLICT, "duplicate_call", "a call with this user is already ongoing" + meta);
    }
    if (code == 138001) {
      return new OutboundCallRefused(Kind.CONFLICT, "user_not_callable", "Meta says this user cannot be called" + meta);
    }
    if (code == 138013) {
      return new OutboundCallRefused(Kind.NOT_READY, "business_initiated_calling_unavailable",
          "business-initiated calling is not available for this number (e.g. numbers from the USA, Canada, Egypt, Vietnam, "
              + "Nigeria)" + meta);
    }
    if (e.kind() == GraphErrorKind.RATE_LIMITED) {
      return new OutboundCallRefused(Kind.RATE_LIMITED, "rate_limited", "Meta is throttling these requests; try again shortly" + meta);
    }
    return new OutboundCallRefused(Kind.GRAPH, "graph_error", "Meta refused" + meta);
  }
}
