package dev.wavoice.bridge;

import dev.wavoice.audio.RtpRemote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.openai.UpgradeRefusal;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's life as the call layer drives it: a clear reason when OpenAI cannot be prepared, one
 * failure report when OpenAI goes away mid-call, the greeting after the accept, the transcript and
 * usage for the record, a session rollover that keeps audio flowing, and a {@code close()} that
 * releases the sockets and the OpenAI session and can be called again.
 */
class BridgeLifecycleTest {

  final RecordingMetrics metrics = new RecordingMetrics();
  BridgeHarness h = new BridgeHarness(UnaryOperator.identity(), BridgeSettings.defaults(), null, metrics);

  @AfterEach
  void close() {
    h.close();
  }

  void realtime(UnaryOperator<dev.wavoice.realtime.RealtimeSettings> change) {
    h.close();
    h = new BridgeHarness(change, BridgeSettings.defaults(), null, metrics);
  }

  static Throwable failureOf(CompletableFuture<Void> prepared) {
    try {
      prepared.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e.getCause() == null ? e : e.getCause();
    }
    throw new AssertionError("prepare() succeeded");
  }

  @Test
  void prepareFailsWithTheReasonWhenOpenAiDoesNotConfirmTheFormats() {
    h.openai.configureNextSession(DoubleSession::mismatchFormats);
    RealtimeCallBridge bridge = h.bridge(AudioCodec.PCMU);
    Throwable failure = failureOf(bridge.prepare().toCompletableFuture());
    assertThat(failure).hasMessageContaining("FORMAT_MISMATCH");
    assertThat(h.listener.failures).as("the prepare future carries it, not failed()").isEmpty();
    assertThatThrownBy(() -> bridge.prepare().toCompletableFuture().join()).isInstanceOf(CompletionException.class);
    bridge.close();
  }

  @Test
  void prepareFailsWithTheReasonWhenOpenAiRefusesTheKey() {
    realtime(s -> s.toBuilder().apiKey("test-openai-key-wrong").build());
    RealtimeCallBridge bridge = h.bridge(AudioCodec.PCMU);
    assertThat(failureOf(bridge.prepare().toCompletableFuture())).hasMessageContaining("AUTH_REJECTED");
  }

