package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.ice.IceLiteResponder;
import dev.wavoice.testkit.kms.RealKms;
import dev.wavoice.testkit.kurento.MediaPlane;
import dev.wavoice.testkit.kurento.RecordingListener;
import dev.wavoice.testkit.rtp.RtpPeer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why the role inversion exists, against stock Kurento 7.3: an ICE-lite peer (like WhatsApp) never sends
 * checks, so the full agent must be ICE-controlling and nominate. A full-ICE caller would hide a wrong
 * role (it resolves the conflict itself), so the peer here only answers binding requests.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class IceLiteInversionIT {

  /** Each realistic offer: its {@code +} ufrag and {@code ==} password key the checks, its IPv6 candidate does not get in the way. */
  @ParameterizedTest
  @ValueSource(strings = {"whatsapp-offer.sdp", "whatsapp-offer-3484.sdp"})
  void withInvertedRolesKurentoControlsNominatesAndStartsDtls(String fixture, RealKms kms) {
    try (MediaPlane media = MediaPlane.connected(kms.url()); IceLiteResponder whatsapp = IceLiteResponder.open(fixture);
        RtpPeer peer = RtpPeer.open()) {
      RecordingListener listener = new RecordingListener();
      try (MediaSession session = media.gateway.answer(new CallId("wacid.L" + UUID.randomUUID()), whatsapp.offer(),
          peer.leg(AudioCodec.PCMU), listener)) {
        assertThat(session.localSdp()).doesNotContain("a=ice-lite").contains("a=setup:active");

        whatsapp.awaitClientHello(Duration.ofSeconds(20));
        assertThat(whatsapp.requests()).isNotEmpty().allSatisfy(request -> {
          assertThat(request.controlling()).as("ICE-CONTROLLING").isTrue();
          assertThat(request.controlled()).isFalse();
          assertThat(request.integrityOk()).as("MESSAGE-INTEGRITY with the offer's ice-pwd").isTrue();
          assertThat(request.username()).as("USERNAME starts with the offer's ufrag").startsWith(whatsapp.ufrag() + ":");
          assertThat(request.fingerprintOk()).isTrue();
          assertThat(request.from().getAddress().isLoopbackAddress()).isTrue();
        });
        assertThat(whatsapp.requests()).anyMatch(IceLiteResponder.BindingRequest::useCandidate);
        listener.awaitEvent(Duration.ofSeconds(10), MediaEvent.Leg.WEBRTC, MediaEvent.Kind.ICE_COMPONENT, "CONNECTED");
        assertThat(listener.failures()).noneMatch(f -> f.kind() == MediaFailure.Kind.ICE_FAILED);
      }
    }
  }

  @Test
  void answeringPlainlyKurentoIsControlledNobodyNominatesAndIceFails(RealKms kms) {
    try (MediaPlane media = MediaPlane.start(MediaPlane.settings(false, kms.url())); IceLiteResponder whatsapp = IceLiteResponder.open();
        RtpPeer peer = RtpPeer.open()) {
      media.awaitAvailable();
      RecordingListener listener = new RecordingListener();
      try (MediaSession session = media.gateway.answer(new CallId("wacid.L" + UUID.randomUUID()), whatsapp.offer(),
          peer.leg(AudioCodec.PCMU), listener)) {
        assertThat(session.localSdp()).as("the echoed ice-lite is removed even on this path").doesNotContain("a=ice-lite");

        MediaFailure failure = listener.awaitFailure(Duration.ofSeconds(40));
        assertThat(failure.kind()).isEqualTo(MediaFailure.Kind.ICE_FAILED);
        assertThat(whatsapp.requests()).as("Kurento checks the pair but, controlled, cannot nominate it").isNotEmpty().allSatisfy(request -> {
          assertThat(request.controlled()).as("Kurento answered, so it is ICE-controlled").isTrue();
          assertThat(request.useCandidate()).as("a controlled agent never nominates").isFalse();
        });
        assertThat(whatsapp.clientHellos()).as("no pair was nominated, so DTLS never starts").isZero();
        assertThat(listener.connectedCount()).isZero();
      }
    }
  }
}
