package dev.wavoice.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.MuLaw;
import dev.wavoice.audio.OpusFrameEncoder;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.audio.OggOpusReader;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call recording through the real bridge (real sockets, the strict OpenAI double, the pacer ticked by
 * hand): the file holds the caller on the left and, on the right, exactly what the pacer sent — the
 * disclosure first, the answer until the barge-in cut it, and none of what the cut flushed. A recorder
 * that cannot write leaves the call alone; recording off writes nothing and says nothing.
 */
class CallRecordingTest {

  static final double CALLER_HZ = 300;
  static final double AGENT_HZ = 660;
  static final String DISCLOSURE = "This call is recorded.";

  @TempDir Path dir;
  final RecordingMetrics metrics = new RecordingMetrics();
  BridgeHarness h;
  int callerFrames;
  final OpusFrameEncoder callerOpus = new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 32_000, 5);

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  BridgeHarness harness(RecordingSettings recording) {
    h = new BridgeHarness(UnaryOperator.identity(), BridgeSettings.defaults(), null, metrics, recording);
    return h;
  }

  /** One 20 ms caller frame of the caller's tone, delivered to the bridge before the test goes on. */
  void callerFrame(RealtimeCallBridge bridge) {
    if (bridge.audio().codec() == AudioCodec.OPUS) {
      short[] tone = Tones.tone(960, CALLER_HZ, 48_000, 8000, 960 * callerFrames);
      byte[] packet = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
      int length = callerOpus.encode(tone, 0, packet, 0);
      h.kurento.send(BridgeHarness.leg(bridge), 111, 960, Arrays.copyOf(packet, length));
    } else {
      short[] tone = Tones.tone(160, CALLER_HZ, 8000, 8000, 160 * callerFrames);
      byte[] ulaw = new byte[160];
      MuLaw.encode(tone, 0, ulaw, 0, 160);
      h.kurento.send(BridgeHarness.leg(bridge), 0, 160, ulaw);
    }
    callerFrames++;
    Await.until(BridgeHarness.WAIT, "caller frame " + callerFrames + " delivered",
        () -> bridge.audio().stats().inbound().framesDelivered() >= callerFrames);
  }

  /** Ticks with a caller frame before each; returns how many ticks sent bot audio. */
  int talk(RealtimeCallBridge bridge, int ticks) {
    int audio = 0;
    for (int i = 0; i < ticks; i++) {
      callerFrame(bridge);
      if (!BargeInTest.silent(h.tick())) {
        audio++;
      }
    }
    return audio;
  }

  @Test
  void theFileHoldsTheCallerAndWhatTheCallerHeardOfTheAgentWithoutWhatABargeInCut() throws Exception {
    harness(new RecordingSettings(true, dir, DISCLOSURE));
    h.openai.enqueue(Turn.of().audio(400, AGENT_HZ, DISCLOSURE));
    h.openai.enqueue(Turn.of().audio(2000, AGENT_HZ, "A long answer the caller cuts short."));
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);

    // the disclosure is the agent's first words, asked for at the start and heard first
    Await.until(BridgeHarness.WAIT, "the disclosure queued", () -> bridge.audio().outbound().queuedMs() == 400);
    assertThat(remote.received("response.create")).hasSize(1);
    assertThat(remote.received("response.create").get(0).getJsonObject("response").getString("instructions"))
        .contains(DISCLOSURE);
    assertThat(talk(bridge, 20)).isEqualTo(20);
    Await.until(BridgeHarness.WAIT, "the disclosure's line", () -> !h.listener.lines.isEmpty());
    assertThat(h.listener.lines.get(0).text()).isEqualTo(DISCLOSURE);

    // an answer cut after 600 ms: 1400 ms of it are flushed and never sent
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the answer queued", () -> bridge.audio().outbound().queuedMs() == 2000);
    assertThat(talk(bridge, 30)).isEqualTo(30);
    remote.speechStarted();
    Await.until(BridgeHarness.WAIT, "the truncate", () -> !remote.received("conversation.item.truncate").isEmpty());
    assertThat(talk(bridge, 25)).isZero();

    BridgeResult result = bridge.close();

    assertThat(result.recordingProblem()).isNull();
    assertThat(metrics.events).contains("recording ok").noneMatch(e -> e.startsWith("recording dropped"));
    Path file = h.factory.recording().file(bridge.context().callId());
    assertThat(dir.resolve(file.getFileName() + ".part")).doesNotExist();
    OggOpusReader.Decoded audio = OggOpusReader.decode(Files.readAllBytes(file));
    assertThat(audio.channels()).hasNumberOfRows(2);
    assertThat(audio.inputRate()).isEqualTo(8000);
    // 75 ticks with 75 caller frames: 1.5 s, both sides
    assertThat(audio.seconds()).isBetween(1.49, 1.55);
    assertTone(audio.slice(0, 40, 1460), CALLER_HZ, AGENT_HZ, "the caller, all along");
    assertTone(audio.slice(1, 40, 980), AGENT_HZ, CALLER_HZ, "the disclosure and the answer until the cut");
    assertThat(dev.wavoice.testkit.audio.Tones.rmsDbfs(audio.slice(1, 1040, 1500)))
        .as("after the cut: silence, not the flushed rest of the answer").isLessThan(-50);
  }

  @Test
  void inOpusModeTheFileHoldsBothSidesAt24kHz() throws Exception {
    harness(new RecordingSettings(true, dir, DISCLOSURE));
    h.openai.enqueue(Turn.of().audio(400, AGENT_HZ, DISCLOSURE));
    RealtimeCallBridge bridge = h.started(AudioCodec.OPUS);
    h.openai.awaitSession(0, BridgeHarness.WAIT);
    Await.until(BridgeHarness.WAIT, "the disclosure queued", () -> bridge.audio().outbound().queuedMs() == 400);
    talk(bridge, 40);

    assertThat(bridge.close().recordingProblem()).isNull();

    OggOpusReader.Decoded audio = OggOpusReader.decode(Files.readAllBytes(h.factory.recording().file(bridge.context().callId())));
    assertThat(audio.inputRate()).isEqualTo(24_000);
    assertThat(audio.seconds()).isBetween(0.79, 0.85);
    assertTone(audio.slice(0, 100, 780), CALLER_HZ, AGENT_HZ, "the caller");
    assertTone(audio.slice(1, 40, 380), AGENT_HZ, CALLER_HZ, "the disclosure");
    assertThat(dev.wavoice.testkit.audio.Tones.rmsDbfs(audio.slice(1, 460, 800))).as("the agent quiet").isLessThan(-50);
  }

  @Test
  void aRecorderThatCannotWriteLeavesTheCallHealthy() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-directory"), "a file where the recordings should go");
    harness(new RecordingSettings(true, blocker.resolve("recordings"), DISCLOSURE));
    h.openai.enqueue(Turn.of().audio(200, AGENT_HZ, DISCLOSURE));
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    Await.until(BridgeHarness.WAIT, "the disclosure queued", () -> bridge.audio().outbound().queuedMs() == 200);

    assertThat(talk(bridge, 15)).isEqualTo(10);
    Await.until(BridgeHarness.WAIT, "the caller's audio at OpenAI", () -> remote.inputAudioBytes() >= 14 * 160);
    BridgeResult result = bridge.close();

    assertThat(h.listener.failures).isEmpty();
    assertThat(result.recordingProblem()).contains("could not be started");
    assertThat(result.transcript()).extracting(TranscriptLine::text).containsExactly(DISCLOSURE);
    assertThat(metrics.events).contains("recording failed");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(blocker);
    }
  }

  @Test
  void withRecordingOffNothingIsWrittenAndNothingDisclosed() throws Exception {
    harness(new RecordingSettings(false, dir.resolve("recordings"), DISCLOSURE));
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    talk(bridge, 10);
    Await.until(BridgeHarness.WAIT, "the caller's audio at OpenAI", () -> remote.inputAudioBytes() >= 8 * 160);

    BridgeResult result = bridge.close();

    assertThat(result.recordingProblem()).isNull();
    assertThat(remote.received("response.create")).as("no greeting, no disclosure").isEmpty();
    assertThat(dir.resolve("recordings")).doesNotExist();
    assertThat(metrics.events).noneMatch(e -> e.startsWith("recording"));
  }

  static void assertTone(short[] samples, double expected, double other, String what) {
    double wanted = Tones.power(samples, 0, samples.length, expected, OggOpusReader.RATE);
    double unwanted = Tones.power(samples, 0, samples.length, other, OggOpusReader.RATE);
    assertThat(dev.wavoice.testkit.audio.Tones.rmsDbfs(samples)).as(what + ": level").isGreaterThan(-30);
    assertThat(wanted).as(what + ": " + expected + " Hz over " + other + " Hz").isGreaterThan(100 * unwanted);
  }
}
