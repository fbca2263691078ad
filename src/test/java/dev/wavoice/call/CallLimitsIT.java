package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.LimitsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.kms.PipelineDouble;
import dev.wavoice.testkit.openai.DoubleSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The limits that make every call end, through the real WAR with the doubles and short limits
 * ({@link LimitsStack}): a call whose media does not connect is accepted anyway after the configured
 * delay and then ended by the media deadline; a call is ended at its maximum duration; a caller whose
 * RTP stops is hung up. Each time Meta is told {@code terminate}, since the call had been accepted.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class CallLimitsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static LimitsStack stack;

  @BeforeAll
  static void start(LimitsStack limits) {
    stack = limits;
  }

  @AfterEach
  void noProtocolViolationsAndNoCallLeftBehind() {
    stack.openai.assertNoViolations();
    stack.admin().awaitNoLiveCall(WAIT);
  }

  @Test
  void mediaThatDoesNotConnectIsAcceptedAfterTheDelayAndTheCallEndsAtTheMediaDeadline() {
    String callId = Fixtures.newCallId("CL");
    int sessionsBefore = stack.openai.sessions().size();
    // the KMS double never connects a caller whose ICE ufrag starts with "silent"
    String silentCaller = Fixtures.editCalls(Fixtures.whatsappJson("webhook-connect-user-initiated.json"), c -> {
      JsonObject session = c.getJsonObject("session");
      String sdp = session.getString("sdp").replaceFirst("a=ice-ufrag:\\S{6}", "a=ice-ufrag:silent");
      return Json.createObjectBuilder(c).add("id", callId)
          .add("session", Json.createObjectBuilder(session).add("sdp", sdp)).build();
    }).toString();
    assertThat(silentCaller).contains("a=ice-ufrag:silent");
    assertThat(stack.webhooks().send(silentCaller).statusCode()).isEqualTo(200);

    Await.until(WAIT, "accept without media", () -> actions(callId).equals(List.of("pre_accept", "accept")));
    var requests = stack.whatsapp.callActions(callId);
    assertThat(requests.get(1).sdp()).isEqualTo(requests.get(0).sdp());
    JsonObject live = Await.value(WAIT, "the record of the accept", () -> {
      JsonObject r = Fixtures.parse(stack.admin().get("/api/calls/" + callId).body());
      return r.containsKey("mediaAtAccept") ? r : null;
    });
    assertThat(live.getBoolean("mediaAtAccept")).isFalse();
    assertThat(live.getString("outcome")).isEqualTo("IN_PROGRESS");

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("MEDIA_TIMEOUT");
    assertThat(record.getBoolean("mediaAtAccept")).isFalse();
    assertThat(record.containsKey("acceptedAt")).isTrue();
    // accepted, so Meta is told terminate, not reject
    assertThat(actions(callId)).containsExactly("pre_accept", "accept", "terminate");
    Map<String, Long> at = CallFlowIT.timeline(record);
    assertThat(at).containsKeys("pre_accept_sent", "accept_sent", "end")
        .doesNotContainKeys("media_connected", "bridge_started", "first_bot_audio");
    assertThat(at.get("accept_sent") - at.get("pre_accept_sent")).isGreaterThanOrEqualTo(LimitsStack.ACCEPT_WITHOUT_MEDIA_AFTER_MS);

    // the agent waited for media: its greeting was never asked for, so nothing was spoken into a dead line
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
    Await.until(WAIT, "OpenAI session closed", session::isClosed);
    assertThat(session.received("response.create")).isEmpty();
    Await.until(WAIT, "pipeline released", () -> pipeline(callId).isEmpty());
  }

  @Test
  void aCallIsTerminatedAtItsMaximumDuration() {
    String callId = Fixtures.newCallId("CL");
    int sessionsBefore = stack.openai.sessions().size();
    assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "accept", () -> actions(callId).equals(List.of("pre_accept", "accept")));
    // media was up at accept: the agent greets at once
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
    Await.until(WAIT, "the greeting asked for", () -> !session.received("response.create").isEmpty());

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("MAX_DURATION");
    assertThat(record.getString("outcome")).isEqualTo("COMPLETED");
    assertThat(record.getBoolean("mediaAtAccept")).isTrue();
    assertThat(record.getJsonNumber("talkTimeMs").longValue()).isGreaterThanOrEqualTo(LimitsStack.MAX_DURATION_SECONDS * 1000L);
    assertThat(actions(callId)).containsExactly("pre_accept", "accept", "terminate");
    assertThat(endedCounted("COMPLETED", "MAX_DURATION")).isGreaterThanOrEqualTo(1);
    Await.until(WAIT, "OpenAI session closed", session::isClosed);
    Await.until(WAIT, "pipeline released", () -> pipeline(callId).isEmpty());
  }

  @Test
  void aCallerWhoseRtpStopsIsHungUp() {
    String callId = Fixtures.newCallId("CL");
    int sessionsBefore = stack.openai.sessions().size();
    assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "accept", () -> actions(callId).equals(List.of("pre_accept", "accept")));
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
    Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);

    // the caller's packets stop, with no event from Kurento and no terminate from Meta
    pipeline(callId).orElseThrow().webRtc().stopCallerAudio();

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("MEDIA_INACTIVE");
    assertThat(record.getString("outcome")).isEqualTo("FAILED");
    assertThat(record.getString("endDetail")).contains("no RTP from the caller");
    assertThat(actions(callId)).containsExactly("pre_accept", "accept", "terminate");
    assertThat(CallFlowIT.timeline(record)).containsKeys("first_caller_rtp", "end");
    assertThat(endedCounted("FAILED", "MEDIA_INACTIVE")).isGreaterThanOrEqualTo(1);
    Await.until(WAIT, "pipeline released", () -> pipeline(callId).isEmpty());
  }

  private static String connect(String callId) {
    return Fixtures.withCallId("webhook-connect-user-initiated.json", callId);
  }

  private static List<String> actions(String callId) {
    return stack.whatsapp.acceptedActions(callId);
  }

  private static Optional<PipelineDouble> pipeline(String callId) {
    return stack.kms.pipelineTagged("wavoice.call-id", callId);
  }

  /** {@code wavoice_calls_ended_total} for this outcome and reason, as {@code /metrics} shows it. */
  private static double endedCounted(String outcome, String reason) {
    return stack.app.get("/metrics").body().lines()
        .filter(l -> l.startsWith("wavoice_calls_ended_total{") && l.contains("outcome=\"" + outcome + "\"")
            && l.contains("reason=\"" + reason + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
