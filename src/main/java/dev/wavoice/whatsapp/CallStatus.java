package dev.wavoice.whatsapp;

import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.util.List;

/**
 * One entry of {@code value.statuses[]} for a business-initiated call: {@code RINGING},
 * {@code ACCEPTED} or {@code REJECTED}.
 */
public record CallStatus(
    String id,
    @JsonbTypeDeserializer(FlexibleString.class) String timestamp,
    String type,
    String status,
    String recipientId,
    String bizOpaqueCallbackData,
    List<WebhookError> errors) {

  public CallStatus {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
