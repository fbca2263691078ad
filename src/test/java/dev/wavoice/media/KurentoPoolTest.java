package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.kms.PipelineDouble;
import dev.wavoice.testkit.kurento.MediaPlane;
import dev.wavoice.testkit.kurento.RecordingListener;
import dev.wavoice.testkit.kurento.SdpFixtures;
import dev.wavoice.testkit.rtp.RtpPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;

/** The KMS links: connecting in the background, several KMS, leak reconciliation, pings, shutdown. */
class KurentoPoolTest {

  static final Duration DEADLINE = Duration.ofSeconds(15);

  final List<AutoCloseable> closing = new ArrayList<>();
  RtpPeer peer;

  @BeforeEach
  void open() {
    peer = RtpPeer.open();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    peer.close();
  }

  <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  MediaSession answer(MediaPlane media, RecordingListener listener) {
    return media.gateway.answer(new CallId("wacid.P" + UUID.randomUUID()), SdpFixtures.whatsappOffer(), peer.leg(AudioCodec.PCMU), listener);
  }

  @Test
  void kurentoDownAtStartIsRetriedInTheBackgroundUntilItIsUp() {
    KmsDouble kms = closeLater(KmsDouble.notStarted(KmsDouble.Options.defaults()));
    MediaPlane media = closeLater(MediaPlane.start(MediaPlane.settings(kms.url())));

    assertThat(media.gateway.available()).isFalse();
    Await.until(DEADLINE, "a failed attempt to show in the status", () -> !media.pool.status().get(0).problem().isEmpty());
    KmsStatus down = media.pool.status().get(0);
    assertThat(down.state()).isEqualTo("CONNECTING");
    assertThat(down.url()).isEqualTo(kms.url());
    assertThat(down.problem()).contains("cannot connect");

    kms.startAgain();
    media.awaitAvailable();
    assertThat(media.pool.status().get(0).connected()).isTrue();
    assertThat(media.pool.status().get(0).version()).as("the version the server reported").isEqualTo("7.3.0");
    try (MediaSession session = answer(media, new RecordingListener())) {
      assertThat(session.kmsUrl()).isEqualTo(kms.url());
    }
  }

  @Test
  void newCallsGoToTheKurentoWithTheFewestOpenSessions() {
    KmsDouble a = closeLater(KmsDouble.start());
    KmsDouble b = closeLater(KmsDouble.start());
    MediaPlane media = closeLater(MediaPlane.start(MediaPlane.settings(a.url(), b.url())));
    Await.until(DEADLINE, "both KMS connected", () -> media.pool.status().stream().allMatch(KmsStatus::connected));

    List<MediaSession> sessions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sessions.add(answer(media, new RecordingListener()));
    }
    assertThat(a.pipelines()).hasSize(2);
    assertThat(b.pipelines()).hasSize(2);
    sessions.stream().filter(s -> s.kmsUrl().equals(a.url())).forEach(MediaSession::close);
    MediaSession next = answer(media, new RecordingListener());
    assertThat(next.kmsUrl()).isEqualTo(a.url());
    sessions.add(next);

