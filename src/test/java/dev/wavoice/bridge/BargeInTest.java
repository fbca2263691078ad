package dev.wavoice.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.ConfigValues;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.MuLaw;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.MapConfig;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Barge-in through the real bridge: the caller starts speaking ({@code speech_started} from the strict
 * OpenAI double) while the bot plays. The queue is flushed at once, the playing item is truncated at
 * the audio actually sent minus Kurento's jitter buffer (default 100 ms) only if it was partly played,
 * and audio of the cut response that OpenAI still had in flight never reaches RTP.
 */
class BargeInTest {

  final RecordingMetrics metrics = new RecordingMetrics();
  final BridgeHarness h = new BridgeHarness(UnaryOperator.identity(), BridgeSettings.defaults(), null, metrics);

  @AfterEach
  void close() {
    h.close();
  }

  static boolean silent(KurentoPeer.Packet packet) {
    for (byte b : packet.payload()) {
      if (b != MuLaw.SILENCE) {
        return false;
      }
    }
    return true;
  }

  /**
   * A caller frame through the bridge to the double: everything the bridge sent before it has arrived
   * once it has. It says nothing of what the double sent the bridge.
   */
  void barrier(RealtimeCallBridge bridge, DoubleSession remote) {
    barrier(h, bridge, remote);
  }

  static void barrier(BridgeHarness h, RealtimeCallBridge bridge, DoubleSession remote) {
    long before = remote.inputAudioBytes();
    h.kurento.send(BridgeHarness.leg(bridge), 0, 160, Tones.pattern(160, 1));
    h.kurento.send(BridgeHarness.leg(bridge), 0, 160, Tones.pattern(160, 2)); // a whole 40 ms append
    Await.until(BridgeHarness.WAIT, "the caller's frames at OpenAI", () -> remote.inputAudioBytes() == before + 320);
  }

  /**
   * The late audio the double sent (before its response.done) has reached the bridge and was dropped.
   * Waited for: the double's events travel to the bridge on their own, so no barrier through the
   * caller's direction can tell when they have arrived. Audio that was queued instead never counts.
   */
  static void awaitDroppedAtTheDoor(RealtimeCallBridge bridge, long ms) {
    Await.until(BridgeHarness.WAIT, ms + " ms of late audio dropped at the door", () -> bridge.droppedBotAudioMs() >= ms);
    assertThat(bridge.droppedBotAudioMs()).isEqualTo(ms);
  }

