package dev.wavoice.whatsapp;

import java.util.Objects;

/** A signed status update of a business-initiated call, fired asynchronously once per (call id, status). */
public record CallStatusReceived(WebhookSource source, CallStatus status) {

  public CallStatusReceived {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(status, "status");
  }
}
