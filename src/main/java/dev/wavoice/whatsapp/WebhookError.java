package dev.wavoice.whatsapp;

/** An error Meta attaches to a call or a status (e.g. 138021: the user's client got no media). */
public record WebhookError(Long code, String title, String message, String href, ErrorData errorData) {

  /** Meta's {@code error_data}; {@code details} is the human explanation. */
  public record ErrorData(String details) {}

  /** {@code error_data.details}, or null. */
  public String details() {
    return errorData == null ? null : errorData.details();
  }

  /** One line: the code, the message (or title) and the details when they add something. */
  public String describe() {
    String text = message != null ? message : title;
    String details = details();
    return code + (text == null ? "" : " " + text) + (details == null || details.equals(text) ? "" : " (" + details + ")");
  }
}
