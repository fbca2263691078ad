package dev.wavoice;

import java.util.Objects;

/**
 * The id of one call: Meta's call id ({@code wacid....}) for WhatsApp calls, or an id wavoice makes for
 * a softphone call. It is the idempotency key of webhooks and the tag of the call's media pipeline.
 */
public record CallId(String value) {

  public CallId {
    Objects.requireNonNull(value, "call id");
    if (value.isBlank()) {
      throw new IllegalArgumentException("call id is blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
