package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.kms.RealKms;
import dev.wavoice.testkit.kurento.MediaPlane;
import dev.wavoice.testkit.kurento.RecordingListener;
import dev.wavoice.testkit.kurento.SdpFixtures;
import dev.wavoice.testkit.rtp.RtpPeer;
import dev.wavoice.testkit.whatsapp.SdpChecks;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaObject;
import org.kurento.client.MediaPipeline;
import org.kurento.client.RtpEndpoint;
import org.kurento.client.Tag;
import org.kurento.client.WebRtcEndpoint;

/** The media gateway against the real Kurento Media Server 7.3 (stock), inspected through a second client. */
@org.junit.jupiter.api.Tag("real-kms")
@ExtendWith(Stacks.class)
class KurentoMediaGatewayIT {

  static RealKms kms;
  static MediaPlane media;
  static KurentoClient inspector;

  @BeforeAll
  static void start(RealKms realKms) {
    kms = realKms;
    media = MediaPlane.connected(kms.url());
    inspector = KurentoClient.create(kms.url());
  }

  @AfterAll
  static void stop() {
    inspector.destroy();
    media.close();
  }

  static CallId newCallId() {
    return new CallId("wacid.K" + UUID.randomUUID());
  }

  static Optional<MediaPipeline> pipelineOf(CallId callId) {
    for (MediaPipeline pipeline : inspector.getServerManager().getPipelines()) {
      List<Tag> tags = pipeline.getTags();
      if (tags.stream().anyMatch(t -> t.getKey().equals("wavoice.call-id") && t.getValue().equals(callId.value()))) {
        return Optional.of(pipeline);
      }
    }
    return Optional.empty();
  }

  static <T extends MediaObject> T child(MediaPipeline pipeline, Class<T> type) {
    return pipeline.getChildren().stream().filter(c -> c.getId().endsWith("_kurento." + type.getSimpleName()))
        .map(c -> inspector.getById(c.getId(), type)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"whatsapp-offer.sdp", "whatsapp-offer-3484.sdp"})
  void aRealisticWhatsAppOfferGetsAnAnswerThatFollowsTheRules(String fixture) {
    String offer = Fixtures.whatsapp(fixture);
    CallId callId = newCallId();
    try (RtpPeer peer = RtpPeer.open();
        MediaSession session = media.gateway.answer(callId, offer, peer.leg(AudioCodec.PCMU), new RecordingListener())) {
      String answer = session.localSdp();
      assertThat(SdpChecks.ourAnswerTo(offer, answer)).isEmpty();
      List<String> lines = answer.lines().toList();
      assertThat(lines).contains("a=setup:active", "a=mid:audio", "a=group:BUNDLE audio", "a=rtpmap:111 opus/48000/2", "c=IN IP4 127.0.0.1",
          "a=rtcp-mux", "a=fmtp:111 maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1");
      assertThat(lines).noneMatch(l -> l.equals("a=ice-lite") || l.startsWith("a=extmap") || l.startsWith("a=rtcp:")
          || l.startsWith("a=rtpmap:96") || l.contains("PCMU") || l.contains("telephone-event"));
      assertThat(lines.stream().filter(l -> l.startsWith("a=fingerprint:"))).singleElement().asString().startsWith("a=fingerprint:sha-256 ");
      List<String> candidates = lines.stream().filter(l -> l.startsWith("a=candidate:")).toList();
      assertThat(candidates).isNotEmpty().allMatch(c -> c.contains(" 1 UDP ") && c.contains(" 127.0.0.1 "));
      String port = candidates.get(0).split(" ")[5];
      assertThat(lines).anyMatch(l -> l.equals("m=audio " + port + " UDP/TLS/RTP/SAVPF 111"));

      MediaPipeline pipeline = pipelineOf(callId).orElseThrow();
      WebRtcEndpoint webRtc = child(pipeline, WebRtcEndpoint.class);
      assertThat(webRtc.getLocalSessionDescriptor()).as("Kurento made the offer").contains("a=setup:actpass");
      String given = webRtc.getRemoteSessionDescriptor();
      assertThat(given).as("Kurento took the offer's IPv6 candidate and credentials as they are").contains("a=setup:passive", "a=mid:audio0",
          "a=ice-lite", " ::1 ", offer.lines().filter(l -> l.startsWith("a=ice-ufrag:")).findFirst().orElseThrow(),
          offer.lines().filter(l -> l.startsWith("a=ice-pwd:")).findFirst().orElseThrow());
    }
  }

