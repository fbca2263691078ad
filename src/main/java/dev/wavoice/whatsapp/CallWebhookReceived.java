package dev.wavoice.whatsapp;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed {@code calls} webhook entry ({@code connect} or {@code terminate}), fired asynchronously once
 * per (call id, event); {@code receivedAt} is when the webhook reached wavoice.
 */
public record CallWebhookReceived(WebhookSource source, WebhookCall call, Instant receivedAt) {

  public CallWebhookReceived {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
