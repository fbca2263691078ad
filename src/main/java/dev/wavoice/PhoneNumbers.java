package dev.wavoice;

/**
 * Phone numbers (WhatsApp ids) as logs may show them: only the last four digits, so that a log line
 * still tells calls apart without holding the caller's number. Every log line at INFO or above that
 * names a number goes through {@link #masked}; the full number stays in the call record, which erasure
 * and retention govern.
 */
public final class PhoneNumbers {

  private static final int SHOWN = 4;

  private PhoneNumbers() {}

  /** {@code 15551234567} → {@code *******4567}; null stays {@code null}; four digits or fewer are all hidden. */
  public static String masked(String number) {
    if (number == null) {
      return "null";
    }
    String digits = number.replaceAll("\\D", "");
    if (digits.length() <= SHOWN) {
      return "*".repeat(Math.max(SHOWN, digits.length()));
    }
    return "*".repeat(digits.length() - SHOWN) + digits.substring(digits.length() - SHOWN);
  }
}
