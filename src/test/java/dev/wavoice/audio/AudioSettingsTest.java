package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AudioSettingsTest {

  static AudioSettings of(Map<String, String> values) {
    return AudioSettings.from(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void defaultsAreTheDocumentedOnes() throws Exception {
    AudioSettings settings = AudioSettings.defaults();
    assertThat(settings.bindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(settings.advertiseAddress()).as("Kurento sends where the sockets are bound").isEqualTo(settings.bindAddress());
    assertThat(settings.portRange()).isEqualTo(new PortRange(31000, 31999));
    assertThat(settings.reorderDepthFrames()).isEqualTo(3);
    assertThat(settings.rtcpInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.outboundQueueFrames()).isEqualTo(6000);
    assertThat(settings.opusBitrateBps()).isEqualTo(20_000);
    assertThat(settings.opusComplexity()).isEqualTo(3);
  }

  @Test
  void readsEveryKey() throws Exception {
    AudioSettings settings = of(Map.of(
        "wavoice.media.rtp-bind-address", "::1",
        "wavoice.media.rtp-port-range", "40000-40099",
        "wavoice.audio.reorder-depth-frames", "0",
        "wavoice.audio.rtcp-interval-ms", "2500",
        "wavoice.audio.outbound-queue-ms", "30000",
        "wavoice.audio.opus-bitrate", "32000",
        "wavoice.audio.opus-complexity", " 9 "));
    assertThat(settings.bindAddress()).isEqualTo(InetAddress.getByName("::1"));
    assertThat(settings.portRange().pairs()).isEqualTo(50);
    assertThat(settings.reorderDepthFrames()).isZero();
    assertThat(settings.rtcpInterval()).isEqualTo(Duration.ofMillis(2500));
    assertThat(settings.outboundQueueFrames()).isEqualTo(1500);
    assertThat(settings.opusBitrateBps()).isEqualTo(32_000);
    assertThat(settings.opusComplexity()).isEqualTo(9);
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> of(Map.of("wavoice.media.rtp-port-range", "31000")))
        .hasMessageStartingWith("wavoice.media.rtp-port-range");
    assertThatThrownBy(() -> of(Map.of("wavoice.audio.opus-bitrate", "lots")))
        .hasMessage("wavoice.audio.opus-bitrate must be a whole number, was 'lots'");
    assertThatThrownBy(() -> of(Map.of("wavoice.audio.opus-complexity", "11")))
        .hasMessage("wavoice.audio.opus-complexity must be 0..10, was 11");
    assertThatThrownBy(() -> of(Map.of("wavoice.audio.reorder-depth-frames", "-1")))
        .hasMessageStartingWith("wavoice.audio.reorder-depth-frames");
    assertThatThrownBy(() -> of(Map.of("wavoice.audio.outbound-queue-ms", "500")))
        .hasMessageStartingWith("wavoice.audio.outbound-queue-ms");
    assertThatThrownBy(() -> of(Map.of("wavoice.media.rtp-bind-address", "no such host.invalid")))
        .hasMessageStartingWith("wavoice.media.rtp-bind-address");
    assertThatThrownBy(() -> of(Map.of("wavoice.media.rtp-advertise-address", "no such host.invalid")))
        .hasMessageStartingWith("wavoice.media.rtp-advertise-address");
  }

  @Test
  void kurentoOnAnotherHostIsToldTheAdvertisedAddress() throws Exception {
    AudioSettings settings = of(Map.of("wavoice.media.rtp-bind-address", "0.0.0.0",
        "wavoice.media.rtp-advertise-address", "10.20.0.7"));
    assertThat(settings.bindAddress()).isEqualTo(InetAddress.getByName("0.0.0.0"));
    assertThat(settings.advertiseAddress()).isEqualTo(InetAddress.getByName("10.20.0.7"));
  }

  @Test
  void aWildcardCannotBeAdvertised() {
    // the wildcard goes into no SDP offer: binding it needs an address Kurento can send to
    assertThatThrownBy(() -> of(Map.of("wavoice.media.rtp-bind-address", "0.0.0.0")))
        .hasMessageContaining("wavoice.media.rtp-bind-address is the wildcard 0.0.0.0: set wavoice.media.rtp-advertise-address");
    assertThatThrownBy(() -> of(Map.of("wavoice.media.rtp-advertise-address", "0.0.0.0")))
        .hasMessageContaining("wavoice.media.rtp-advertise-address must be the address Kurento sends");
  }
}
