package dev.wavoice.doctor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the doctor found: one entry per check, in a fixed order, and {@code ready} — true when no check
 * FAILed and none is UNKNOWN (WARNs allow it). {@code media-path} is UNKNOWN until a WhatsApp call has
 * reached media, which a new setup cannot have done: that UNKNOWN does not hold readiness back.
 */
public record DoctorReport(List<DoctorCheck> checks, boolean ready, Instant checkedAt) {

  public DoctorReport {
    checks = List.copyOf(checks);
  }

  public static DoctorReport of(List<DoctorCheck> checks, Instant checkedAt) {
    return new DoctorReport(checks, checks.stream().noneMatch(DoctorReport::blocking), checkedAt);
  }

  private static boolean blocking(DoctorCheck check) {
    return check.failing() && !(check.id().equals(Doctor.MEDIA_PATH) && check.status() == CheckStatus.UNKNOWN);
  }

  public Optional<DoctorCheck> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public List<DoctorCheck> failing() {
    return checks.stream().filter(DoctorReport::blocking).toList();
  }
}
