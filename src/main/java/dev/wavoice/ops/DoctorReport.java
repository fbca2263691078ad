package dev.wavoice.ops;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the doctor found: one entry per check, in a fixed order, and {@code ready} — true when no check
 * FAILed and none is UNKNOWN (WARNs allow it).
 */
public record DoctorReport(List<DoctorCheck> checks, boolean ready, Instant checkedAt) {

  public DoctorReport {
    checks = List.copyOf(checks);
  }

  public static DoctorReport of(List<DoctorCheck> checks, Instant checkedAt) {
    return new DoctorReport(checks, checks.stream().noneMatch(DoctorCheck::failing), checkedAt);
  }

  public Optional<DoctorCheck> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public List<DoctorCheck> failing() {
    return checks.stream().filter(DoctorCheck::failing).toList();
  }
}
