package dev.wavoice.whatsapp;

import java.util.Arrays;
import java.util.Optional;

/**
 * A prerequisite of WhatsApp calling that Meta names in an error code, with the doctor check that
 * covers it. When a call action or a settings change fails with one of these codes, the missing
 * prerequisite is known for certain, whatever the doctor last read.
 */
public enum Prerequisite {
  /** 138000: calling is not enabled on the phone number. */
  CALLING_ENABLED(138000, "calling-enabled", "calling is not enabled on the phone number"),
  /** 138015: calling cannot be enabled while the messaging limit is below 2,000. */
  MESSAGING_LIMIT(138015, "messaging-limit", "calling cannot be enabled while the messaging limit is below 2,000"),
  /** 138018: no app subscribed to the WABA also has the {@code calls} webhook field. */
  CALLS_WEBHOOK_FIELD(138018, "calls-webhook-field",
      "no app subscribed to the WhatsApp Business Account has the calls webhook field"),
  /** 131055: SIP is enabled on the number, which turns the Graph calling API off. */
  SIP_DISABLED(131055, "sip-disabled", "SIP is enabled on the number, which turns the calling API off");

  private final long code;
  private final String checkId;
  private final String explanation;

  Prerequisite(long code, String checkId, String explanation) {
    this.code = code;
    this.checkId = checkId;
    this.explanation = explanation;
  }

  /** Meta's error code that names this prerequisite. */
  public long code() {
    return code;
  }

  /** The id of the doctor check that covers it. */
  public String checkId() {
    return checkId;
  }

  /** What is missing, in plain words. */
  public String explanation() {
    return explanation;
  }

  public static Optional<Prerequisite> ofCode(long code) {
    return Arrays.stream(values()).filter(p -> p.code == code).findFirst();
  }
}
