package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.caller.Caller;
import dev.wavoice.testkit.kms.RealKms;
import dev.wavoice.testkit.kurento.MediaPlane;
import dev.wavoice.testkit.kurento.RecordingListener;
import dev.wavoice.testkit.kurento.SdpFixtures;
import dev.wavoice.testkit.rtp.RtpPeer;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real calls through our pipeline: the real Kurento 7.3 and the real WebRTC caller (GStreamer
 * webrtcbin, full ICE, DTLS-SRTP, Opus). The caller plays 440 Hz; it must come out of the RtpEndpoint
 * as PCMU to our socket. We play 1000 Hz as PCMU; the caller must hear it. The WebRtcEndpoints are made
 * for a WhatsApp peer, so with an ECDSA certificate: DTLS-SRTP completes with it.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class CallerMediaIT {

  static final int CALLER_HZ = 440;
  static final int OUR_HZ = 1000;
  static final int MEDIA_SECONDS = 6;

  static MediaPlane media;

  @BeforeAll
  static void start(RealKms kms) {
    media = MediaPlane.connected(kms.url());
  }

  @AfterAll
  static void stop() {
    media.close();
  }

  @Test
  void anIceLiteOfferTakesTheInvertedRolesAndAudioFlowsBothWays() {
    call(true);
  }

  @Test
  void aFullIceOfferTakesThePlainPathAndAudioFlowsBothWays() {
    call(false);
  }

  @Test
  void anOutgoingCallConnectsToACallerThatAnswersOurOfferAndAudioFlowsBothWays() {
    CallId callId = new CallId("wacid.IT" + UUID.randomUUID());
    RecordingListener listener = new RecordingListener();
    try (RtpPeer peer = RtpPeer.open(); MediaSession session = media.gateway.offer(callId, peer.leg(AudioCodec.PCMU), listener);
        Caller caller = Caller.answering(session.localSdp(), MEDIA_SECONDS, CALLER_HZ)) {
      session.applyRemoteAnswer(caller.awaitAnswer());
      listener.awaitConnected(Duration.ofSeconds(15));
      peer.sendPcmuTone(session.rtpTarget().rtp(), OUR_HZ, 8000);
      peer.awaitPackets(100, Duration.ofSeconds(10));
      short[] heard = peer.receivedPcmu();
      assertThat(Tones.dominantHz(Arrays.copyOfRange(heard, Math.max(0, heard.length - 8000), heard.length), 8000)).isCloseTo(CALLER_HZ, within(30.0));
      Caller.Report report = caller.awaitReport(Duration.ofSeconds(MEDIA_SECONDS + 20));
      assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
      assertThat(report.dominantHz()).as(report.raw()).isCloseTo(OUR_HZ, within(30.0));
      assertThat(listener.failures()).isEmpty();
    }
  }

  private void call(boolean iceLite) {
    CallId callId = new CallId("wacid.IT" + UUID.randomUUID());
    try (Caller caller = Caller.offering(MEDIA_SECONDS, CALLER_HZ); RtpPeer peer = RtpPeer.open()) {
      String offer = caller.awaitOffer();
      if (iceLite) {
        offer = SdpFixtures.withIceLite(offer);
      }
      RecordingListener listener = new RecordingListener();
      MediaSession session = media.gateway.answer(callId, offer, peer.leg(AudioCodec.PCMU), listener);
      try {
        String answer = session.localSdp();
        assertThat(answer).doesNotContain("a=ice-lite").contains("a=setup:active", "a=candidate:");
        assertThat(answer.lines().filter(l -> l.startsWith("a=fingerprint:"))).allMatch(l -> l.startsWith("a=fingerprint:sha-256 "));
        caller.answer(answer);

        listener.awaitConnected(Duration.ofSeconds(15));
        peer.sendPcmuTone(session.rtpTarget().rtp(), OUR_HZ, 8000);

        // two seconds of the caller's tone, transcoded by Kurento from Opus to PCMU
        peer.awaitPackets(100, Duration.ofSeconds(10));
        short[] heard = peer.receivedPcmu();
        short[] last = Arrays.copyOfRange(heard, Math.max(0, heard.length - 8000), heard.length);
        assertThat(Tones.dominantHz(last, 8000)).as("what the caller sent, out of the RtpEndpoint").isCloseTo(CALLER_HZ, within(30.0));
        assertThat(Tones.rmsDbfs(last)).isGreaterThan(-30);
        assertThat(peer.received()).allMatch(p -> p.payloadType() == 0);

        // WhatsApp's leg has an ECDSA certificate (RecordingListener is a WhatsApp peer): the handshake completes
        Caller.Report report = caller.awaitReport(Duration.ofSeconds(MEDIA_SECONDS + 20));
        assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
        assertThat(report.iceState()).as(report.raw()).isIn("connected", "completed");
        assertThat(report.receivedAudioMs()).as(report.raw()).isGreaterThan(2000);
        assertThat(report.dominantHz()).as("what we sent, heard by the caller: " + report.raw()).isCloseTo(OUR_HZ, within(30.0));
        assertThat(report.rmsDbfs()).as(report.raw()).isGreaterThan(-30);

        assertThat(listener.connectedCount()).isOne();
        assertThat(listener.failures()).isEmpty();
        // Kurento's view: audio came out of the WebRtcEndpoint into the RtpEndpoint, and back the other way
        for (MediaEvent.Leg leg : MediaEvent.Leg.values()) {
          if (leg != MediaEvent.Leg.PIPELINE) {
            assertThat(listener.saw(leg, MediaEvent.Kind.MEDIA_FLOW_IN, "FLOWING")).as(leg + " in: " + listener.events()).isTrue();
            assertThat(listener.saw(leg, MediaEvent.Kind.MEDIA_FLOW_OUT, "FLOWING")).as(leg + " out: " + listener.events()).isTrue();
          }
        }
        assertThat(listener.saw(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.DTLS, "CONNECTED")).as(listener.events().toString()).isTrue();
        assertThat(listener.saw(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.ICE_CANDIDATE_PAIR, "SELECTED")).isTrue();
      } finally {
        session.close();
      }
    }
  }
}