    b.stop();
    Await.until(DEADLINE, "b to count as down", () -> media.pool.status().stream().filter(s -> s.url().equals(b.url())).noneMatch(KmsStatus::connected));
    assertThat(media.gateway.available()).isTrue();
    try (MediaSession onA = answer(media, new RecordingListener())) {
      assertThat(onA.kmsUrl()).isEqualTo(a.url());
    }
    sessions.forEach(MediaSession::close);
  }

  @Test
  void reconciliationReleasesOnlyThisInstancesPipelinesThatBelongToNoOpenCall() {
    KmsDouble kms = closeLater(KmsDouble.start());
    MediaPlane media = closeLater(MediaPlane.connected(kms.url()));
    String instance = media.settings.instanceTag();
    // the round that runs when Kurento connects has listed (no pipelines yet): from here on only ours run
    Await.until(DEADLINE, "the reconciliation at connect", () -> kms.requests().stream()
        .anyMatch(r -> r.toString().contains("\"getPipelines\"")));

    KurentoClient other = KurentoClient.create(kms.url());
    closing.add(other::destroy);
    MediaPipeline leaked = tagged(other, instance, "wacid.leaked");
    MediaPipeline anotherInstance = tagged(other, "some-other-wavoice", "wacid.theirs");
    MediaPipeline untagged = other.createMediaPipeline();
    MediaPipeline halfTagged = other.createMediaPipeline();
    halfTagged.addTag(PipelineTags.CALL_ID, "wacid.being-built");
    MediaSession open = answer(media, new RecordingListener());

    assertThat(media.pool.reconcileAll()).isEqualTo(1);
    assertThat(media.leakedReleased.get()).isEqualTo(1);
    List<String> left = kms.pipelines().stream().map(PipelineDouble::id).toList();
    assertThat(left).doesNotContain(leaked.getId())
        .contains(anotherInstance.getId(), untagged.getId(), halfTagged.getId())
        .contains(kms.pipelineTagged(PipelineTags.CALL_ID, open.callId().value()).orElseThrow().id());
    assertThat(media.pool.reconcileAll()).isZero();
    open.close();
  }

  @Test
  void pipelinesLeftByAnEarlierRunOfThisInstanceAreReleasedWhenKurentoConnects() {
    KmsDouble kms = closeLater(KmsDouble.start());
    var settings = MediaPlane.settings(kms.url());
    KurentoClient earlierRun = KurentoClient.create(kms.url());
    closing.add(earlierRun::destroy);
    tagged(earlierRun, settings.instanceTag(), "wacid.crashed-1");
    tagged(earlierRun, settings.instanceTag(), "wacid.crashed-2");

    MediaPlane media = closeLater(MediaPlane.start(settings));
    Await.until(DEADLINE, "reconciliation at connect", () -> media.leakedReleased.get() == 2);
    assertThat(kms.pipelines()).isEmpty();
  }

  static MediaPipeline tagged(KurentoClient client, String instance, String callId) {
    MediaPipeline pipeline = client.createMediaPipeline();
    pipeline.addTag(PipelineTags.CALL_ID, callId);
    pipeline.addTag(PipelineTags.INSTANCE, instance);
    return pipeline;
  }

  @Test
  void pingsKeepTheLinkHonestAndALinkThatStopsAnsweringEndsItsCalls() {
    KmsDouble kms = closeLater(KmsDouble.start());
    MediaPlane media = closeLater(MediaPlane.connected(kms.url()));
    // the first getInfo asks the version at connect; a second one is a ping
    Await.until(DEADLINE, "a ping", () -> kms.requests().stream().filter(r -> r.toString().contains("\"getInfo\"")).count() >= 2);

    RecordingListener listener = new RecordingListener();
    MediaSession session = answer(media, listener);
    for (int i = 0; i < KmsConnection.LOST_AFTER_FAILED_PINGS; i++) {
      kms.failNext("getInfo", 40003, "UNEXPECTED_ERROR", "KMS is wedged");
    }
    MediaFailure failure = listener.awaitFailure(DEADLINE);
    assertThat(failure.kind()).isEqualTo(MediaFailure.Kind.KMS_RESTARTED);
    assertThat(failure.detail()).contains("pings");
    session.close();
    media.awaitAvailable(); // a new link, with backoff
    try (MediaSession after = answer(media, new RecordingListener())) {
      assertThat(after.localSdp()).isNotBlank();
    }
  }

  @Test
  void closingThePoolClosesItsKurentoSession() {
    KmsDouble kms = closeLater(KmsDouble.start());
    MediaPlane media = MediaPlane.connected(kms.url());
    answer(media, new RecordingListener()); // left open on purpose: the app is shutting down
    assertThat(kms.pipelines()).hasSize(1);
    media.close();
    Await.until(DEADLINE, "closeSession", () -> !kms.requests("closeSession").isEmpty());
    assertThat(kms.pipelines()).as("Kurento drops the objects of a closed session").isEmpty();
    assertThat(media.pool.status().get(0).state()).isEqualTo("CLOSED");
    assertThat(media.gateway.available()).isFalse();
  }
}
