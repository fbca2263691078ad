package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.kms.PipelineDouble;
import dev.wavoice.testkit.kms.RtpEndpointDouble;
import dev.wavoice.testkit.kms.WebRtcEndpointDouble;
import dev.wavoice.testkit.kurento.MediaPlane;
import dev.wavoice.testkit.kurento.RecordingListener;
import dev.wavoice.testkit.kurento.SdpFixtures;
import dev.wavoice.testkit.rtp.RtpPacket;
import dev.wavoice.testkit.rtp.RtpPeer;
import dev.wavoice.testkit.whatsapp.SdpChecks;
import io.github.jaredmdobson.concentus.OpusDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The media gateway with the real kurento-client against the strict KMS double. */
class KurentoMediaGatewayTest {

  static final Duration DEADLINE = Duration.ofSeconds(10);

  KmsDouble kms;
  MediaPlane media;
  RtpPeer peer;

  @BeforeEach
  void start() {
    kms = KmsDouble.start();
    media = MediaPlane.connected(kms.url());
    peer = RtpPeer.open();
  }

  @AfterEach
  void stop() {
    peer.close();
    media.close();
    kms.close();
  }

  static CallId newCallId() {
    return new CallId("wacid.T" + UUID.randomUUID());
  }

  PipelineDouble pipelineOf(CallId callId) {
    return kms.pipelineTagged("wavoice.call-id", callId.value()).orElseThrow(() -> new AssertionError("no pipeline for " + callId));
  }

  @Test
  void anIceLiteOfferIsAnsweredByInvertedRoles() {
    CallId callId = newCallId();
    try (MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
      String answer = session.localSdp();
      assertThat(SdpChecks.answer(answer)).isEmpty();
      assertThat(answer).contains("\r\na=mid:audio\r\n", "\r\na=group:BUNDLE audio\r\n", "\r\nm=audio ", " UDP/TLS/RTP/SAVPF 111\r\n",
          "\r\na=rtpmap:111 opus/48000/2\r\n", "\r\na=setup:active\r\n").doesNotContain("a=ice-lite");
      assertThat(answer.lines().filter(l -> l.startsWith("a=candidate:"))).singleElement().asString().contains(" 1 UDP ");

      PipelineDouble pipeline = pipelineOf(callId);
      WebRtcEndpointDouble webRtc = pipeline.webRtc();
      assertThat(webRtc.offerer()).as("Kurento made the offer, so it is ICE-controlling").isTrue();
      assertThat(webRtc.remoteSdp()).contains("a=setup:passive", "a=mid:audio0", "m=audio 3480 UDP/TLS/RTP/SAVPF 111\r\n")
          .doesNotContain("telephone-event");
      assertThat(pipeline.tags()).containsEntry("wavoice.call-id", callId.value()).containsEntry("wavoice.instance", media.settings.instanceTag());
      assertThat(session.callId()).isEqualTo(callId);
      assertThat(session.kmsUrl()).isEqualTo(kms.url());
    }
    assertThat(kms.errorsSent()).isEmpty();
  }