  @Test
  void startBeforePrepareIsRefused() {
    RealtimeCallBridge bridge = h.bridge(AudioCodec.PCMU);
    assertThatThrownBy(bridge::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("prepare()");
  }

  @Test
  void openAiClosingMidCallGoesOnOnAFreshSessionAndTheRecordSaysSo() {
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    remote.closeWith(1011, "the server is going away");
    Await.until(BridgeHarness.WAIT, "the problem for the record", () -> !h.listener.problems.isEmpty());
    assertThat(h.listener.problems).singleElement().satisfies(p -> assertThat(p).contains("connection was lost")
        .contains("CLOSED").contains("1011"));
    assertThat(bridge.session().sessionId()).isEqualTo(h.openai.awaitSession(1, BridgeHarness.WAIT).id());
    assertThat(metrics.events).containsExactly("failure CLOSED");
    assertThat(h.listener.failures).isEmpty();
    bridge.close();
    assertThat(h.listener.endRequests).isEmpty();
  }

  @Test
  void openAiClosingMidCallAndRefusingTheReconnectIsReportedOnce() {
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    h.openai.refuseNextUpgrades(1, UpgradeRefusal.serverError());
    h.openai.awaitSession(0, BridgeHarness.WAIT).closeWith(1011, "the server is going away");
    Await.until(BridgeHarness.WAIT, "the failure report", () -> !h.listener.failures.isEmpty());
    assertThat(h.listener.failures).singleElement().satisfies(f -> assertThat(f).contains("CLOSED").contains("1011")
        .contains("HTTP 500"));
    assertThat(metrics.events).containsExactly("failure CLOSED");
    h.tick(); // the call's RTP goes on (silence) until the call layer ends it
    bridge.close();
    assertThat(h.listener.failures).hasSize(1);
    assertThat(h.listener.endRequests).isEmpty();
  }

  @Test
  void aConnectionCutInTheMiddleOfAnAnswerIsReportedOnceWhenTheReconnectIsRefused() {
    // the JDK client notices a cut (no close frame) only most of the time; the keepalive catches the rest
    realtime(s -> s.toBuilder().keepalive(Duration.ofMillis(300)).build());
    h.openai.enqueue(Turn.of().audio(200, 440, "Half an ans").drop());
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    h.openai.refuseNextUpgrades(1, UpgradeRefusal.rateLimited());
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the failure report", () -> !h.listener.failures.isEmpty());
    assertThat(h.listener.failures).singleElement().satisfies(f -> assertThat(f).contains("OpenAI Realtime")
        .contains("HTTP 429"));
    bridge.close();
    assertThat(h.listener.failures).hasSize(1);
  }

  @Test
  void closeReleasesTheSocketsAndTheOpenAiSessionAndIsIdempotent() throws Exception {
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    h.tick();
    InetSocketAddress leg = bridge.rtpLeg().address();
    assertThat(h.factory.openBridges()).isEqualTo(1);

    BridgeResult first = bridge.close();
    BridgeResult second = bridge.close();
    assertThat(second).isSameAs(first);
    Await.until(BridgeHarness.WAIT, "the OpenAI session closed", remote::isClosed);
    assertThat(remote.closeCode()).isEqualTo(1000);
    assertThat(h.factory.openBridges()).isZero();
    assertThat(metrics.open.get()).isZero();
    // the JDK releases a channel's port when its receive thread has left the blocking receive: soon, not at once
    Await.until(BridgeHarness.WAIT, "the RTP and RTCP ports free again", () -> {
      try (DatagramSocket rtp = new DatagramSocket(leg);
          DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(leg.getAddress(), leg.getPort() + 1))) {
        return rtp.getLocalPort() == leg.getPort() && rtcp.getLocalPort() == leg.getPort() + 1;
      } catch (SocketException stillBound) {
        return false;
      }
    });
    h.pacer.tick();
    assertThat(h.kurento.poll()).as("RTP after close").isNull();
    assertThat(h.listener.failures).isEmpty();
    assertThatThrownBy(bridge::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aBridgeClosedWhileOpenAiIsBeingPreparedLeavesNoSessionBehind() {
    h.openai.configureNextSession(DoubleSession::neverConfirm);
    RealtimeCallBridge bridge = h.bridge(AudioCodec.PCMU);
    CompletableFuture<Void> prepared = bridge.prepare().toCompletableFuture();
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    assertThat(bridge.close().transcript()).isEmpty();
    // OpenAI never confirms: the opening gives up, and nothing is left open
    assertThat(failureOf(prepared)).hasMessageContaining("CONFIG_REJECTED");
    Await.until(BridgeHarness.WAIT, "the session socket closed", remote::isClosed);
  }

  @Test
  void theFactoryClosesBridgesStillOpenWhenTheApplicationStops() {
    h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    h.factory.close();
    assertThat(h.factory.openBridges()).isZero();
    Await.until(BridgeHarness.WAIT, "the OpenAI session closed", remote::isClosed);
  }

  @Test
  void theGreetingIsRequestedOnlyOnceTheCallIsAcceptedAndPlays() {
    realtime(s -> s.toBuilder().greeting("Welcome to wavoice, how can I help?").build());
    RealtimeCallBridge bridge = h.bridge(AudioCodec.PCMU);
    bridge.prepare().toCompletableFuture().join();
    bridge.connectRtp(RtpRemote.at(h.kurento.rtpTarget()));
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    h.tick();
    assertThat(remote.received("response.create")).isEmpty();
    h.openai.enqueue(Turn.of().audio(200, 440, "Welcome to wavoice, how can I help?"));
    bridge.start();
    Await.until(BridgeHarness.WAIT, "the greeting requested", () -> remote.received("response.create").size() == 1);
    assertThat(remote.received("response.create").get(0).getJsonObject("response").getString("instructions"))
        .contains("Welcome to wavoice, how can I help?");
    Await.until(BridgeHarness.WAIT, "the greeting queued", () -> bridge.audio().outbound().queuedMs() == 200);
    assertThat(BargeInTest.silent(h.tick())).isFalse();
    Await.until(BridgeHarness.WAIT, "the first bot audio", () -> h.listener.firstBotAudio.size() == 1);
  }

  @Test
  void theResultHasTheTranscriptInTimeOrderAndTheUsageByKind() {
    h.openai.enqueue(Turn.of().audio(200, 440, "Your order ships tomorrow.").usage(new Turn.Tokens(120, 60, 20, 10, 15, 40)));
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    remote.enqueueCallerTranscript("Where is my order?");
    remote.speechStarted();
    remote.speechStopped();
    Await.until(BridgeHarness.WAIT, "the answer queued", () -> bridge.audio().outbound().queuedMs() == 200);
    for (int i = 0; i < 11; i++) {
      h.tick();
    }
    Await.until(BridgeHarness.WAIT, "both lines", () -> h.listener.lines.size() == 2);
    for (int i = 0; i < 4; i++) {
      h.kurento.send(BridgeHarness.leg(bridge), 0, 160, Tones.pattern(160, i));
    }
    Await.until(BridgeHarness.WAIT, "the caller's frames delivered", () -> bridge.audio().stats().inbound().framesDelivered() == 4);
    double cost = bridge.session().estimatedCostUsd();

    BridgeResult result = bridge.close();
    assertThat(result.transcript()).extracting(TranscriptLine::speaker, TranscriptLine::text, TranscriptLine::interrupted)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TranscriptLine.CALLER, "Where is my order?", false),
            org.assertj.core.groups.Tuple.tuple(TranscriptLine.BOT, "Your order ships tomorrow.", false));
    assertThat(result.transcript().get(0).at()).isBeforeOrEqualTo(result.transcript().get(1).at());
    assertThat(result.inputTextTokens()).isEqualTo(120);
    assertThat(result.inputAudioTokens()).isEqualTo(60);
    assertThat(result.inputCachedTokens()).isEqualTo(30);
    assertThat(result.outputTextTokens()).isEqualTo(15);
    assertThat(result.outputAudioTokens()).isEqualTo(40);
    assertThat(result.estimatedCostUsd()).isPositive().isEqualTo(cost);
    assertThat(result.bargeIns()).isZero();
    BridgeMetrics.AudioCounts counted = metrics.audio.get();
    assertThat(counted.callerFrames()).isEqualTo(4);
    assertThat(counted.botFrames()).isEqualTo(10);
    assertThat(counted.silenceFrames()).isEqualTo(1);
  }

