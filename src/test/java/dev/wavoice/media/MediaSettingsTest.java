package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.audio.AudioCodec;
import java.net.InetAddress;
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

  static RtpSettings rtp(Map<String, String> values) {
    return RtpSettings.from(key -> Optional.ofNullable(values.get(key)));
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

  @Test
  void rtpDefaultsAndValues() throws Exception {
    RtpSettings defaults = rtp(Map.of());
    assertThat(defaults.bindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(defaults.minPort()).isEqualTo(31000);
    assertThat(defaults.maxPort()).isEqualTo(31999);
    assertThat(defaults.codec()).isEqualTo(AudioCodec.PCMU);

    RtpSettings set = rtp(Map.of(RtpSettings.BIND_ADDRESS, "::1", RtpSettings.PORT_RANGE, "20000 - 20099", RtpSettings.CODEC, "OPUS"));
    assertThat(set.bindAddress().isLoopbackAddress()).isTrue();
    assertThat(set.minPort()).isEqualTo(20000);
    assertThat(set.maxPort()).isEqualTo(20099);
    assertThat(set.codec()).isEqualTo(AudioCodec.OPUS);
  }

  @Test
  void badRtpValuesNameTheKey() {
    assertThatThrownBy(() -> rtp(Map.of(RtpSettings.PORT_RANGE, "31000"))).hasMessageContaining("wavoice.media.rtp-port-range");
    assertThatThrownBy(() -> rtp(Map.of(RtpSettings.PORT_RANGE, "31001-31999"))).hasMessageContaining("even");
    assertThatThrownBy(() -> rtp(Map.of(RtpSettings.PORT_RANGE, "900-1000"))).hasMessageContaining("1024-65535");
    assertThatThrownBy(() -> rtp(Map.of(RtpSettings.PORT_RANGE, "31000-30000"))).hasMessageContaining("min <= max");
    assertThatThrownBy(() -> rtp(Map.of(RtpSettings.CODEC, "g729"))).hasMessageContaining("wavoice.media.codec");
    // a malformed literal fails without a name lookup
    assertThatThrownBy(() -> rtp(Map.of(RtpSettings.BIND_ADDRESS, "[::1"))).hasMessageContaining("wavoice.media.rtp-bind-address");
  }
}