  @Test
  void aFullIceOfferIsAnsweredPlainlyAndTheEchoedIceLiteOfTheOtherPathIsRemoved() {
    try (RtpPeer peer = RtpPeer.open()) {
      CallId plain = newCallId();
      try (MediaSession session = media.gateway.answer(plain, SdpFixtures.callerOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
        assertThat(SdpChecks.answer(session.localSdp())).isEmpty();
        assertThat(session.localSdp()).contains("a=mid:audio0");
        assertThat(child(pipelineOf(plain).orElseThrow(), WebRtcEndpoint.class).getLocalSessionDescriptor()).contains("a=setup:active");
      }
      try (MediaPlane noInversion = MediaPlane.start(MediaPlane.settings(false, kms.url()))) {
        noInversion.awaitAvailable();
        CallId echoed = newCallId();
        try (MediaSession session = noInversion.gateway.answer(echoed, SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
          String kmsAnswer = child(pipelineOf(echoed).orElseThrow(), WebRtcEndpoint.class).getLocalSessionDescriptor();
          assertThat(kmsAnswer).as("stock Kurento echoes the offer's a=ice-lite").contains("\r\na=ice-lite\r\n");
          assertThat(session.localSdp()).doesNotContain("a=ice-lite");
          assertThat(SdpChecks.answer(session.localSdp())).isEmpty();
        }
      }
    }
  }

  @Test
  void theRtpLegNegotiatesTheConfiguredCodecAndRtpTargetIsKurentosPortOnLoopback() throws Exception {
    for (AudioCodec codec : AudioCodec.values()) {
      CallId callId = newCallId();
      try (RtpPeer peer = RtpPeer.open();
          MediaSession session = media.gateway.answer(callId, SdpFixtures.whatsappOffer(), peer.leg(codec), new RecordingListener())) {
        RtpEndpoint rtp = child(pipelineOf(callId).orElseThrow(), RtpEndpoint.class);
        String kmsAnswer = rtp.getLocalSessionDescriptor();
        List<String> lines = kmsAnswer.lines().toList();
        int port = session.rtpTarget().rtp().getPort();
        assertThat(lines).contains("m=audio " + port + " RTP/AVP " + codec.payloadType(),
            "a=rtpmap:" + codec.payloadType() + " " + codec.rtpmap(), "a=rtcp:" + (port + 1));
        assertThat(session.rtpTarget().rtp()).isEqualTo(new InetSocketAddress("127.0.0.1", port));
        assertThat(session.rtpTarget().rtcp()).isEqualTo(new InetSocketAddress("127.0.0.1", port + 1));
        assertThat(port).isBetween(kms.minPort(), kms.maxPort());
        // accepted from: where we send, and the machine's address that Kurento's answer names
        String answered = lines.stream().filter(l -> l.startsWith("c=IN IP4 ")).findFirst().orElseThrow().substring(9);
        assertThat(session.rtpTarget().sourceAddresses()).isEqualTo(new java.util.HashSet<>(
            List.of(java.net.InetAddress.getByName("127.0.0.1"), java.net.InetAddress.getByName(answered))));
        assertThat(rtp.getRemoteSessionDescriptor()).contains("m=audio " + peer.local().getPort() + " RTP/AVP " + codec.payloadType());
      }
    }
  }

  @Test
  void aHundredSessionsCreatedAndReleasedLeaveNoPipelineAndReleaseIsIdempotent() {
    try (RtpPeer peer = RtpPeer.open()) {
      for (int i = 0; i < 100; i++) {
        MediaSession session = media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener());
        session.close();
        session.close();
      }
    }
    assertThat(inspector.getServerManager().getPipelines()).isEmpty();
    assertThat(media.pool.openSessions()).isZero();
  }

  @Test
  void anOutgoingCallsOfferIsAcceptedByKurentoAndWhatsAppRules() {
    CallId callId = newCallId();
    try (RtpPeer peer = RtpPeer.open(); MediaSession session = media.gateway.offer(callId, peer.leg(AudioCodec.PCMU), new RecordingListener())) {
      assertThat(SdpChecks.offer(session.localSdp())).isEmpty();
      assertThat(session.localSdp()).contains("a=setup:actpass", "a=rtpmap:111 opus/48000/2").doesNotContain("a=ice-lite");
      assertThat(pipelineOf(callId)).isPresent();
    }
  }

  @Test
  void aKurentoRestartEndsItsSessionsThroughTheListener() {
    RecordingListener listener = new RecordingListener();
    try (RtpPeer peer = RtpPeer.open()) {
      MediaSession session = media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), listener);
      kms.restart();
      MediaFailure failure = listener.awaitFailure(Duration.ofSeconds(30));
      assertThat(failure.kind()).isEqualTo(MediaFailure.Kind.KMS_RESTARTED);
      session.close();
      media.awaitAvailable();
      try (MediaSession after = media.gateway.answer(newCallId(), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), new RecordingListener())) {
        assertThat(after.localSdp()).contains("a=candidate:");
      }
    } finally {
      inspector.destroy();
      inspector = KurentoClient.create(kms.url());
    }
    Await.until(Duration.ofSeconds(10), "no pipeline left", () -> inspector.getServerManager().getPipelines().isEmpty());
  }
}
