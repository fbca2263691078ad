package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.ConfigValues;
import dev.wavoice.testkit.MapConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionSettingsTest {

  @Test
  void recordsAreKeptUntilErasedByDefault() {
    assertThat(RetentionSettings.from(ConfigValues.lookup(MapConfig.of())).keepForever()).isTrue();
    assertThat(RetentionSettings.from(ConfigValues.lookup(MapConfig.of("wavoice.retention.days", "30"))).period())
        .isEqualTo(Duration.ofDays(30));
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> RetentionSettings.from(ConfigValues.lookup(MapConfig.of("wavoice.retention.days", "-1"))))
        .hasMessage("wavoice.retention.days must be 0..36500, was -1");
    assertThatThrownBy(() -> RetentionSettings.from(ConfigValues.lookup(MapConfig.of("wavoice.retention.days", "4294967326"))))
        .hasMessage("wavoice.retention.days must be 0..36500, was 4294967326");
    assertThatThrownBy(() -> RetentionSettings.from(ConfigValues.lookup(MapConfig.of("wavoice.retention.days", "a month"))))
        .hasMessageContaining("wavoice.retention.days must be a whole number");
  }
}
