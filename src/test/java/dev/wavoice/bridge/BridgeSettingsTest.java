package dev.wavoice.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

  static BridgeSettings from(Map<String, String> values) {
    return BridgeSettings.from(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void defaultsAreAsDocumented() {
    BridgeSettings settings = BridgeSettings.defaults();
    assertThat(settings.appendBatchMs()).isEqualTo(40);
    assertThat(settings.playoutDelayMs()).isEqualTo(100);
    assertThat(settings.endCallDrainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.endCallTail()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void valuesAreReadAndChecked() {
    BridgeSettings settings = from(Map.of("wavoice.bridge.append-batch-ms", " 20 ", "wavoice.bridge.playout-delay-ms", "0",
        "wavoice.bridge.end-call-drain-timeout-ms", "5000", "wavoice.bridge.end-call-tail-ms", "0"));
    assertThat(settings).isEqualTo(new BridgeSettings(20, 0, Duration.ofSeconds(5), Duration.ZERO));
  }

  @Test
  void aBadValueIsRefusedNamingItsKey() {
    assertThatThrownBy(() -> from(Map.of("wavoice.bridge.append-batch-ms", "30")))
        .hasMessage("wavoice.bridge.append-batch-ms must be 20 or 40, was 30");
    assertThatThrownBy(() -> from(Map.of("wavoice.bridge.playout-delay-ms", "fast")))
        .hasMessage("wavoice.bridge.playout-delay-ms must be a whole number, was 'fast'");
    assertThatThrownBy(() -> from(Map.of("wavoice.bridge.end-call-drain-timeout-ms", "10")))
        .hasMessageStartingWith("wavoice.bridge.end-call-drain-timeout-ms must be 1000..300000");
    assertThatThrownBy(() -> from(Map.of("wavoice.bridge.end-call-tail-ms", "-1")))
        .hasMessageStartingWith("wavoice.bridge.end-call-tail-ms must be 0..5000");
  }
}