  @Test
  void theWhatsAppLegGetsAnEcdsaCertificateABrowserKurentosDefault() {
    CallId whatsapp = newCallId();
    try (MediaSession session = media.gateway.answer(whatsapp, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
      assertThat(pipelineOf(whatsapp).webRtc().certificateKeyType()).isEqualTo("ECDSA");
      assertThat(SdpChecks.fingerprintProblems(session.localSdp())).isEmpty();
    }
    CallId browser = newCallId();
    MediaListener browserListener = new RecordingListener() {
      @Override
      public boolean whatsAppPeer() {
        return false;
      }
    };
    try (MediaSession session = media.gateway.answer(browser, SdpFixtures.callerOffer(), peer.leg(AudioCodec.PCMU), browserListener)) {
      assertThat(pipelineOf(browser).webRtc().certificateKeyType()).isEqualTo("RSA");
    }
    assertThat(kms.errorsSent()).isEmpty();
  }

  @Test
  void aFullIceOfferIsAnsweredPlainlyWithoutAnEchoedIceLite() {
    CallId callId = newCallId();
    try (MediaSession session = media.gateway.answer(callId, SdpFixtures.callerOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
      assertThat(pipelineOf(callId).webRtc().offerer()).isFalse();
      assertThat(session.localSdp()).contains("a=setup:active", "a=candidate:", "a=mid:audio0").doesNotContain("a=ice-lite");
      assertThat(SdpChecks.answer(session.localSdp())).isEmpty();
    }
  }

  @Test
  void theRtpLegOffersExactlyTheConfiguredCodecAndRtpTargetIsKurentosPortOnTheConfiguredHost() {
    for (AudioCodec codec : AudioCodec.values()) {
      CallId callId = newCallId();
      try (MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(codec), new RecordingListener())) {
        RtpEndpointDouble rtp = pipelineOf(callId).rtp();
        assertThat(rtp.encoding()).isEqualToIgnoringCase(codec.rtpmap());
        assertThat(rtp.payloadType()).isEqualTo(codec.payloadType());
        assertThat(rtp.offer().lines().filter(l -> l.startsWith("a=rtpmap:"))).hasSize(1);
        assertThat(rtp.remote()).isEqualTo(peer.local());
        assertThat(session.rtpTarget().rtp()).isEqualTo(new InetSocketAddress("127.0.0.1", rtp.localPort()));
        assertThat(session.rtpTarget().rtcp()).isEqualTo(new InetSocketAddress("127.0.0.1", rtp.localPort() + 1));
      }
    }
  }

  @Test
  void callerAudioComesOutOfTheRtpEndpointAndOurRtpReachesTheCaller() {
    CallId callId = newCallId();
    RecordingListener listener = new RecordingListener();
    try (MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), listener)) {
      WebRtcEndpointDouble caller = pipelineOf(callId).webRtc();
      caller.connectCaller();
      listener.awaitConnected(DEADLINE);

      caller.playFromCaller(Tones.sine(440, 48_000, 0, 48_000, 10_000));
      List<RtpPacket> packets = peer.awaitPackets(40, DEADLINE);
      assertThat(packets).allMatch(p -> p.payloadType() == 0 && p.payload().length == 160);
      assertThat(Tones.dominantHz(peer.receivedPcmu(), 8000)).isCloseTo(440, within(20.0));
      assertSequential(packets, 160);

      peer.sendPcmuTone(session.rtpTarget().rtp(), 1000, 8000);
      Await.until(DEADLINE, "the caller to hear a second of our audio", () -> caller.heardByCaller().length >= 48_000);
      short[] heard = caller.heardByCaller();
      assertThat(Tones.dominantHz(heard, 48_000)).isCloseTo(1000, within(20.0));
      assertThat(Tones.rmsDbfs(heard)).isGreaterThan(-20);
      listener.awaitEvent(DEADLINE, MediaEvent.Leg.RTP, MediaEvent.Kind.MEDIA_FLOW_OUT, "FLOWING");
      listener.awaitEvent(DEADLINE, MediaEvent.Leg.WEBRTC, MediaEvent.Kind.MEDIA_FLOW_IN, "FLOWING");
      assertThat(listener.saw(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.MEDIA_FLOW_OUT, "FLOWING")).isTrue();
      assertThat(listener.saw(MediaEvent.Leg.RTP, MediaEvent.Kind.MEDIA_FLOW_IN, "FLOWING")).isTrue();
    }
  }

  @Test
  void inOpusModeTheRtpLegCarriesOpusAtItsPayloadType() throws Exception {
    CallId callId = newCallId();
    RecordingListener listener = new RecordingListener();
    try (MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.OPUS), listener)) {
      assertThat(session.rtpTarget().rtp().getPort()).isEqualTo(pipelineOf(callId).rtp().localPort());
      WebRtcEndpointDouble caller = pipelineOf(callId).webRtc();
      caller.connectCaller();
      caller.playFromCaller(Tones.sine(440, 48_000, 0, 48_000, 10_000));
      List<RtpPacket> packets = peer.awaitPackets(40, DEADLINE);
      assertThat(packets).allMatch(p -> p.payloadType() == AudioCodec.OPUS.payloadType());
      assertSequential(packets, 960);
      OpusDecoder decoder = new OpusDecoder(48_000, 1);
      short[] pcm = new short[960 * packets.size()];
      int at = 0;
      for (RtpPacket p : packets) {
        at += decoder.decode(p.payload(), 0, p.payload().length, pcm, at, 960, false);
      }
      short[] tail = Arrays.copyOfRange(pcm, at / 2, at);
      assertThat(Tones.dominantHz(tail, 48_000)).isCloseTo(440, within(20.0));
    }
  }

  static void assertSequential(List<RtpPacket> packets, int samplesPerFrame) {
    for (int i = 1; i < packets.size(); i++) {
      assertThat(packets.get(i).sequence()).isEqualTo((packets.get(i - 1).sequence() + 1) & 0xFFFF);
      assertThat(packets.get(i).timestamp()).isEqualTo((packets.get(i - 1).timestamp() + samplesPerFrame) & 0xFFFFFFFFL);
      assertThat(packets.get(i).ssrc()).isEqualTo(packets.get(0).ssrc());
    }
  }

  @Test
  void mediaEventsReachTheListenerAndMediaConnectedComesOnce() {
    CallId callId = newCallId();
    RecordingListener listener = new RecordingListener();
    try (MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), listener)) {
      assertThat(session.callId()).isEqualTo(callId);
      assertThat(listener.connectedCount()).isZero();
      WebRtcEndpointDouble caller = pipelineOf(callId).webRtc();
      caller.connectCaller();
      listener.awaitConnected(DEADLINE);
      listener.awaitEvent(DEADLINE, MediaEvent.Leg.WEBRTC, MediaEvent.Kind.ICE_COMPONENT, "READY");
      listener.awaitEvent(DEADLINE, MediaEvent.Leg.WEBRTC, MediaEvent.Kind.ICE_CANDIDATE_PAIR, "SELECTED");
      listener.awaitEvent(DEADLINE, MediaEvent.Leg.WEBRTC, MediaEvent.Kind.DTLS, "CONNECTED");
      caller.playFromCaller(Tones.sine(440, 48_000, 0, 4800, 8000));
      listener.awaitEvent(DEADLINE, MediaEvent.Leg.WEBRTC, MediaEvent.Kind.MEDIA_FLOW_OUT, "FLOWING");
      assertThat(listener.connectedCount()).isOne();

      pipelineOf(callId).raiseError("UNEXPECTED_PIPELINE_ERROR", 40003, "GStreamer broke");
      MediaFailure failure = listener.awaitFailure(DEADLINE);
      assertThat(failure.kind()).isEqualTo(MediaFailure.Kind.KMS_ERROR);
      assertThat(failure.detail()).contains("UNEXPECTED_PIPELINE_ERROR", "GStreamer broke");
      caller.failIce();
      listener.awaitEvent(DEADLINE, MediaEvent.Leg.WEBRTC, MediaEvent.Kind.ICE_COMPONENT, "FAILED");
      assertThat(listener.failures()).as("mediaFailed comes at most once").hasSize(1);
    }
  }

  @Test
  void iceAndDtlsFailuresAreReported() {
    CallId ice = newCallId();
    RecordingListener iceListener = new RecordingListener();
    CallId dtls = newCallId();
    RecordingListener dtlsListener = new RecordingListener();
    try (MediaSession a = media.gateway.answer(ice, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), iceListener);
        MediaSession b = media.gateway.answer(dtls, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), dtlsListener)) {
      assertThat(a.kmsUrl()).isEqualTo(b.kmsUrl());
      pipelineOf(ice).webRtc().failIce();
      pipelineOf(dtls).webRtc().failDtls();
      assertThat(iceListener.awaitFailure(DEADLINE).kind()).isEqualTo(MediaFailure.Kind.ICE_FAILED);
      assertThat(dtlsListener.awaitFailure(DEADLINE).kind()).isEqualTo(MediaFailure.Kind.DTLS_FAILED);
      assertThat(iceListener.connectedCount()).isZero();
    }
  }

  @Test
  void withoutInversionStockKurentoCannotConnectToAnIceLitePeer() {
    // what the double models from stock KMS 7.3.0: as answerer it is ICE-controlled, a lite peer never nominates
    try (MediaPlane plain = MediaPlane.start(new KurentoSettings(media.settings.urls(), media.settings.rtpHost(), "it-plain-" + UUID.randomUUID(),
        media.settings.gatheringTimeout(), media.settings.connectTimeout(), media.settings.retryMin(), media.settings.retryMax(),
        media.settings.pingInterval(), media.settings.reconcileInterval(), false))) {
      plain.awaitAvailable();
      CallId callId = newCallId();
      RecordingListener listener = new RecordingListener();
      try (MediaSession session = plain.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), listener)) {
        WebRtcEndpointDouble webRtc = pipelineOf(callId).webRtc();
        assertThat(webRtc.offerer()).isFalse();
        webRtc.connectCaller();
        assertThat(listener.awaitFailure(DEADLINE).kind()).isEqualTo(MediaFailure.Kind.ICE_FAILED);
        assertThat(session.localSdp()).doesNotContain("a=ice-lite");
      }
    }
  }

  @Test
  void closeIsIdempotentAndReleasesThePipelineOnce() {
    CallId callId = newCallId();
    MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener());
    PipelineDouble pipeline = pipelineOf(callId);
    int releasesBefore = kms.requests("release").size();
    session.close();
    session.close();
    session.close();
    assertThat(pipeline.released()).isTrue();
    assertThat(kms.pipelines()).isEmpty();
    assertThat(kms.requests("release").size() - releasesBefore).isOne();
    assertThat(media.pool.openSessions()).isZero();
  }

  @Test
  void eventsStopAfterClose() {
    CallId callId = newCallId();
    RecordingListener listener = new RecordingListener();
    MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), listener);
    WebRtcEndpointDouble webRtc = pipelineOf(callId).webRtc();
    session.close();
    webRtc.failIce();
    // a later call proves the link delivered everything sent before it
    try (MediaSession other = media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
      assertThat(other.localSdp()).isNotBlank();
    }
    assertThat(listener.failures()).isEmpty();
  }

  @Test
  void aFailureDuringSetUpReleasesEverythingBuiltSoFar() {
    // the transaction that builds the pipeline stops at its failing operation: the pipeline made before it must go
    kms.failNext("connect", 40004, "CONNECT_ERROR", "Cannot connect the elements");
    assertThatThrownBy(() -> media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener()))
        .isInstanceOf(MediaException.class)
        .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.KMS_ERROR));
    assertThat(kms.pipelines()).isEmpty();

    kms.failNext("gatherCandidates", 40400, "ICE_GATHER_CANDIDATES_ERROR", "Error gathering candidates");
    assertThatThrownBy(() -> media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener()))
        .isInstanceOf(MediaException.class)
        .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.KMS_ERROR))
        .hasMessageContaining("Error gathering candidates");
    assertThat(kms.pipelines()).isEmpty();

    kms.failNext("processOffer", 40205, "SDP_END_POINT_PROCESS_OFFER_ERROR", "Error processing offer");
    assertThatThrownBy(() -> media.gateway.answer(newCallId(), SdpFixtures.callerOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener()))
        .isInstanceOf(MediaException.class);
    assertThat(kms.pipelines()).isEmpty();
    assertThat(media.pool.openSessions()).isZero();
  }

  @Test
  void gatheringThatNeverEndsTimesOutAndLeavesNothing() {
    try (MediaPlane quick = MediaPlane.start(new KurentoSettings(media.settings.urls(), media.settings.rtpHost(), "it-quick-" + UUID.randomUUID(),
        Duration.ofMillis(300), media.settings.connectTimeout(), media.settings.retryMin(), media.settings.retryMax(),
        media.settings.pingInterval(), media.settings.reconcileInterval(), true))) {
      quick.awaitAvailable();
      kms.holdGathering(true);
      assertThatThrownBy(() -> quick.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener()))
          .isInstanceOf(MediaException.class)
          .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.GATHERING_TIMEOUT));
      assertThat(kms.pipelines()).isEmpty();
    }
  }

  @Test
  void anUnusableOfferIsRefusedBeforeAnythingIsMadeOnKurento() {
    int creates = kms.requests("create").size();
    for (String bad : List.of("", "v=0\r\nnonsense", SdpFixtures.whatsappOffer().replace("111 126", "126"))) {
      assertThatThrownBy(() -> media.gateway.answer(newCallId(), bad, peer.leg(AudioCodec.PCMU), new RecordingListener()))
          .isInstanceOf(MediaException.class)
          .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.BAD_SDP));
    }
    assertThat(kms.requests("create")).hasSize(creates);
    assertThat(media.pool.openSessions()).isZero();
  }

  @Test
  void kurentoRestartEndsEverySessionOnItAndNewCallsWorkAfterwards() {
    List<RecordingListener> listeners = new ArrayList<>();
    List<MediaSession> sessions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordingListener listener = new RecordingListener();
      listeners.add(listener);
      sessions.add(media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), listener));
    }
    kms.restart();
    for (RecordingListener listener : listeners) {
      MediaFailure failure = listener.awaitFailure(DEADLINE);
      assertThat(failure.kind()).isEqualTo(MediaFailure.Kind.KMS_RESTARTED);
      assertThat(failure.detail()).contains("restarted");
    }
    sessions.forEach(MediaSession::close); // the call layer's end path: must not throw
    assertThat(media.pool.openSessions()).isZero();

    media.awaitAvailable();
    CallId after = newCallId();
    try (MediaSession session = media.gateway.answer(after, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
      assertThat(session.callId()).isEqualTo(after);
      assertThat(pipelineOf(after).webRtc().offerer()).isTrue();
    }
    assertThat(kms.pipelines()).isEmpty();
  }

  @Test
  void aDroppedLinkToTheSameKurentoKeepsTheCalls() {
    RecordingListener listener = new RecordingListener();
    CallId callId = newCallId();
    MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), listener);
    int connects = kms.requests("connect").size();
    kms.dropConnections();
    Await.until(DEADLINE, "kurento-client to reconnect to the same session", () -> kms.requests("connect").size() > connects
        && media.gateway.available());
    // the pipeline is still there and still ours: closing releases it
    session.close();
    assertThat(kms.pipelines()).isEmpty();
    assertThat(listener.failures()).isEmpty();
  }

  @Test
  void aHundredSessionsCreatedAndReleasedLeaveNoPipeline() {
    for (int i = 0; i < 100; i++) {
      try (MediaSession session = media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
        assertThat(session.localSdp()).isNotBlank();
      }
    }
    assertThat(kms.pipelines()).isEmpty();
    assertThat(media.pool.openSessions()).isZero();
    assertThat(kms.errorsSent()).isEmpty();
  }

  @Test
  void anOutgoingCallOffersAndTakesTheCalleesAnswer() {
    CallId callId = newCallId();
    RecordingListener listener = new RecordingListener();
    try (MediaSession session = media.gateway.offer(callId, peer.leg(AudioCodec.PCMU), listener)) {
      assertThat(SdpChecks.offer(session.localSdp())).isEmpty();
      assertThat(session.localSdp()).doesNotContain("a=ice-lite").contains("a=setup:actpass");
      WebRtcEndpointDouble webRtc = pipelineOf(callId).webRtc();
      assertThat(webRtc.offerer()).isTrue();

      String calleeAnswer = Fixtures.whatsappJson("webhook-connect-business-initiated-answer.json")
          .getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0).getJsonObject("value")
          .getJsonArray("calls").getJsonObject(0).getJsonObject("session").getString("sdp");
      session.applyRemoteAnswer(calleeAnswer);
      assertThat(webRtc.remoteSdp()).contains("a=mid:audio0", "a=setup:active");
      webRtc.connectCaller();
      listener.awaitConnected(DEADLINE);

      assertThatThrownBy(() -> session.applyRemoteAnswer(calleeAnswer)).isInstanceOf(IllegalStateException.class);
    }
    try (MediaSession incoming = media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
      assertThatThrownBy(() -> incoming.applyRemoteAnswer(SdpFixtures.whatsappOffer())).isInstanceOf(IllegalStateException.class);
    }
    assertThat(kms.errorsSent()).isEmpty();
  }

  @Test
  void withNoKurentoConnectedAnswerFailsAsUnavailable() {
    kms.stop();
    Await.until(DEADLINE, "the gateway to notice", () -> !media.gateway.available());
    assertThatThrownBy(() -> media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener()))
        .isInstanceOf(MediaException.class)
        .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.KMS_UNAVAILABLE));
  }
}
