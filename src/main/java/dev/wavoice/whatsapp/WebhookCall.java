package dev.wavoice.whatsapp;

import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.util.List;

/**
 * One entry of {@code value.calls[]}: a {@code connect} (with the SDP {@code session}) or a
 * {@code terminate} (with {@code status}, times, {@code duration} and {@code errors} when known).
 * Times are kept as Meta sends them (unix seconds, as a string or a number).
 */
public record WebhookCall(
    String id,
    String from,
    String to,
    String event,
    @JsonbTypeDeserializer(FlexibleString.class) String timestamp,
    String direction,
    CallSession session,
    @JsonbTypeDeserializer(FlexibleString.class) String status,
    @JsonbTypeDeserializer(FlexibleString.class) String startTime,
    @JsonbTypeDeserializer(FlexibleString.class) String endTime,
    Long duration,
    List<WebhookError> errors,
    String bizOpaqueCallbackData,
    String deeplinkPayload,
    String ctaPayload) {

  public WebhookCall {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public boolean isConnect() {
    return "connect".equalsIgnoreCase(event);
  }

  public boolean isTerminate() {
    return "terminate".equalsIgnoreCase(event);
  }

  public boolean isBusinessInitiated() {
    return "BUSINESS_INITIATED".equalsIgnoreCase(direction);
  }
}
