package dev.wavoice.whatsapp;

import java.util.Optional;

/**
 * A Graph API request that did not succeed: Meta's error (code, type, details) when it sent one, the
 * HTTP status, and whether the request may have taken effect anyway ({@link #outcomeUnknown()}: a
 * {@code connect} that timed out might have placed a call, so it is never retried blindly).
 */
public class GraphApiException extends RuntimeException {

  private final String operation;
  private final int httpStatus;
  private final transient GraphError error;
  private final GraphErrorKind kind;
  private final boolean outcomeUnknown;

  GraphApiException(String operation, int httpStatus, GraphError error, boolean outcomeUnknown, Throwable cause) {
    super(describe(operation, httpStatus, error, cause), cause);
    this.operation = operation;
    this.httpStatus = httpStatus;
    this.error = error;
    this.kind = cause != null && error == null ? GraphErrorKind.TRANSPORT : GraphErrorKind.of(httpStatus, error);
    this.outcomeUnknown = outcomeUnknown;
  }

  /** E.g. {@code calls/accept} or {@code settings}. */
  public String operation() {
    return operation;
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  public Optional<GraphError> error() {
    return Optional.ofNullable(error);
  }

  /** Meta's error code, or 0. */
  public long code() {
    return error == null ? 0 : error.codeOrZero();
  }

  public GraphErrorKind kind() {
    return kind;
  }

  /** True when the request may have been carried out although no success was seen. */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  private static String describe(String operation, int httpStatus, GraphError error, Throwable cause) {
    StringBuilder text = new StringBuilder("Graph API ").append(operation).append(" failed");
    if (httpStatus > 0) {
      text.append(": HTTP ").append(httpStatus);
    }
    if (error != null) {
      text.append(", code ").append(error.codeOrZero());
      if (error.errorSubcode() != null) {
        text.append('/').append(error.errorSubcode());
      }
      if (error.message() != null) {
        text.append(", ").append(error.message());
      }
      if (error.details() != null) {
        text.append(" (").append(error.details()).append(')');
      }
      if (error.fbtraceId() != null) {
        text.append(", fbtrace_id ").append(error.fbtraceId());
      }
    } else if (cause != null) {
      text.append(": ").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        text.append(' ').append(cause.getMessage());
      }
    }
    return text.toString();
  }
}
