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
 * can connect). Through the app's role inversion ICE, DTLS and audio both ways must work; answered plainly,
 * Kurento is controlled and the same offer must not connect — no full agent covers for a wrong role.
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
        peer.sendPcmuTone(session.rtpTarget(), OUR_HZ, 8000);
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
  void answeredPlainlyKurentoIsControlledNobodyNominatesAndIceFails(RealKms kms) {
    try (MediaPlane media = MediaPlane.start(MediaPlane.settings(false, kms.url()));
        WhatsAppPeer whatsapp = WhatsAppPeer.offering(MEDIA_SECONDS, PEER_HZ); RtpPeer peer = RtpPeer.open()) {
      media.awaitAvailable();
      String offer = whatsapp.awaitOffer();
      RecordingListener listener = new RecordingListener();
      try (MediaSession session = media.gateway.answer(new CallId("wacid.WA" + UUID.randomUUID()), offer,
          peer.leg(AudioCodec.PCMU), listener)) {
        whatsapp.answer(session.localSdp());

        MediaFailure failure = listener.awaitFailure(Duration.ofSeconds(40));
        assertThat(failure.kind()).isEqualTo(MediaFailure.Kind.ICE_FAILED);
        assertThat(listener.connectedCount()).isZero();
        WhatsAppPeer.Report report = whatsapp.awaitReport(Duration.ofSeconds(MEDIA_SECONDS + 20));
        assertThat(report.bindingRequests()).as("Kurento checked the pairs: " + report.raw()).isPositive();
        assertThat(report.remoteControlling()).as(report.raw()).isFalse();
        assertThat(report.remoteNominated()).as(report.raw()).isFalse();
        assertThat(report.bindingRequestsSent()).isZero();
        assertThat(report.dtlsConnected()).as(report.raw()).isFalse();
        assertThat(report.exitCode()).isEqualTo(2);
      }
    }
  }
}
