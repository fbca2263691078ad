package dev.wavoice.whatsapp;

import java.util.Objects;

/** A signed {@code calls} webhook entry ({@code connect} or {@code terminate}), fired asynchronously once per (call id, event). */
public record CallWebhookReceived(WebhookSource source, WebhookCall call) {

  public CallWebhookReceived {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(call, "call");
  }
}
