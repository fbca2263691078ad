package dev.wavoice.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.IncomingCalls;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.openai.UpgradeRefusal;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI's faults in whole calls through the WAR (WhatsApp, OpenAI and Kurento doubles): a session that
 * goes silent without closing (no answers, no pongs), one cut without a close frame, one closed by the
 * server, an {@code error} event a response draws and a fatal one, and a reconnect OpenAI refuses with
 * its HTTP errors. Each call either goes on on a fresh session or ends with {@code OPENAI_FAILED} and the
 * reason in its record; either way Meta hears the end of a call that ends, the Kurento pipeline is
 * released, and the doubles saw nothing the real services would refuse.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class OpenAiFaultsIT {

  /** Well above the keepalive's 5 s and a reconnect's opening on a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static DoublesStack stack;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
  }

  @AfterEach
  void noViolationsAndNoCallLeftBehind() {
    try {
      stack.admin().awaitNoLiveCall(WAIT);
    } finally {
      stack.openai.clearRefusals();
      stack.admin().hangUpAll();
    }
  }

  /** A call up with its first OpenAI session; the callers' steady tone is no speech (the test says when). */
  private static DoubleSession connect(String callId, Consumer<DoubleSession> setup) {
    return IncomingCalls.answered(stack.webhooks(), stack.whatsapp, stack.openai, callId, setup, WAIT);
  }

  private static List<String> errors(JsonObject record) {
    return record.getJsonArray("errors").getValuesAs(JsonString::getString);
  }

  private static List<String> liveErrors(String callId) {
    HttpResponse<String> response = stack.admin().get("/api/calls/" + callId);
    JsonObject record = response.statusCode() != 200 ? null : Fixtures.parse(response.body());
    return record == null || !record.containsKey("errors") ? List.of() : errors(record);
  }

  private static void hangUpAsTheCaller(String callId) {
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
  }

  private static void assertReleased(String callId) {
    Await.until(WAIT, "pipeline of " + callId + " released",
        () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
  }

  /** The call is live on the fresh session: caller audio reaches it and it answers the caller's turn. */
  private static void conversationGoesOnAt(DoubleSession fresh) {
    Await.until(WAIT, "the fresh session configured", () -> !fresh.sent("session.updated").isEmpty());
    Await.until(WAIT, "caller audio at the fresh session", () -> fresh.inputAudioBytes() > 0);
    fresh.speechStarted();
    fresh.speechStopped();
    Await.until(WAIT, "an answer from the fresh session", () -> fresh.sent("response.done").stream()
        .anyMatch(e -> e.getJsonObject("response").getString("status").equals("completed")));
  }

  @Test
  void aSessionThatGoesSilentIsFoundByTheKeepaliveAndTheCallGoesOnOnAFreshSession() {
    String callId = Fixtures.newCallId("OF");
    DoubleSession first = connect(callId, s -> {});
    int before = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false));

    first.freeze(); // no answers, no pongs, nothing closed: a dead route

    DoubleSession fresh = stack.openai.awaitSession(before, WAIT);
    conversationGoesOnAt(fresh);
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept");

    hangUpAsTheCaller(callId);
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(errors(record)).anySatisfy(e -> assertThat(e)
        .contains("connection was lost", "TRANSPORT", "did not answer a WebSocket ping within 3000 ms"));
    assertReleased(callId);
    Await.until(WAIT, "the fresh session closed by the app", fresh::isClosed);
    assertThat(fresh.closeCode()).isEqualTo(1000);
  }

  @Test
  void aSessionCutWithoutACloseFrameMidAnswerGoesOnOnAFreshSession() {
    String callId = Fixtures.newCallId("OF");
    DoubleSession first = connect(callId, s -> s.enqueue(Turn.of().audio(400, 660, "I was about to").drop()));
    int before = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false));

    first.speechStarted();
    first.speechStopped();

    DoubleSession fresh = stack.openai.awaitSession(before, WAIT);
    conversationGoesOnAt(fresh);
    assertThat(first.closeCode()).isEqualTo(1006);

    hangUpAsTheCaller(callId);
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(errors(record)).anySatisfy(e -> assertThat(e).contains("connection was lost"));
    assertReleased(callId);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("silent", UpgradeRefusal.rateLimited(), "did not answer a WebSocket ping", "CONNECT_FAILED"),
        Arguments.of("closed 1011", UpgradeRefusal.serverError(), "OpenAI closed the WebSocket", "CONNECT_FAILED"),
        Arguments.of("silent", UpgradeRefusal.unauthorized(DoublesStack.OPENAI_API_KEY), "did not answer a WebSocket ping",
            "AUTH_REJECTED"));
  }

  @ParameterizedTest(name = "{0}, then the reconnect refused: {3}")
  @MethodSource("refusals")
  void aLostSessionWhoseReconnectOpenAiRefusesEndsTheCallWithBothReasons(String fault, UpgradeRefusal refusal,
      String lost, String refusedKind) {
    String callId = Fixtures.newCallId("OF");
    DoubleSession first = connect(callId, s -> {});
    int sessions = stack.openai.sessions().size();
    stack.openai.refuseNextUpgrades(1, refusal);

    if (fault.equals("silent")) {
      first.freeze();
    } else {
      first.closeWith(1011, "internal error");
    }

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("OPENAI_FAILED");
    assertThat(record.getString("outcome")).isEqualTo("FAILED");
    assertThat(record.getString("endDetail")).contains(lost)
        .contains("reconnecting failed: " + refusedKind + ": OpenAI refused the WebSocket upgrade with HTTP " + refusal.status());
    assertThat(stack.openai.refusedUpgrades()).last().isEqualTo(refusal);
    assertThat(stack.openai.sessions()).hasSize(sessions); // no session was opened after the refusal
    // the caller is told: the call ends at Meta too, and the media is released
    Await.until(WAIT, "terminate of " + callId, () -> stack.whatsapp.acceptedActions(callId).contains("terminate"));
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept", "terminate");
    assertReleased(callId);
  }

  @Test
  void anErrorAResponseDrawsCostsThatAnswerNotTheCall() {
    String callId = Fixtures.newCallId("OF");
    DoubleSession session = connect(callId, s -> s.enqueue(Turn.of()
        .error("server_error", "The server had an error while processing your request. Sorry about that!")
        .status("failed")));

    session.speechStarted();
    session.speechStopped();
    Await.until(WAIT, "the failed response", () -> session.sent("response.done").stream()
        .anyMatch(e -> e.getJsonObject("response").getString("status").equals("failed")));
    // the session and the call go on: the next turn is answered
    session.speechStarted();
    session.speechStopped();
    Await.until(WAIT, "the next answer", () -> session.sent("response.done").stream()
        .anyMatch(e -> e.getJsonObject("response").getString("status").equals("completed")));
    assertThat(session.isClosed()).isFalse();
    assertThat(stack.openai.sessions()).last().isSameAs(session);
    // the live call's record already names the error
    Await.until(WAIT, "the error in the live call's record", () -> liveErrors(callId).stream()
        .anyMatch(e -> e.startsWith("OpenAI Realtime: error server_error")));

    hangUpAsTheCaller(callId);
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(errors(record)).anySatisfy(e -> assertThat(e)
        .isEqualTo("OpenAI Realtime: error server_error: The server had an error while processing your request. Sorry about that!"));
    assertReleased(callId);
  }

  @Test
  void aFatalErrorEndsTheCallWithTheReasonAndIsNotRetried() {
    String callId = Fixtures.newCallId("OF");
    DoubleSession session = connect(callId, s -> s.enqueue(Turn.of().error("insufficient_quota",
        "You exceeded your current quota, please check your plan and billing details.")));
    int sessions = stack.openai.sessions().size();

    session.speechStarted();
    session.speechStopped();

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("OPENAI_FAILED");
    assertThat(record.getString("endDetail")).contains("SERVER_ERROR", "insufficient_quota", "You exceeded your current quota");
    assertThat(stack.openai.sessions()).hasSize(sessions); // a new session would be refused the same way
    Await.until(WAIT, "terminate of " + callId, () -> stack.whatsapp.acceptedActions(callId).contains("terminate"));
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept", "terminate");
    assertReleased(callId);
    Await.until(WAIT, "the session closed by the app", session::isClosed);
  }
}
