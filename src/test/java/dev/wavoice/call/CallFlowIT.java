package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.kms.PipelineDouble;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whole calls through the real WAR on Payara Micro, with the WhatsApp, OpenAI and Kurento doubles: a
 * signed connect is answered by the agent and ended by Meta's terminate, and each way a call can fail or
 * be refused ends it through the one end path, observed from outside (what reached Meta, OpenAI and
 * Kurento, the admin API, the database).
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class CallFlowIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final double BOT_TONE_HZ = 660;

  private static DoublesStack stack;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
  }

  @AfterEach
  void noProtocolViolationsAndNoCallLeftBehind() {
    stack.openai.assertNoViolations();
    stack.admin().awaitNoLiveCall(WAIT);
  }

  private static String connect(String callId) {
    return Fixtures.withCallId("webhook-connect-user-initiated.json", callId);
  }

  private static void terminate(String callId) {
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
  }

  private static List<String> actions(String callId) {
    return stack.whatsapp.acceptedActions(callId);
  }

  private static Optional<PipelineDouble> pipeline(String callId) {
    return stack.kms.pipelineTagged("wavoice.call-id", callId);
  }

  private static DoubleSession nextOpenAiSession(int before) {
    return stack.openai.awaitSession(before, WAIT);
  }

  /** The record's timeline as event → milliseconds since the call started, in the record's order. */
  static Map<String, Long> timeline(JsonObject record) {
    Map<String, Long> at = new java.util.LinkedHashMap<>();
    for (JsonValue step : record.getJsonArray("timeline")) {
      JsonObject s = step.asJsonObject();
      assertThat(at.put(s.getString("event"), s.getJsonNumber("atMs").longValue())).as("%s noted once", s).isNull();
    }
    return at;
  }

  private static String appLog() {
    try {
      return Files.readString(stack.app.log());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The value of an application counter in {@code /metrics}, 0 before it exists. */
  private static double metric(String name) {
    return stack.app.get("/metrics").body().lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static long graphCallRequests() {
    return stack.whatsapp.requests().stream().filter(r -> r.path() != null && r.path().endsWith("/calls")).count();
  }

  private static boolean live(String callId) {
    return stack.admin().get("/api/calls").body().contains(callId);
  }

  @Test
  void aCallIsAnsweredByTheAgentHeardBothWaysAndEndedByMeta() throws Exception {
    String callId = Fixtures.newCallId("CF");
    int sessionsBefore = stack.openai.sessions().size();
    // the double's caller speaks a steady tone, so the test says when the caller stopped talking
    stack.openai.configureNextSession(s -> s.autoVad(false)
        .enqueue(Turn.of().audio(1500, BOT_TONE_HZ, "Hello, this is the wavoice agent.")));

    assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);

    // pre_accept, then accept once media connected, with the same SDP answer
    Await.until(WAIT, "pre_accept and accept of " + callId, () -> actions(callId).equals(List.of("pre_accept", "accept")));
    List<GraphRequest> requests = stack.whatsapp.callActions(callId);
    assertThat(requests.get(0).sdp()).isNotBlank().isEqualTo(requests.get(1).sdp());
    assertThat(requests.get(0).sdp()).doesNotContain("a=ice-lite").contains("a=setup:active");

    // the caller's audio (the double's 440 Hz tone) reaches OpenAI
    DoubleSession session = nextOpenAiSession(sessionsBefore);
    Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);
    assertThat(session.received("input_audio_buffer.append")).isNotEmpty();
    session.speechStarted();
    session.speechStopped();

    // the agent's audio (660 Hz) reaches the caller through Kurento
    PipelineDouble pipeline = pipeline(callId).orElseThrow();
    Await.until(WAIT, "the agent's tone at the caller", () -> {
      short[] heard = pipeline.webRtc().heardByCaller();
      short[] tail = Arrays.copyOfRange(heard, Math.max(0, heard.length - 48_000), heard.length);
      return tail.length > 9_600 && Math.abs(Tones.dominantHz(tail, 48_000) - BOT_TONE_HZ) < 30;
    });
    assertThat(live(callId)).isTrue();

    terminate(callId);

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("outcome")).isEqualTo("COMPLETED");
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getString("direction")).isEqualTo("INBOUND");
    assertThat(record.getString("from")).isEqualTo("13175550000");
    assertThat(record.getString("callerName")).isEqualTo("Test Caller");
    assertThat(record.getJsonNumber("talkTimeMs").longValue()).isPositive();
    assertThat(record.containsKey("firstBotAudioAt")).isTrue();
    assertThat(record.getJsonNumber("totalTokens").longValue()).isPositive();
    assertThat(record.getJsonArray("transcript").toString()).contains("Hello, this is the wavoice agent.");

    // accepted with its media up; the timeline shows the set-up in the order it happened
    assertThat(record.getBoolean("mediaAtAccept")).isTrue();
    Map<String, Long> at = timeline(record);
    assertThat(at).containsKeys("pre_accept_sent", "ice_checking", "ice_connected", "dtls_connected", "media_connected",
        "first_caller_rtp", "accept_sent", "bridge_started", "first_bot_audio", "end");
    assertThat(List.copyOf(at.values())).isSorted().allSatisfy(ms -> assertThat(ms).isNotNegative());
    // no order between Kurento's own events and media_connected: they come on several threads, and audio
    // flowing in counts as connected (media.md), so ICE and DTLS may be noted a moment after media_connected
    assertThat(at.get("pre_accept_sent")).isLessThanOrEqualTo(at.get("accept_sent"));
    assertThat(List.of(at.get("media_connected"), at.get("accept_sent"), at.get("bridge_started"), at.get("first_bot_audio"),
        at.get("end"))).isSorted();
    assertThat(at.get("first_caller_rtp")).isLessThanOrEqualTo(at.get("end"));

    // everything released: the pipeline, the OpenAI socket; Meta was not told anything (it ended the call)
    Await.until(WAIT, "pipeline released", () -> pipeline(callId).isEmpty());
    Await.until(WAIT, "OpenAI session closed", session::isClosed);
    assertThat(actions(callId)).containsExactly("pre_accept", "accept");
    assertThat(live(callId)).isFalse();

    // exactly one record in the database, with its transcript
    try (Connection db = stack.database();
        PreparedStatement q = db.prepareStatement("SELECT COUNT(*), MAX(end_reason) FROM call_record WHERE call_id = ?")) {
      q.setString(1, callId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getString(2)).isEqualTo("REMOTE_TERMINATE");
      }
    }
  }

  @Test
  void aDuplicateConnectMakesOneCall() {
    String callId = Fixtures.newCallId("CF");
    int sessionsBefore = stack.openai.sessions().size();
    assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);
    assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "accept", () -> actions(callId).contains("accept"));
    terminate(callId);
    stack.admin().endedRecord(callId, WAIT);
    assertThat(actions(callId)).containsExactly("pre_accept", "accept");
    assertThat(stack.openai.sessions().size() - sessionsBefore).isEqualTo(1);
  }

  @Test
  void mediaThatNeverConnectsIsNeverAcceptedAndIsRejectedAtTheDeadline() {
    String callId = Fixtures.newCallId("CF");
    String silentCaller = Fixtures.editCalls(Fixtures.whatsappJson("webhook-connect-user-initiated.json"), c -> {
      JsonObject session = c.getJsonObject("session");
      String sdp = session.getString("sdp").replaceFirst("a=ice-ufrag:", "a=ice-ufrag:silent");
      return Json.createObjectBuilder(c).add("id", callId)
          .add("session", Json.createObjectBuilder(session).add("sdp", sdp)).build();
    }).toString();
    assertThat(stack.webhooks().send(silentCaller).statusCode()).isEqualTo(200);

    Await.until(WAIT, "pre_accept", () -> actions(callId).contains("pre_accept"));
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("MEDIA_TIMEOUT");
    assertThat(record.getString("outcome")).isEqualTo("REJECTED");
    assertThat(actions(callId)).containsExactly("pre_accept", "reject");
    assertThat(record.containsKey("mediaAtAccept")).isFalse(); // never accepted
    assertThat(timeline(record)).containsKeys("pre_accept_sent", "end").doesNotContainKeys("media_connected", "accept_sent");
    Await.until(WAIT, "pipeline released", () -> pipeline(callId).isEmpty());
  }

  @Test
  void aCallForAnotherPhoneNumberIsAcknowledgedCountedAndNeverAnswered() {
    String otherNumberId = "436666719500001";
    List<String> callIds = List.of(Fixtures.newCallId("CF"), Fixtures.newCallId("CF"));
    double countedBefore = metric("wavoice_webhook_other_number_calls_total");
    long callRequestsBefore = graphCallRequests();
    int sessionsBefore = stack.openai.sessions().size();

    // a flood: the first call delivered three times, then another
    for (String callId : List.of(callIds.get(0), callIds.get(0), callIds.get(0), callIds.get(1))) {
      String forOtherNumber = connect(callId).replace(DoublesStack.PHONE_NUMBER_ID, otherNumberId);
      assertThat(forOtherNumber).contains(otherNumberId);
      assertThat(stack.webhooks().send(forOtherNumber).statusCode()).isEqualTo(200);
    }

    // counted when acknowledged (the webhook decides before answering)
    assertThat(metric("wavoice_webhook_other_number_calls_total") - countedBefore).isEqualTo(4.0);
    // logged once, not once per delivery (the first of this app's life; the log file outlives runs)
    Await.until(WAIT, "the notice in the app's log", () -> appLog().contains(callIds.get(0)));
    assertThat(appLog().lines().filter(l -> l.contains(callIds.get(0)))).singleElement().asString()
        .contains("is for phone number id " + otherNumberId, "not answered");
    assertThat(appLog()).doesNotContain(callIds.get(1));
    // never answered: not dispatched, no call, no record, no Graph request, no media, no OpenAI session
    for (String callId : callIds) {
      assertThat(stack.probe().callEvents(callId)).isEmpty();
      assertThat(stack.admin().get("/api/calls/" + callId).statusCode()).isEqualTo(404);
      assertThat(stack.whatsapp.requests()).noneMatch(r -> callId.equals(r.callId()));
      assertThat(pipeline(callId)).isEmpty();
      assertThat(live(callId)).isFalse();
    }
    assertThat(graphCallRequests()).isEqualTo(callRequestsBefore);
    assertThat(stack.openai.sessions()).hasSize(sessionsBefore);
  }

  @Test
  void overCapacityIsRejected() {
    List<String> calls = List.of(Fixtures.newCallId("CF"), Fixtures.newCallId("CF"), Fixtures.newCallId("CF"));
    for (String id : calls) {
      assertThat(stack.webhooks().send(connect(id)).statusCode()).isEqualTo(200);
      Await.until(WAIT, "accept of " + id, () -> actions(id).contains("accept"));
    }
    String extra = Fixtures.newCallId("CF");
    assertThat(stack.webhooks().send(connect(extra)).statusCode()).isEqualTo(200);
    JsonObject record = stack.admin().endedRecord(extra, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("OVER_CAPACITY");
    assertThat(actions(extra)).containsExactly("reject");
    assertThat(pipeline(extra)).isEmpty();
    calls.forEach(CallFlowIT::terminate);
    calls.forEach(id -> stack.admin().endedRecord(id, WAIT));
  }

  @Test
  void openAiRefusingTheSessionRejectsTheCallWithTheReason() {
    String callId = Fixtures.newCallId("CF");
    stack.openai.configureNextSession(DoubleSession::mismatchFormats);
    assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("OPENAI_REFUSED");
    assertThat(record.getString("endDetail")).isNotBlank();
    assertThat(actions(callId)).doesNotContain("accept").endsWith("reject");
    Await.until(WAIT, "pipeline released", () -> pipeline(callId).isEmpty());
  }

  @Test
  void anOperatorHangsUpThroughTheAdminApi() {
    String callId = Fixtures.newCallId("CF");
    assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "accept", () -> actions(callId).contains("accept"));
    assertThat(stack.admin().post("/api/calls/" + callId + "/hangup", null).statusCode()).isEqualTo(202);
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("OPERATOR_HANGUP");
    assertThat(actions(callId)).containsExactly("pre_accept", "accept", "terminate");
    assertThat(stack.admin().post("/api/calls/" + callId + "/hangup", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aKurentoRestartMidCallEndsItCleanlyAndNewCallsWorkAfterwards() {
    String callId = Fixtures.newCallId("CF");
    assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "accept", () -> actions(callId).contains("accept"));

    stack.kms.restart();

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("KMS_RESTARTED");
    assertThat(actions(callId)).containsExactly("pre_accept", "accept", "terminate");

    Await.until(WAIT, "kurento ready again", () -> stack.app.get("/health/ready").statusCode() == 200);
    String after = Fixtures.newCallId("CF");
    assertThat(stack.webhooks().send(connect(after)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "accept after the restart", () -> actions(after).contains("accept"));
    terminate(after);
    assertThat(stack.admin().endedRecord(after, WAIT).getString("endReason")).isEqualTo("REMOTE_TERMINATE");
  }

  @Test
  void kurentoDownRejectsCallsAndMakesTheAppUnready() {
    // from a connected Kurento: readiness is also DOWN while the app is still connecting at start-up
    Await.until(WAIT, "ready first", () -> stack.app.get("/health/ready").statusCode() == 200);
    stack.kms.stop();
    try {
      Await.until(WAIT, "readiness to report kurento DOWN", () -> {
        HttpResponse<String> ready = stack.app.get("/health/ready");
        return ready.statusCode() == 503 && ready.body().contains("\"kurento\"");
      });
      String callId = Fixtures.newCallId("CF");
      assertThat(stack.webhooks().send(connect(callId)).statusCode()).isEqualTo(200);
      JsonObject record = stack.admin().endedRecord(callId, WAIT);
      assertThat(record.getString("endReason")).isEqualTo("KMS_UNAVAILABLE");
      assertThat(actions(callId)).containsExactly("reject");
    } finally {
      stack.kms.startAgain();
    }
    Await.until(WAIT, "ready again", () -> stack.app.get("/health/ready").statusCode() == 200);
  }

  @Test
  void theAdminApiNeedsTheToken() {
    AdminClient anonymous = new AdminClient(stack.app, null);
    AdminClient wrong = new AdminClient(stack.app, "not-the-token");
    for (AdminClient client : List.of(anonymous, wrong)) {
      assertThat(client.get("/api/calls").statusCode()).isEqualTo(401);
      assertThat(client.get("/api/records").statusCode()).isEqualTo(401);
      assertThat(client.post("/api/calls", "{\"to\":\"13175550000\"}").statusCode()).isEqualTo(401);
      assertThat(client.post("/api/calls/x/hangup", null).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> ok = stack.admin().get("/api/calls");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).doesNotContain(DoublesStack.ACCESS_TOKEN, DoublesStack.APP_SECRET, DoublesStack.OPENAI_API_KEY);
  }
}
