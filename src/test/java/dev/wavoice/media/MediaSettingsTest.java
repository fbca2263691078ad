package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.audio.AudioCodec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code wavoice.kurento.*} and {@code wavoice.media.*}: defaults, lists, and clear errors for bad values. */
class MediaSettingsTest {

  static KurentoSettings kurento(Map<String, String> values) {
    return KurentoSettings.from(key -> Optional.ofNullable(values.get(key)));
  }


  @Test
  void kurentoDefaults() {
    KurentoSettings settings = kurento(Map.of());
    assertThat(settings.urls()).containsExactly(URI.create("ws://127.0.0.1:8888/kurento"));
    assertThat(settings.rtpHostFor(settings.urls().get(0))).isEqualTo("127.0.0.1");
    assertThat(settings.instanceTag()).isNotBlank();
    assertThat(settings.gatheringTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.retryMin()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.retryMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.reconcileInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.invertIceLite()).isTrue();
  }

  @Test
  void severalKurentosAndAnRtpHostOverride() {
    KurentoSettings settings = kurento(Map.of(KurentoSettings.URL, " ws://kms-a:8888/kurento , wss://user:secret@kms-b:8433/kurento ",
        KurentoSettings.INSTANCE_TAG, "wavoice-7", KurentoSettings.INVERT_ICE_LITE, "false"));
    assertThat(settings.urls()).hasSize(2);
    assertThat(settings.rtpHostFor(settings.urls().get(1))).isEqualTo("kms-b");
    assertThat(KurentoSettings.display(settings.urls().get(1))).as("no user info in health data or logs")
        .isEqualTo("wss://kms-b:8433/kurento");
    assertThat(settings.instanceTag()).isEqualTo("wavoice-7");
    assertThat(settings.invertIceLite()).isFalse();
    assertThat(kurento(Map.of(KurentoSettings.RTP_HOST, "10.0.0.5")).rtpHostFor(URI.create("ws://kms:8888/kurento"))).isEqualTo("10.0.0.5");
  }

  @Test
  void badKurentoValuesNameTheKey() {
    assertThatThrownBy(() -> kurento(Map.of(KurentoSettings.URL, "http://kms:8888/kurento")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wavoice.kurento.url");
    assertThatThrownBy(() -> kurento(Map.of(KurentoSettings.URL, " , ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wavoice.kurento.url");
    assertThatThrownBy(() -> kurento(Map.of(KurentoSettings.PING_INTERVAL_MS, "often")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wavoice.kurento.ping-interval-ms");
    assertThatThrownBy(() -> kurento(Map.of(KurentoSettings.GATHERING_TIMEOUT_MS, "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> kurento(Map.of(KurentoSettings.RETRY_MIN_MS, "5000", KurentoSettings.RETRY_MAX_MS, "100")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wavoice.kurento.retry-max-ms");
    assertThatThrownBy(() -> kurento(Map.of(KurentoSettings.INVERT_ICE_LITE, "yes")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wavoice.kurento.invert-ice-lite");
  }


}
