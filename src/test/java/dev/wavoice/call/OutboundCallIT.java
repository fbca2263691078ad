package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.kms.PipelineDouble;
import dev.wavoice.testkit.kms.WebRtcEndpointDouble;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.MetaErrors;
import dev.wavoice.testkit.whatsapp.OutgoingCallWebhooks;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Business-initiated calls through the real WAR on Payara Micro: POST /api/calls reads the user's call
 * permission, asks for it when missing, and places the call when the signed permission reply accepts;
 * a declined request places none; Meta's limits come back as clear errors. A placed call runs whole with
 * the doubles: Kurento's offer in {@code connect}, Meta's {@code RINGING}/{@code ACCEPTED} statuses and
 * {@code connect} webhook with the user's answer, media, the agent heard both ways, and each way it ends
 * (the user hangs up, an operator does, the user rejects, nobody answers, media never connects, Kurento
 * refuses the answer), Meta told whenever wavoice ends it.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class OutboundCallIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static DoublesStack stack;
  private static WhatsAppCloudDouble meta;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
    meta = doubles.whatsapp;
  }

  @BeforeEach
  void everythingRight() {
    meta.healthy();
    Await.until(WAIT, "ready", () -> stack.app.get("/health/ready").statusCode() == 200);
  }

  @AfterEach
  void leaveItRight() {
    meta.healthy();
    stack.openai.assertNoViolations();
    stack.admin().awaitNoLiveCall(WAIT);
  }

  private static String newUser() {
    return "4915" + (100_000_000 + ThreadLocalRandom.current().nextInt(900_000_000));
  }

  private static HttpResponse<String> dial(String user) {
    return stack.admin().post("/api/calls", "{\"to\":\"+" + user + "\",\"bizOpaqueCallbackData\":\"it-outbound\"}");
  }

  private static JsonObject request(String id) {
    HttpResponse<String> response = stack.admin().get("/api/calls/requests/" + id);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Fixtures.parse(response.body());
  }

  private static long connectsTo(String user) {
    return meta.requests("calls/connect").stream().filter(r -> user.equals(r.body().getString("to", null))).count();
  }

  private static void hangUp(String callId) {
    assertThat(stack.admin().post("/api/calls/" + callId + "/hangup", null).statusCode()).isEqualTo(202);
    Await.until(WAIT, "the call " + callId + " to end", () ->
        !stack.admin().call(callId).getString("outcome").equals("IN_PROGRESS"));
  }

  @Test
  void missingPermissionIsAskedForAndTheCallIsPlacedWhenTheUserAccepts() {
    String user = newUser();
    HttpResponse<String> asked = dial(user);
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
    JsonObject pending = Fixtures.parse(asked.body());
    assertThat(pending.getString("state")).isEqualTo("AWAITING_PERMISSION");
    assertThat(asked.headers().firstValue("Location")).hasValueSatisfying(l -> l.endsWith("/api/calls/requests/"
        + pending.getString("requestId")));
    GraphRequest message = meta.requests("messages").stream().filter(r -> user.equals(r.body().getString("to"))).findFirst()
        .orElseThrow();
    assertThat(message.body().getJsonObject("interactive").getString("type")).isEqualTo("call_permission_request");
    assertThat(message.body().getJsonObject("interactive").getJsonObject("body").getString("text"))
        .isEqualTo("May we call you on WhatsApp?");
    assertThat(pending.getString("permissionRequestMessageId")).startsWith("wamid.");
    assertThat(connectsTo(user)).isZero();

    assertThat(stack.webhooks().send(meta.permissionReplyWebhook(user, true)).statusCode()).isEqualTo(200);
    JsonObject placed = Await.value(WAIT, "the call to be placed", () -> {
      JsonObject r = request(pending.getString("requestId"));
      return r.getString("state").equals("PLACED") ? r : null;
    });
    assertThat(connectsTo(user)).isEqualTo(1);
    GraphRequest connect = meta.requests("calls/connect").stream().filter(r -> user.equals(r.body().getString("to"))).findFirst()
        .orElseThrow();
    assertThat(connect.body().getString("biz_opaque_callback_data")).isEqualTo("it-outbound");
    assertThat(connect.status()).isEqualTo(200);
    String callId = placed.getString("callId");
    assertThat(stack.admin().call(callId).getString("direction")).isEqualTo("OUTBOUND");
    hangUp(callId);
  }

  @Test
  void withPermissionTheCallIsPlacedAtOnce() {
    String user = newUser();
    meta.grantCallPermission(user);
    HttpResponse<String> placed = dial(user);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    JsonObject body = Fixtures.parse(placed.body());
    assertThat(body.getString("state")).isEqualTo("PLACED");
    assertThat(meta.requests("messages")).noneMatch(r -> user.equals(r.body().getString("to")));
    hangUp(body.getString("callId"));
  }

  @Test
  void aDeclinedRequestPlacesNoCallAndSaysSo() {
    String user = newUser();
    JsonObject pending = Fixtures.parse(dial(user).body());
    assertThat(stack.webhooks().send(meta.permissionReplyWebhook(user, false)).statusCode()).isEqualTo(200);
    JsonObject declined = Await.value(WAIT, "the request to be declined", () -> {
      JsonObject r = request(pending.getString("requestId"));
      return r.getString("state").equals("DECLINED") ? r : null;
    });
    assertThat(declined.getString("error")).isEqualTo("permission_declined");
    assertThat(declined.getString("message")).contains("declined");
    assertThat(connectsTo(user)).isZero();

    // asking again the same day is beyond Meta's limit, and says so
    HttpResponse<String> again = dial(user);
    assertThat(again.statusCode()).isEqualTo(429);
    assertThat(Fixtures.parse(again.body()).getString("error")).isEqualTo("permission_request_limit_reached");
    assertThat(again.body()).contains("1 of 1 per PT24H");
  }

  @Test
  void metasDailyLimitOfConnectedCallsIsAClearError() {
    String user = newUser();
    meta.grantCallPermission(user);
    meta.failNext("calls/connect", 400, MetaErrors.dailyCallLimit());
    HttpResponse<String> refused = dial(user);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    JsonObject error = Fixtures.parse(refused.body());
    assertThat(error.getString("error")).isEqualTo("daily_call_limit_reached");
    assertThat(error.getString("message")).contains("138012");
    assertThat(request(error.getString("requestId")).getString("state")).isEqualTo("FAILED");
  }

  @Test
  void badInputIsRefusedBeforeAskingMeta() {
    assertThat(stack.admin().post("/api/calls", "{\"to\":\"abc\"}").statusCode()).isEqualTo(400);
    assertThat(stack.admin().post("/api/calls", "{\"to\":\"4915112345678\",\"bizOpaqueCallbackData\":\"" + "x".repeat(513) + "\"}")
        .statusCode()).isEqualTo(400);
    assertThat(stack.admin().get("/api/calls/requests/req-unknown").statusCode()).isEqualTo(404);
  }

  // ---- a placed call, whole

  private static final double BOT_TONE_HZ = 660;

  /** Places a call to a user who granted permission; returns Meta's call id. */
  private static String place(String user) {
    meta.grantCallPermission(user);
    HttpResponse<String> placed = dial(user);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    return Fixtures.parse(placed.body()).getString("callId");
  }

  /** Meta's call status webhook ({@code statuses[]}: RINGING, ACCEPTED, REJECTED) for an outgoing call. */
  private static void status(String callId, String user, String status) {
    new OutgoingCallWebhooks(stack.webhooks(), "it-outbound").status(callId, user, status);
  }

  /** Meta's {@code connect} webhook with the user's SDP answer ({@code BUSINESS_INITIATED}, {@code sdp_type} answer). */
  private static void answer(String callId, String user, java.util.function.UnaryOperator<String> editSdp) {
    new OutgoingCallWebhooks(stack.webhooks(), "it-outbound").answerEditing(callId, user, editSdp);
  }

  /** Meta's {@code terminate} webhook: the user hung up. */
  private static void userHangsUp(String callId, String user) {
    new OutgoingCallWebhooks(stack.webhooks(), "it-outbound").userHangsUp(callId, user);
  }

  /**
   * The pipeline of the call to {@code user}: the one whose offer (its ICE credentials; wavoice fits the
   * rest of the SDP to WhatsApp) went to Meta in its {@code connect}. It is tagged with wavoice's own id.
   */
  private static PipelineDouble pipeline(String user) {
    String offer = meta.requests("calls/connect").stream().filter(r -> user.equals(r.body().getString("to", null)))
        .map(GraphRequest::sdp).findFirst().orElseThrow();
    String ufrag = offer.lines().filter(l -> l.startsWith("a=ice-ufrag:")).findFirst().orElseThrow();
    return Await.value(WAIT, "the pipeline that offered to " + user, () -> stack.kms.pipelines().stream()
        .filter(p -> !p.webRtcEndpoints().isEmpty() && p.webRtc().localSdp() != null
            && p.webRtc().localSdp().lines().anyMatch(ufrag::equals))
        .findFirst().orElse(null));
  }

  private static boolean released(PipelineDouble pipeline) {
    return !stack.kms.pipelines().contains(pipeline);
  }

  /** Answers a placed call and waits until the agent is on it; returns the call's OpenAI session. */
  private static DoubleSession answeredAndConnected(String callId, String user, int sessionsBefore) {
    status(callId, user, "RINGING");
    assertThat(stack.admin().call(callId).getString("outcome")).isEqualTo("IN_PROGRESS");
    answer(callId, user, sdp -> sdp);
    status(callId, user, "ACCEPTED");
    Await.until(WAIT, "the call connected", () -> stack.admin().call(callId).containsKey("acceptedAt"));
    return stack.openai.awaitSession(sessionsBefore, WAIT);
  }

  @Test
  void aPlacedCallIsAnsweredTheAgentIsHeardBothWaysAndTheUserHangsUp() {
    String user = newUser();
    int sessionsBefore = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false)
        .enqueue(Turn.of().audio(1500, BOT_TONE_HZ, "Hello, this is the wavoice agent calling about your order.")));
    String callId = place(user);

    // connect carried Kurento's offer (Kurento offers, so it is the ICE-controlling side)
    PipelineDouble pipeline = pipeline(user);
    WebRtcEndpointDouble callee = pipeline.webRtc();
    GraphRequest connect = meta.requests("calls/connect").stream().filter(r -> user.equals(r.body().getString("to", null)))
        .findFirst().orElseThrow();
    assertThat(connect.body().getJsonObject("session").getString("sdp_type")).isEqualTo("offer");
    assertThat(callee.offerer()).isTrue();
    assertThat(connect.sdp()).contains("a=setup:actpass", "m=audio");

    DoubleSession session = answeredAndConnected(callId, user, sessionsBefore);
    assertThat(callee.remoteSdp()).contains("a=ice-lite", "a=setup:active");

    // the callee's audio (the double's 440 Hz tone) reaches OpenAI; they say hello and the agent answers
    Await.until(WAIT, "callee audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);
    session.speechStarted();
    session.speechStopped();
    Await.until(WAIT, "the agent's tone at the callee", () -> {
      short[] heard = callee.heardByCaller();
      short[] tail = Arrays.copyOfRange(heard, Math.max(0, heard.length - 48_000), heard.length);
      return tail.length > 9_600 && Math.abs(Tones.dominantHz(tail, 48_000) - BOT_TONE_HZ) < 30;
    });

    userHangsUp(callId, user);

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("outcome")).isEqualTo("COMPLETED");
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getString("direction")).isEqualTo("OUTBOUND");
    assertThat(record.getString("to")).isEqualTo(user);
    assertThat(record.getJsonNumber("talkTimeMs").longValue()).isPositive();
    assertThat(record.containsKey("firstBotAudioAt")).isTrue();
    assertThat(record.getJsonNumber("totalTokens").longValue()).isPositive();
    assertThat(record.getJsonArray("transcript").toString()).contains("calling about your order");
    Await.until(WAIT, "pipeline released", () -> released(pipeline));
    Await.until(WAIT, "OpenAI session closed", session::isClosed);
    // Meta ended it: nothing to tell
    assertThat(meta.callActions(callId)).isEmpty();
  }

  @Test
  void anOperatorHangsUpAnAnsweredOutgoingCallAndMetaIsTold() {
    String user = newUser();
    int sessionsBefore = stack.openai.sessions().size();
    String callId = place(user);
    PipelineDouble pipeline = pipeline(user);
    answeredAndConnected(callId, user, sessionsBefore);

    assertThat(stack.admin().post("/api/calls/" + callId + "/hangup", null).statusCode()).isEqualTo(202);

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("outcome")).isEqualTo("COMPLETED");
    assertThat(record.getString("endReason")).isEqualTo("OPERATOR_HANGUP");
    assertThat(meta.acceptedActions(callId)).containsExactly("terminate");
    Await.until(WAIT, "pipeline released", () -> released(pipeline));
  }

  @Test
  void aCallTheUserRejectsEndsAsNotAnsweredAndMetaIsNotToldAgain() {
    String user = newUser();
    String callId = place(user);
    PipelineDouble pipeline = pipeline(user);
    status(callId, user, "RINGING");
    status(callId, user, "REJECTED");

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("outcome")).isEqualTo("NOT_ANSWERED");
    assertThat(record.getString("endReason")).isEqualTo("NOT_ANSWERED");
    assertThat(record.getString("endDetail")).contains("rejected");
    assertThat(record.containsKey("acceptedAt")).isFalse();
    assertThat(meta.callActions(callId)).isEmpty();
    Await.until(WAIT, "pipeline released", () -> released(pipeline));
    // Meta follows a rejection with its terminate: the ended call is left as it was
    userHangsUp(callId, user);
    assertThat(stack.admin().call(callId).getString("endReason")).isEqualTo("NOT_ANSWERED");
  }

  @Test
  void aCallNobodyAnswersIsTerminatedAtTheDeadlineSoThePhoneStopsRinging() {
    String user = newUser();
    String callId = place(user);
    PipelineDouble pipeline = pipeline(user);
    status(callId, user, "RINGING");

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("outcome")).isEqualTo("NOT_ANSWERED");
    assertThat(record.getString("endReason")).isEqualTo("ANSWER_TIMEOUT");
    assertThat(record.getString("endDetail")).isEqualTo("no answer within " + DoublesStack.OUTBOUND_ANSWER_TIMEOUT_SECONDS + " s");
    assertThat(meta.acceptedActions(callId)).containsExactly("terminate");
    Await.until(WAIT, "pipeline released", () -> released(pipeline));
  }

  @Test
  void anAnsweredCallWhoseMediaNeverConnectsIsTerminated() {
    String user = newUser();
    String callId = place(user);
    PipelineDouble pipeline = pipeline(user);
    // the callee never answers connectivity checks
    answer(callId, user, sdp -> sdp.replaceFirst("a=ice-ufrag:", "a=ice-ufrag:silent"));

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("MEDIA_TIMEOUT");
    assertThat(record.getString("endDetail")).isEqualTo("media did not connect after the answer");
    assertThat(record.containsKey("acceptedAt")).isFalse();
    assertThat(meta.acceptedActions(callId)).containsExactly("terminate");
    Await.until(WAIT, "pipeline released", () -> released(pipeline));
  }

  @Test
  void anAnswerKurentoRefusesEndsTheCallAndMetaIsTold() {
    String user = newUser();
    String callId = place(user);
    PipelineDouble pipeline = pipeline(user);
    // an answer must say active or passive; actpass is an offerer's word
    answer(callId, user, sdp -> sdp.replace("a=setup:active", "a=setup:actpass"));

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("MEDIA_SETUP_FAILED");
    assertThat(record.getString("endDetail")).contains("setup");
    assertThat(stack.kms.errorsSent()).isNotEmpty();
    assertThat(meta.acceptedActions(callId)).containsExactly("terminate");
    Await.until(WAIT, "pipeline released", () -> released(pipeline));
  }
}
