package dev.wavoice.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.ConfigValues;
import dev.wavoice.testkit.MapConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The doctor's start-up delay and deadline: documented defaults, and a bad value names its key. */
class DoctorTimingTest {

  @Test
  void theDefaults() {
    assertThat(DoctorService.Timing.from(ConfigValues.lookup(MapConfig.of())))
        .isEqualTo(new DoctorService.Timing(5, Duration.ofMillis(8000)));
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> DoctorService.Timing.from(ConfigValues.lookup(MapConfig.of(DoctorService.TIMEOUT_MS, "0"))))
        .hasMessage("wavoice.doctor.timeout-ms must be 1 or more, was 0");
    assertThatThrownBy(() -> DoctorService.Timing.from(
        ConfigValues.lookup(MapConfig.of(DoctorService.STARTUP_DELAY_SECONDS, "soon"))))
        .hasMessageContaining("wavoice.doctor.startup-delay-seconds must be a whole number");
  }
}
