package dev.wavoice.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.IncomingCalls;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.ShortSessionsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.kms.WebRtcEndpointDouble;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls longer than an OpenAI session, through the real WAR with {@code wavoice.openai.rollover-after-seconds}
 * set to a few seconds ({@link ShortSessionsStack}): the OpenAI double ends its sessions as OpenAI does at
 * its limit ({@code error} {@code session_expired}, then a close). The call moves to a fresh session at a
 * pause before that, with the recap of the conversation, and the agent's speech is never cut; usage of
 * every session lands on the record. A move that fails, and a session that ends with no warning, end
 * the call cleanly with the reason.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class SessionRolloverIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final double BOT_TONE_HZ = 660;
  /** The pause that ends a turn: the stack's turn detection's silence, 500 ms, in 20 ms frames. */
  private static final int PAUSE_FRAMES = 25;

  private static DoublesStack stack;

  @BeforeAll
  static void start(ShortSessionsStack shortSessions) {
    stack = shortSessions.doubles;
    // the callers here speak a steady tone: every session (also those of later rollovers) hears speech only
    // when the test says so, else the tone would be a barge-in cutting the agent short
    stack.openai.configureEverySession(s -> s.autoVad(false));
  }

  @AfterEach
  void noProtocolViolationsAndNoCallLeftBehind() {
    try {
      stack.openai.assertNoViolations();
      stack.admin().awaitNoLiveCall(WAIT);
    } finally {
      stack.admin().hangUpAll(); // calls here roll over for ever
    }
  }

  private static void connect(String callId) {
    IncomingCalls.connectAndAwaitAccept(stack.webhooks(), stack.whatsapp, callId, WAIT);
  }

  /** A stretch of the agent's speech as the caller heard it: 20 ms frames of its tone, and the longest break inside. */
  record Speech(int toneFrames, int longestBreakFrames) {}

  /**
   * The agent's utterances the caller heard, in order, each finished (silence after it). Breaks shorter
   * than {@link #PAUSE_FRAMES} inside an utterance are counted, not split on: a loaded machine may send a
   * frame late, but a break as long as a pause would be a cut.
   */
  private static List<Speech> heardSpeech(short[] heard) {
    List<Speech> spoken = new ArrayList<>();
    int tone = 0;
    int gap = 0;
    int longest = 0;
    for (int at = 0; at + 960 <= heard.length; at += 960) {
      short[] frame = Arrays.copyOfRange(heard, at, at + 960);
      if (Tones.rmsDbfs(frame) > -40 && Math.abs(Tones.dominantHz(frame, 48_000) - BOT_TONE_HZ) < 40) {
        longest = tone > 0 ? Math.max(longest, gap) : 0;
        tone++;
        gap = 0;
      } else if (tone > 0 && ++gap >= PAUSE_FRAMES) {
        spoken.add(new Speech(tone, longest));
        tone = 0;
        gap = 0;
        longest = 0;
      }
    }
    return spoken;
  }

  private static long tokensReported(List<DoubleSession> sessions) {
    return sessions.stream().flatMap(s -> s.sent("response.done").stream())
        .mapToLong(e -> e.getJsonObject("response").getJsonObject("usage").getJsonNumber("total_tokens").longValue())
        .sum();
  }

  @Test
  void theCallMovesToAFreshSessionAtAPauseBeforeTheLimitWithTheRecapAndNothingCut() {
    String callId = Fixtures.newCallId("RO");
    int before = stack.openai.sessions().size();
    int answerMs = 6000;
    // the first session would expire well after the rollover time; its answer is still active then
    stack.openai.configureNextSession(s -> s.autoVad(false).maxDuration(Duration.ofSeconds(15))
        .enqueueCallerTranscript("I would like to know where my order is.")
        .enqueue(Turn.of().audio(answerMs, BOT_TONE_HZ, "Your order left our warehouse this morning.").held()));
    stack.openai.configureNextSession(s -> s.autoVad(false)
        .enqueueCallerTranscript("Thank you.")
        .enqueue(Turn.of().audio(1000, BOT_TONE_HZ, "You are welcome.")));
    connect(callId);
    DoubleSession first = stack.openai.awaitSession(before, WAIT);
    WebRtcEndpointDouble caller = stack.kms.pipelineTagged("wavoice.call-id", callId).orElseThrow().webRtc();
    Await.until(WAIT, "caller audio at OpenAI", () -> first.inputAudioBytes() > 0);

    first.speechStarted();
    first.speechStopped();

    // at the rollover time the fresh session is prepared in the background, but the answer is still active:
    // no pause, no move
    DoubleSession second = stack.openai.awaitSession(before + 1, WAIT);
    Await.until(WAIT, "the second session configured", () -> !second.sent("session.updated").isEmpty());
    assertThat(first.isClosed()).isFalse();
    assertThat(second.received("conversation.item.create")).isEmpty();
    assertThat(second.received("input_audio_buffer.append")).isEmpty();

    // the answer is done: the pause, and the move
    first.release();
    Await.until(WAIT, "the move to the second session", () -> first.isClosed()
        && !second.received("conversation.item.create").isEmpty());
    assertThat(first.sent("response.done")).singleElement()
        .satisfies(e -> assertThat(e.getJsonObject("response").getString("status")).isEqualTo("completed"));
    // the old session was closed by the app, before OpenAI's limit: no session_expired
    assertThat(first.sent("error")).isEmpty();
    assertThat(first.closeCode()).isEqualTo(1000);

    // the same configuration, then the recap as a system message, before any caller audio
    assertThat(second.received("session.update").get(0).getJsonObject("session"))
        .isEqualTo(first.received("session.update").get(0).getJsonObject("session"));
    JsonObject recap = second.received("conversation.item.create").get(0).getJsonObject("item");
    assertThat(recap.getString("type")).isEqualTo("message");
    assertThat(recap.getString("role")).isEqualTo("system");
    String recapText = recap.getJsonArray("content").getJsonObject(0).getString("text");
    assertThat(recapText)
        .contains("Caller: I would like to know where my order is.\nAgent: Your order left our warehouse this morning.\n")
        .endsWith("Carry on from here without greeting the caller again.");

    Await.until(WAIT, "caller audio at the second session", () -> second.inputAudioBytes() > 0);
    List<String> types = second.receivedTypes();
    assertThat(types.get(0)).isEqualTo("session.update");
    assertThat(types.indexOf("conversation.item.create")).isLessThan(types.indexOf("input_audio_buffer.append"));

    // the 6 s answer that spanned the move is heard whole (a frame may straddle each edge), with no break
    // anywhere near a pause in it
    Await.until(WAIT, "the first answer played out", () -> heardSpeech(caller.heardByCaller()).size() == 1);
    Speech answer = heardSpeech(caller.heardByCaller()).get(0);
    assertThat(answer.toneFrames() * 20).isGreaterThanOrEqualTo(answerMs - 60);
    assertThat(answer.longestBreakFrames()).isLessThan(PAUSE_FRAMES / 2);

    // the conversation goes on in the new session (before its own rollover time)
    assertThat(second.isClosed()).isFalse();
    second.speechStarted();
    second.speechStopped();
    Await.until(WAIT, "the second answer heard", () -> heardSpeech(caller.heardByCaller()).size() == 2);
    assertThat(heardSpeech(caller.heardByCaller()).get(1).toneFrames() * 20).isGreaterThanOrEqualTo(1000 - 60);

    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    // usage of every session of the call (later ones may have been opened by further rollovers)
    List<DoubleSession> sessions = stack.openai.sessions().subList(before, stack.openai.sessions().size());
    assertThat(record.getJsonNumber("totalTokens").longValue()).isEqualTo(tokensReported(sessions))
        .isGreaterThan(tokensReported(List.of(first)));
    assertThat(record.getJsonArray("transcript").toString())
        .contains("Your order left our warehouse this morning.", "You are welcome.");
  }

  @Test
  void aMoveThatFailsEndsTheCallCleanlyWhenTheOldSessionReachesItsLimit() {
    String callId = Fixtures.newCallId("RO");
    int before = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false).maxDuration(Duration.ofSeconds(9)));
    // the fresh session does not confirm the formats: it can never take over
    stack.openai.configureNextSession(DoubleSession::mismatchFormats);
    connect(callId);
    DoubleSession first = stack.openai.awaitSession(before, WAIT);
    DoubleSession refused = stack.openai.awaitSession(before + 1, WAIT);

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("OPENAI_FAILED");
    assertThat(record.getString("outcome")).isEqualTo("FAILED");
    assertThat(record.getString("endDetail")).contains("SESSION_EXPIRED");
    // and why the call could not go on past the limit
    assertThat(record.getJsonArray("errors").getValuesAs(jakarta.json.JsonString::getString))
        .anySatisfy(e -> assertThat(e).contains("move to a fresh session failed", "FORMAT_MISMATCH"));
    assertThat(first.sent("error")).singleElement()
        .satisfies(e -> assertThat(e.getJsonObject("error").getString("code")).isEqualTo("session_expired"));
    Await.until(WAIT, "the refused session closed", refused::isClosed);
    assertThat(refused.received("conversation.item.create")).isEmpty();
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept", "terminate");
    Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
  }

  @Test
  void aSessionThatEndsWithNoWarningBeforeTheRolloverEndsTheCallCleanly() {
    String callId = Fixtures.newCallId("RO");
    int before = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false));
    connect(callId);
    DoubleSession first = stack.openai.awaitSession(before, WAIT);

    first.expireNow();

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("OPENAI_FAILED");
    assertThat(record.getString("endDetail")).contains("SESSION_EXPIRED");
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept", "terminate");
    Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
    assertThat(first.closeCode()).isEqualTo(1000);
  }
}