  RealtimeCallBridge answering(Turn turn, long queuedMs, DoubleSession[] remote) {
    h.openai.enqueue(turn);
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    remote[0] = h.openai.awaitSession(0, BridgeHarness.WAIT);
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, queuedMs + " ms of the answer queued", () -> bridge.audio().outbound().queuedMs() == queuedMs);
    return bridge;
  }

  @Test
  void aPartlyPlayedItemIsFlushedAtOnceAndTruncatedAtWhatWasSentLessKurentosJitterBuffer() {
    DoubleSession[] remote = new DoubleSession[1];
    RealtimeCallBridge bridge = answering(Turn.of().audio(2000, 440, "A long answer the caller cuts short."), 2000, remote);
    Await.until(BridgeHarness.WAIT, "the response done", () -> !remote[0].sent("response.done").isEmpty());
    String item = remote[0].sent("response.output_audio.delta").get(0).getString("item_id");
    for (int i = 0; i < 30; i++) {
      assertThat(silent(h.tick())).isFalse(); // 600 ms of it on the wire
    }

    remote[0].speechStarted();
    Await.until(BridgeHarness.WAIT, "the truncate", () -> !remote[0].received("conversation.item.truncate").isEmpty());
    assertThat(bridge.audio().outbound().queuedMs()).isZero();
    assertThat(silent(h.tick())).as("the tick after the barge-in").isTrue();
    JsonObject truncate = remote[0].received("conversation.item.truncate").get(0);
    assertThat(truncate.getString("item_id")).isEqualTo(item);
    assertThat(truncate.getInt("content_index")).isZero();
    assertThat(truncate.getInt("audio_end_ms")).isEqualTo(600 - 100);
    Await.until(BridgeHarness.WAIT, "OpenAI's confirmation", () -> !remote[0].sent("conversation.item.truncated").isEmpty());
    assertThat(remote[0].sent("error")).isEmpty();
    assertThat(bridge.bargeIns()).isEqualTo(1);
    assertThat(metrics.events).containsExactly("barge-in", "truncation");

    // the line is final now: the caller heard only its start
    Await.until(BridgeHarness.WAIT, "the cut line", () -> h.listener.lines.size() == 1);
    assertThat(h.listener.lines.get(0).interrupted()).isTrue();
    assertThat(h.listener.lines.get(0).text()).isEqualTo("A long answer the caller cuts short.");
    BridgeResult result = bridge.close();
    assertThat(result.bargeIns()).isEqualTo(1);
    assertThat(result.transcript()).containsExactly(h.listener.lines.get(0));
  }

  @Test
  void withoutAPlayoutDelayTheTruncateIsAtTheAudioSent() {
    h.close();
    BridgeHarness direct = new BridgeHarness(UnaryOperator.identity(), BridgeSettings.from(ConfigValues.lookup(MapConfig.of(BridgeSettings.PLAYOUT_DELAY_MS, "0"))), null,
        BridgeMetrics.NONE);
    try {
      direct.openai.enqueue(Turn.of().audio(1000, 440, "Something."));
      RealtimeCallBridge bridge = direct.started(AudioCodec.PCMU);
      DoubleSession remote = direct.openai.awaitSession(0, BridgeHarness.WAIT);
      bridge.session().requestResponse();
      Await.until(BridgeHarness.WAIT, "queued", () -> bridge.audio().outbound().queuedMs() == 1000);
      for (int i = 0; i < 7; i++) {
        direct.tick();
      }
      remote.speechStarted();
      Await.until(BridgeHarness.WAIT, "the truncate", () -> !remote.received("conversation.item.truncate").isEmpty());
      assertThat(remote.received("conversation.item.truncate").get(0).getInt("audio_end_ms")).isEqualTo(140);
    } finally {
      direct.close();
    }
  }

  @Test
  void nothingIsTruncatedWhenNothingWasPlaying() {
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    h.tick();
    remote.enqueueCallerTranscript("Hello?");
    remote.speechStarted();
    remote.speechStopped(); // the double answers: its audio reaching the bridge means speech_started was handled
    Await.until(BridgeHarness.WAIT, "the answer queued", () -> bridge.audio().outbound().queuedMs() > 0);
    barrier(bridge, remote);
    assertThat(remote.received("conversation.item.truncate")).isEmpty();
    assertThat(bridge.bargeIns()).isZero();
    assertThat(metrics.events).isEmpty();
    Await.until(BridgeHarness.WAIT, "the caller's line", () -> !h.listener.lines.isEmpty());
    assertThat(h.listener.lines.get(0).speaker()).isEqualTo(TranscriptLine.CALLER);
    assertThat(h.listener.lines.get(0).text()).isEqualTo("Hello?");
  }

  @Test
  void nothingIsTruncatedWhenTheItemHadPlayedCompletely() {
    DoubleSession[] remote = new DoubleSession[1];
    RealtimeCallBridge bridge = answering(Turn.of().audio(200, 440, "Short."), 200, remote);
    Await.until(BridgeHarness.WAIT, "the response done", () -> !remote[0].sent("response.done").isEmpty());
    for (int i = 0; i < 12; i++) {
      h.tick();
    }
    remote[0].speechStarted();
    remote[0].speechStopped();
    Await.until(BridgeHarness.WAIT, "the next answer queued", () -> bridge.audio().outbound().queuedMs() > 0);
    barrier(bridge, remote[0]);
    assertThat(remote[0].received("conversation.item.truncate")).isEmpty();
    assertThat(bridge.bargeIns()).isZero();
    Await.until(BridgeHarness.WAIT, "the bot's line", () -> h.listener.lines.stream().anyMatch(l -> l.text().equals("Short.")));
    assertThat(h.listener.lines.stream().filter(l -> l.text().equals("Short.")).findFirst().orElseThrow().interrupted()).isFalse();
  }

  @Test
  void aResponseCutByALostConnectionIsNotTheBotTalkingWhenTheCallerNextSpeaks() {
    h.close();
    // the JDK client notices a cut (no close frame) only most of the time; a short keepalive catches the rest
    BridgeHarness cut = new BridgeHarness(s -> s.toBuilder().keepalive(Duration.ofMillis(300)).build(),
        BridgeSettings.defaults(), null, metrics);
    try {
      cut.openai.enqueue(Turn.of().audio(200, 440, "I was").drop()); // no response.done ever comes for it
      RealtimeCallBridge bridge = cut.started(AudioCodec.PCMU);
      DoubleSession first = cut.openai.awaitSession(0, BridgeHarness.WAIT);
      // the caller's turn starts the answer (turn detection's, not a request of ours that a fresh session would be sent again)
      first.speechStarted();
      first.speechStopped();
      DoubleSession fresh = cut.openai.awaitSession(1, BridgeHarness.WAIT);
      Await.until(BridgeHarness.WAIT, "the reconnect reported",
          () -> cut.listener.problems.stream().anyMatch(p -> p.contains("connection was lost")));
      assertThat(first.sent("response.done")).isEmpty();
      Await.until(BridgeHarness.WAIT, "what came of the cut answer played out", () -> {
        cut.tick();
        return bridge.audio().outbound().queuedMs() == 0 && bridge.audio().outbound().playing().isEmpty();
      });

      fresh.speechStarted();
      fresh.speechStopped(); // the double answers: its audio reaching the bridge means speech_started was handled
      Await.until(BridgeHarness.WAIT, "the next answer queued", () -> bridge.audio().outbound().queuedMs() > 0);
      barrier(cut, bridge, fresh);
      assertThat(fresh.received("conversation.item.truncate")).isEmpty();
      assertThat(fresh.received("response.create")).as("nothing asked of the fresh session").isEmpty();
      assertThat(bridge.bargeIns()).as("the bot was silent when the caller spoke").isZero();
      assertThat(metrics.events).doesNotContain("barge-in");
    } finally {
      cut.close();
    }
  }

  @Test
  void audioTheCutResponseStillHadInFlightNeverReachesRtp() {
    h.openai.configureNextSession(s -> s.deltaInterval(Duration.ofMillis(30)).lateDeltasOnInterrupt(200));
    DoubleSession[] remote = new DoubleSession[1];
    h.openai.enqueue(Turn.of().audio(10_000, 440, "One two three four five six seven eight nine ten."));
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    remote[0] = h.openai.awaitSession(0, BridgeHarness.WAIT);
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "some audio queued", () -> bridge.audio().outbound().queuedMs() >= 200);
    for (int i = 0; i < 5; i++) {
      assertThat(silent(h.tick())).isFalse();
    }
    remote[0].speechStarted(); // mid-stream: 200 ms more of the item come after speech_started
    Await.until(BridgeHarness.WAIT, "the cancelled response",
        () -> remote[0].sent("response.done").stream().anyMatch(d -> d.getJsonObject("response").getString("status").equals("cancelled")));
    assertThat(lateDeltaMs(remote[0])).isEqualTo(200);
    awaitDroppedAtTheDoor(bridge, 200);
    barrier(bridge, remote[0]); // what the bridge sent on the way (the truncate) has arrived
    for (int i = 0; i < 30; i++) {
      assertThat(silent(h.tick())).as("tick %d after the barge-in", i).isTrue();
    }
    assertThat(remote[0].received("conversation.item.truncate")).singleElement()
        .satisfies(t -> assertThat(t.getInt("audio_end_ms")).isZero()); // 100 ms sent, all still in Kurento's buffer
    assertThat(bridge.bargeIns()).isEqualTo(1);
  }

  @Test
  void aCutResponsesLateAudioOfANewItemIsDroppedAtTheDoorUntilItsResponseIsDone() {
    h.openai.configureNextSession(s -> s.lateDeltasOnInterrupt(200));
    h.openai.enqueue(Turn.of().held()); // the answer is under way; no audio yet
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the response created", () -> !remote.sent("response.created").isEmpty());
    remote.speechStarted(); // 200 ms of a first item arrive after it, then the cancellation
    Await.until(BridgeHarness.WAIT, "the cancelled response", () -> !remote.sent("response.done").isEmpty());
    assertThat(lateDeltaMs(remote)).isEqualTo(200);
    awaitDroppedAtTheDoor(bridge, 200);
    barrier(bridge, remote); // a truncate, had the bridge sent one, has arrived
    assertThat(bridge.audio().outbound().queuedMs()).isZero();
    for (int i = 0; i < 15; i++) {
      assertThat(silent(h.tick())).isTrue();
    }
    assertThat(remote.received("conversation.item.truncate")).isEmpty(); // nothing of it had played
    assertThat(bridge.bargeIns()).isEqualTo(1); // but the bot's answer was cut
    assertThat(h.listener.lines).isEmpty(); // and the caller heard none of it
  }

  /** Milliseconds of audio the double sent after its speech_started. */
  static long lateDeltaMs(DoubleSession remote) {
    List<JsonObject> sent = remote.sent();
    int started = -1;
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i).getString("type").equals("input_audio_buffer.speech_started")) {
        started = i;
      }
    }
    long bytes = 0;
    for (int i = started + 1; i < sent.size(); i++) {
      if (sent.get(i).getString("type").equals("response.output_audio.delta")) {
        bytes += java.util.Base64.getDecoder().decode(sent.get(i).getString("delta")).length;
      }
    }
    return bytes / 8;
  }
}
