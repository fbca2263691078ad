package dev.wavoice.whatsapp;

import java.util.Map;

/**
 * Meta's error body: {@code {"error":{"message","type","code","error_subcode","error_data","fbtrace_id"}}}.
 * The {@code code} decides what went wrong; the HTTP status alone does not (138006 comes as 401, like a
 * rejected token).
 */
public record GraphError(
    String message,
    String type,
    Long code,
    Long errorSubcode,
    Map<String, Object> errorData,
    String fbtraceId) {

  /** The envelope Meta wraps the error in. */
  public record Envelope(GraphError error) {}

  public long codeOrZero() {
    return code == null ? 0 : code;
  }

  /** {@code error_data.details} when Meta gives one. */
  public String details() {
    Object details = errorData == null ? null : errorData.get("details");
    return details == null ? null : details.toString();
  }
}
