package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.kms.RealKms;
import dev.wavoice.testkit.kurento.MediaPlane;
import dev.wavoice.testkit.kurento.RecordingListener;
import dev.wavoice.testkit.rtp.RtpPeer;
import dev.wavoice.testkit.whatsapp.SdpChecks;
import dev.wavoice.testkit.whatsapp.WhatsAppOfferChecks;
import dev.wavoice.testkit.whatsapp.WhatsAppPeer;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user-initiated WhatsApp call's media against the real Kurento 7.3, with a peer that behaves like
 * WhatsApp (ICE-lite: it answers checks and never sends one, so only a controlling Kurento that nominates
 * can connect). Through the app's role inversion ICE, DTLS and audio both ways must work. Answered plainly,
 * Kurento starts controlled: against WhatsApp's 487 Role Conflict libnice takes control and connects; against a
 * lite peer that answers any role nobody nominates and ICE fails — no full agent covers for a wrong role.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class WhatsAppPeerMediaIT {

  static final int PEER_HZ = 440;
  static final int OUR_HZ = 1000;
  static final int MEDIA_SECONDS = 6;

  @Test
  void withInvertedRolesKurentoNominatesDtlsConnectsAndTheTonesCrossBothWays(RealKms kms) {
    try (MediaPlane media = MediaPlane.connected(kms.url()); WhatsAppPeer whatsapp = WhatsAppPeer.offering(MEDIA_SECONDS, PEER_HZ);
        RtpPeer peer = RtpPeer.open()) {
      String offer = whatsapp.awaitOffer();
      assertThat(WhatsAppOfferChecks.check(offer)).as(offer).isEmpty();
      RecordingListener listener = new RecordingListener();
      try (MediaSession session = media.gateway.answer(new CallId("wacid.WA" + UUID.randomUUID()), offer,
          peer.leg(AudioCodec.PCMU), listener)) {
        String answer = session.localSdp();
        assertThat(SdpChecks.answer(answer)).as(answer).isEmpty();
        whatsapp.answer(answer);

        listener.awaitConnected(Duration.ofSeconds(20));
        peer.sendPcmuTone(session.rtpTarget().rtp(), OUR_HZ, 8000);
        peer.awaitPackets(100, Duration.ofSeconds(10));
        short[] heard = peer.receivedPcmu();
        short[] last = Arrays.copyOfRange(heard, Math.max(0, heard.length - 8000), heard.length);
        assertThat(Tones.dominantHz(last, 8000)).as("the peer's tone out of the RtpEndpoint").isCloseTo(PEER_HZ, within(30.0));
        assertThat(Tones.rmsDbfs(last)).isGreaterThan(-30);

        WhatsAppPeer.Report report = whatsapp.awaitReport(Duration.ofSeconds(MEDIA_SECONDS + 20));
        assertThat(report.bindingRequestsSent()).as("ICE-lite: no checks of its own").isZero();
        assertThat(report.remoteControlling()).as("Kurento is ICE-CONTROLLING: " + report.raw()).isTrue();
        assertThat(report.roleConflictResponses()).as(report.raw()).isZero();
        assertThat(report.remoteNominated()).as("Kurento nominated (USE-CANDIDATE): " + report.raw()).isTrue();
        assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
        assertThat(report.dtlsRole()).as("setup:active in the answer makes the peer the DTLS server").isEqualTo("server");
        assertThat(report.sentPackets()).as(report.raw()).isGreaterThan(100);
        assertThat(report.heardAudioMs()).as(report.raw()).isGreaterThan(2000);
        assertThat(report.dominantHz()).as("our tone heard by the peer: " + report.raw()).isCloseTo(OUR_HZ, within(30.0));
        assertThat(report.rmsDbfs()).as(report.raw()).isGreaterThan(-30);
        assertThat(report.exitCode()).as(whatsapp.log()).isZero();
        assertThat(listener.failures()).isEmpty();
        assertThat(listener.saw(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.DTLS, "CONNECTED")).as(listener.events().toString()).isTrue();
      }
    }
  }

  @Test
  void answeredPlainlyKurentoStartsControlledAndTakesControlOnWhatsAppsRoleConflict(RealKms kms) {
    try (MediaPlane media = MediaPlane.start(MediaPlane.settings(false, kms.url()));
        WhatsAppPeer whatsapp = WhatsAppPeer.offering(MEDIA_SECONDS, PEER_HZ); RtpPeer peer = RtpPeer.open()) {
      media.awaitAvailable();
      RecordingListener listener = new RecordingListener();
      try (MediaSession session = media.gateway.answer(new CallId("wacid.WA" + UUID.randomUUID()), whatsapp.awaitOffer(),
          peer.leg(AudioCodec.PCMU), listener)) {
        whatsapp.answer(session.localSdp());

        listener.awaitConnected(Duration.ofSeconds(20));
        WhatsAppPeer.Report report = whatsapp.awaitReport(Duration.ofSeconds(MEDIA_SECONDS + 20));
        assertThat(report.controlledRequests()).as("Kurento answered, so it first checks as controlled: " + report.raw()).isPositive();
        assertThat(report.roleConflictResponses()).as("each answered 487, as WhatsApp does: " + report.raw())
            .isEqualTo(report.controlledRequests());
        assertThat(report.remoteNominated()).as("libnice switched to controlling on the 487 and nominated: " + report.raw()).isTrue();
        assertThat(report.bindingRequestsSent()).isZero();
        assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
      }
    }
  }

  @Test
  void answeredPlainlyToALitePeerThatTakesAnyRoleNobodyNominatesAndIceFails(RealKms kms) {
    try (MediaPlane media = MediaPlane.start(MediaPlane.settings(false, kms.url()));
        WhatsAppPeer whatsapp = WhatsAppPeer.offering(MEDIA_SECONDS, PEER_HZ, WhatsAppPeer.ControlledChecks.SUCCESS);
        RtpPeer peer = RtpPeer.open()) {
      media.awaitAvailable();
      RecordingListener listener = new RecordingListener();
      try (MediaSession session = media.gateway.answer(new CallId("wacid.WA" + UUID.randomUUID()), whatsapp.awaitOffer(),
          peer.leg(AudioCodec.PCMU), listener)) {
        whatsapp.answer(session.localSdp());

        MediaFailure failure = listener.awaitFailure(Duration.ofSeconds(40));
        assertThat(failure.kind()).isEqualTo(MediaFailure.Kind.ICE_FAILED);
        assertThat(listener.connectedCount()).isZero();
        WhatsAppPeer.Report report = whatsapp.awaitReport(Duration.ofSeconds(MEDIA_SECONDS + 20));
        assertThat(report.controlledRequests()).as("Kurento checked the pair as controlled: " + report.raw()).isPositive();
        assertThat(report.remoteControlling()).as(report.raw()).isFalse();
        assertThat(report.remoteNominated()).as("a controlled agent never nominates: " + report.raw()).isFalse();
        assertThat(report.bindingRequestsSent()).as("and the lite peer sends no check that would let it: " + report.raw()).isZero();
        assertThat(report.dtlsConnected()).as(report.raw()).isFalse();
        assertThat(report.exitCode()).isEqualTo(2);
      }
    }
  }

  @Test
  void aBusinessInitiatedCallKurentoOffersThePeerAnswersLiteAndTheTonesCrossBothWays(RealKms kms) {
    RecordingListener listener = new RecordingListener();
    try (MediaPlane media = MediaPlane.connected(kms.url()); RtpPeer peer = RtpPeer.open();
        MediaSession session = media.gateway.offer(new CallId("wacid.WA" + UUID.randomUUID()), peer.leg(AudioCodec.PCMU), listener);
        WhatsAppPeer whatsapp = WhatsAppPeer.answering(session.localSdp(), MEDIA_SECONDS, PEER_HZ)) {
      String answer = whatsapp.awaitAnswer();
      assertThat(answer).contains("a=ice-lite", "a=setup:active");
      session.applyRemoteAnswer(answer);

      listener.awaitConnected(Duration.ofSeconds(20));
      peer.sendPcmuTone(session.rtpTarget().rtp(), OUR_HZ, 8000);
      peer.awaitPackets(100, Duration.ofSeconds(10));
      short[] heard = peer.receivedPcmu();
      assertThat(Tones.dominantHz(Arrays.copyOfRange(heard, Math.max(0, heard.length - 8000), heard.length), 8000))
          .isCloseTo(PEER_HZ, within(30.0));
      WhatsAppPeer.Report report = whatsapp.awaitReport(Duration.ofSeconds(MEDIA_SECONDS + 20));
      assertThat(report.remoteControlling()).as("Kurento offered, so it controls: " + report.raw()).isTrue();
      assertThat(report.remoteNominated()).as(report.raw()).isTrue();
      assertThat(report.bindingRequestsSent()).isZero();
      assertThat(report.dtlsRole()).as("the peer answered active, so it is the DTLS client").isEqualTo("client");
      assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
      assertThat(report.dominantHz()).as("our tone heard by the peer: " + report.raw()).isCloseTo(OUR_HZ, within(30.0));
      assertThat(listener.failures()).isEmpty();
    }
  }
}
