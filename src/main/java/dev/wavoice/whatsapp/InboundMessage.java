package dev.wavoice.whatsapp;

import jakarta.json.bind.annotation.JsonbTypeDeserializer;

/**
 * One entry of {@code value.messages[]}. wavoice only acts on the interactive
 * {@code call_permission_reply}; other messages are accepted and ignored.
 */
public record InboundMessage(
    String from,
    String id,
    @JsonbTypeDeserializer(FlexibleString.class) String timestamp,
    String type,
    Context context,
    Interactive interactive,
    Text text) {

  /** What the message replies to: a permission request message id, or a call id. */
  public record Context(String from, String id) {}

  public record Text(String body) {}

  public record Interactive(String type, CallPermissionReply callPermissionReply) {}

  /** The user's answer to a call permission request. */
  public record CallPermissionReply(
      String response,
      Boolean isPermanent,
      @JsonbTypeDeserializer(FlexibleString.class) String expirationTimestamp,
      String responseSource) {

    public boolean accepted() {
      return "accept".equalsIgnoreCase(response);
    }
  }

  public boolean isCallPermissionReply() {
    return "interactive".equals(type)
        && interactive != null
        && "call_permission_reply".equals(interactive.type())
        && interactive.callPermissionReply() != null;
  }
}
