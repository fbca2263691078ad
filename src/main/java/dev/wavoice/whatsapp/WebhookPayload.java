package dev.wavoice.whatsapp;

import java.util.List;

/**
 * The body of a WhatsApp Business webhook delivery: {@code object}, then {@code entry[].changes[]},
 * each with a {@code field} ({@code calls}, {@code messages}, ...) and a {@code value}. Unknown
 * properties are ignored, so Meta can add fields without breaking us.
 */
public record WebhookPayload(String object, List<Entry> entry) {

  public WebhookPayload {
    entry = entry == null ? List.of() : List.copyOf(entry);
  }

  /** One WhatsApp Business Account; {@code id} is the WABA id. */
  public record Entry(String id, List<Change> changes) {
    public Entry {
      changes = changes == null ? List.of() : List.copyOf(changes);
    }
  }

  /** One change: {@code field} names what the {@code value} carries. */
  public record Change(String field, Value value) {}

  /** The value of a change; which lists are present depends on the field. */
  public record Value(
      String messagingProduct,
      Metadata metadata,
      List<Contact> contacts,
      List<WebhookCall> calls,
      List<CallStatus> statuses,
      List<InboundMessage> messages,
      List<WebhookError> errors) {

    public Value {
      contacts = contacts == null ? List.of() : List.copyOf(contacts);
      calls = calls == null ? List.of() : List.copyOf(calls);
      statuses = statuses == null ? List.of() : List.copyOf(statuses);
      messages = messages == null ? List.of() : List.copyOf(messages);
      errors = errors == null ? List.of() : List.copyOf(errors);
    }
  }

  /** The business number the event is about. */
  public record Metadata(String displayPhoneNumber, String phoneNumberId) {}
}
