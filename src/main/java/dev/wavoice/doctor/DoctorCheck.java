package dev.wavoice.doctor;

import java.util.Objects;

/**
 * One check of the doctor: its id (e.g. {@code calls-webhook-field}), how it came out, what was seen,
 * and what to do about it in plain words (empty when there is nothing to do).
 */
public record DoctorCheck(String id, CheckStatus status, String summary, String fix) {

  public DoctorCheck {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    summary = summary == null ? "" : summary;
    fix = fix == null ? "" : fix;
  }

  public static DoctorCheck pass(String id, String summary) {
    return new DoctorCheck(id, CheckStatus.PASS, summary, "");
  }

  public static DoctorCheck warn(String id, String summary, String fix) {
    return new DoctorCheck(id, CheckStatus.WARN, summary, fix);
  }

  public static DoctorCheck fail(String id, String summary, String fix) {
    return new DoctorCheck(id, CheckStatus.FAIL, summary, fix);
  }

  public static DoctorCheck unknown(String id, String summary, String fix) {
    return new DoctorCheck(id, CheckStatus.UNKNOWN, summary, fix);
  }

  /** FAIL or UNKNOWN: something stands between this number and working calls, or could not be ruled out. */
  public boolean failing() {
    return status == CheckStatus.FAIL || status == CheckStatus.UNKNOWN;
  }
}
