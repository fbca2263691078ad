package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {

  private final BusinessHours hours = BusinessHours.parse("MON-FRI 09:00-17:00; SAT 10:00-14:00", ZoneId.of("Europe/Berlin"));

  @Test
  void openWithinAWindowInItsTimeZone() {
    // Wednesday 2026-11-25, 09:30 in Berlin is 08:30 UTC
    assertThat(hours.isOpen(Instant.parse("2026-11-25T08:30:00Z"))).isTrue();
    assertThat(hours.isOpen(Instant.parse("2026-11-25T07:59:59Z"))).isFalse();
    assertThat(hours.isOpen(Instant.parse("2026-11-25T16:00:00Z"))).isFalse(); // 17:00 local: closed
    assertThat(hours.isOpen(Instant.parse("2026-11-28T12:00:00Z"))).isTrue();  // Saturday 13:00 local
    assertThat(hours.isOpen(Instant.parse("2026-11-29T12:00:00Z"))).isFalse(); // Sunday
  }

  @Test
  void daysMayWrapAndBeListed() {
    BusinessHours nights = BusinessHours.parse("FRI-MON 08:00-09:00; ", ZoneId.of("UTC"));
    assertThat(nights.isOpen(Instant.parse("2026-11-29T08:30:00Z"))).isTrue(); // Sunday
    assertThat(nights.isOpen(Instant.parse("2026-11-25T08:30:00Z"))).isFalse(); // Wednesday
    BusinessHours listed = BusinessHours.parse("MON,WED 08:00-09:00", ZoneId.of("UTC"));
    assertThat(listed.isOpen(Instant.parse("2026-11-25T08:30:00Z"))).isTrue();
    assertThat(listed.isOpen(Instant.parse("2026-11-24T08:30:00Z"))).isFalse();
  }

  @Test
  void badSpecificationsSayWhatIsWrong() {
    assertThatThrownBy(() -> BusinessHours.parse("MON 17:00-09:00", ZoneId.of("UTC"))).hasMessageContaining("after opening");
    assertThatThrownBy(() -> BusinessHours.parse("XYZ 09:00-17:00", ZoneId.of("UTC"))).hasMessageContaining("unknown day");
    assertThatThrownBy(() -> BusinessHours.parse("MON 09:00", ZoneId.of("UTC"))).hasMessageContaining("times");
    assertThatThrownBy(() -> BusinessHours.parse("MON 09:00-17:00,", ZoneId.of("UTC"))).hasMessageContaining("not a time");
  }
}
