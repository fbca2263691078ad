package dev.wavoice.whatsapp;

/** An error Meta attaches to a call or a status (e.g. 138021: the user's client got no media). */
public record WebhookError(Long code, String title, String message, String href, ErrorData errorData) {

  /** Meta's {@code error_data}; {@code details} is the human explanation. */
  public record ErrorData(String details) {}
}
