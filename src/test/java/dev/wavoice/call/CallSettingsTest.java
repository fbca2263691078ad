package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.testkit.MapConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The call limits' settings: documented defaults, 0 for off, no negative values. */
class CallSettingsTest {

  @Test
  void theLimitsHaveTheirDefaults() {
    CallSettings settings = CallSettings.from(MapConfig.of());
    assertThat(settings.acceptWithoutMediaAfter()).isEqualTo(Duration.ofMillis(5000));
    assertThat(settings.maxDuration()).isEqualTo(Duration.ofSeconds(1800));
    assertThat(settings.inactivity()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.mediaTimeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void zeroTurnsALimitOff() {
    CallSettings settings = CallSettings.from(MapConfig.of("wavoice.calls.accept-without-media-after-ms", "0",
        "wavoice.calls.max-duration-seconds", "0", "wavoice.calls.inactivity-seconds", " 0 "));
    assertThat(settings.acceptWithoutMediaAfter()).isZero();
    assertThat(settings.maxDuration()).isZero();
    assertThat(settings.inactivity()).isZero();
  }

  @Test
  void aNegativeOrNonNumericValueNamesTheKey() {
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.calls.inactivity-seconds", "-1")))
        .hasMessage("wavoice.calls.inactivity-seconds must be 0 (off) or more, was -1");
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.calls.max-duration-seconds", "half an hour")))
        .hasMessageContaining("wavoice.calls.max-duration-seconds must be a whole number");
  }

  @Test
  void everyBadValueNamesItsKey() {
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.calls.max-active", "0")))
        .hasMessage("wavoice.calls.max-active must be 1 or more, was 0");
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.calls.media-timeout-seconds", "soon")))
        .hasMessageContaining("wavoice.calls.media-timeout-seconds must be a whole number");
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.calls.outbound-answer-timeout-seconds", "0")))
        .hasMessageContaining("wavoice.calls.outbound-answer-timeout-seconds must be 1 or more");
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.calls.shutdown-grace-seconds", "-5")))
        .hasMessageContaining("wavoice.calls.shutdown-grace-seconds must be 0 or more");
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.calls.time-zone", "Mars/Olympus")))
        .hasMessageStartingWith("wavoice.calls.time-zone: ");
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.calls.business-hours", "whenever")))
        .hasMessageStartingWith("wavoice.calls.business-hours: ");
    assertThatThrownBy(() -> CallSettings.from(MapConfig.of("wavoice.media.codec", "g729")))
        .hasMessageStartingWith("wavoice.media.codec must be pcmu or opus");
  }
}
