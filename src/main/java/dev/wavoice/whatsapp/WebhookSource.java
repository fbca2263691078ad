package dev.wavoice.whatsapp;

import java.util.List;
import java.util.Optional;

/**
 * Where a webhook event came from: the WhatsApp Business Account, the business phone number, the
 * contacts Meta named in the same change and any errors given at the {@code value} level.
 */
public record WebhookSource(
    String wabaId,
    String phoneNumberId,
    String displayPhoneNumber,
    List<Contact> contacts,
    List<WebhookError> errors) {

  public WebhookSource {
    contacts = contacts == null ? List.of() : List.copyOf(contacts);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** The contact with this WhatsApp id, if Meta sent one. */
  public Optional<Contact> contact(String waId) {
    return contacts.stream().filter(c -> waId != null && waId.equals(c.waId())).findFirst();
  }
}
