package dev.wavoice.whatsapp;

import java.util.Objects;

/** A user's answer to a call permission request, fired asynchronously once per message id. */
public record CallPermissionReplyReceived(WebhookSource source, InboundMessage message) {

  public CallPermissionReplyReceived {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(message, "message");
  }

  public InboundMessage.CallPermissionReply reply() {
    return message.interactive().callPermissionReply();
  }
}