  @Test
  void aRolloverToAFreshSessionKeepsAudioFlowingBothWays() {
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession first = h.openai.awaitSession(0, BridgeHarness.WAIT);
    KurentoPeer.Packet previous = h.tick();
    String newId = bridge.session().rollover().orTimeout(10, TimeUnit.SECONDS).join();
    DoubleSession second = h.openai.awaitSession(1, BridgeHarness.WAIT);
    assertThat(newId).isEqualTo(second.id());
    Await.until(BridgeHarness.WAIT, "the old session closed", first::isClosed);

    for (int i = 0; i < 4; i++) {
      h.kurento.send(BridgeHarness.leg(bridge), 0, 160, Tones.pattern(160, 20 + i));
    }
    Await.until(BridgeHarness.WAIT, "caller audio on the new session", () -> second.inputAudioBytes() == 640);
    h.openai.enqueue(Turn.of().audio(100, 440, "Still here."));
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the new session's answer queued", () -> bridge.audio().outbound().queuedMs() == 100);
    for (int i = 0; i < 5; i++) {
      KurentoPeer.Packet next = h.tick();
      assertThat(next.ssrc()).isEqualTo(previous.ssrc());
      assertThat(next.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
      assertThat(BargeInTest.silent(next)).isFalse();
      previous = next;
    }
    assertThat(h.listener.failures).isEmpty();
  }
}
