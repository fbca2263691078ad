package dev.wavoice.realtime;

import java.util.List;

/**
 * A finished response: {@code status} is {@code completed}, {@code cancelled}, {@code failed} or
 * {@code incomplete}; {@code reason} is {@code turn_detected}, {@code client_cancelled},
 * {@code max_output_tokens} or {@code content_filter} (or null); {@code errorCode} is set for a failed
 * response. {@code usage} is this response's tokens; {@code sessionUsage} the running total of the
 * call.
 */
public record ResponseSummary(
    String responseId,
    String status,
    String reason,
    String errorCode,
    TokenUsage usage,
    TokenUsage sessionUsage,
    List<String> functionCalls) {

  public boolean completed() {
    return "completed".equals(status);
  }
}
