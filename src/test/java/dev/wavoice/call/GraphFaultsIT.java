package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.MetaErrors;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Meta's Graph API failing on a call's path, through the real WAR with the doubles: a throttled (429 with
 * {@code Retry-After}) or failing (5xx) {@code pre_accept}/{@code accept} is retried and the call goes on;
 * a throttle longer than the call can wait ends it at once; a request Meta holds neither outlasts the
 * media deadline nor holds up the caller's hang-up. Whenever wavoice ends such a call it releases the
 * media before it tells Meta.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class GraphFaultsIT {

  /** Above the stack's media deadline ({@link DoublesStack#MEDIA_TIMEOUT_SECONDS}) with room for a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PRE_ACCEPT = "calls/pre_accept";
  private static final String ACCEPT = "calls/accept";

  private static DoublesStack stack;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
  }

  @AfterEach
  void releaseHeldRequestsAndLeaveNoCall() {
    stack.whatsapp.release(PRE_ACCEPT);
    stack.whatsapp.release(ACCEPT);
    stack.whatsapp.observeRequests(request -> {});
    stack.admin().awaitNoLiveCall(WAIT);
  }

  private static void send(String fixture, String callId) {
    assertThat(stack.webhooks().send(Fixtures.withCallId(fixture, callId)).statusCode()).isEqualTo(200);
  }

  private static List<GraphRequest> actions(String callId) {
    return stack.whatsapp.callActions(callId);
  }

  /**
   * Notes, for each request of {@code action} on the call that reaches Meta, whether the call's Kurento
   * pipeline was already gone by then (the end path releases first, then tells Meta).
   */
  private static List<Boolean> releasedBeforeMetaHears(String callId, String action) {
    List<Boolean> released = new CopyOnWriteArrayList<>();
    stack.whatsapp.observeRequests(request -> {
      if (request.body() != null && callId.equals(request.body().getString("call_id", null))
          && action.equals(request.action())) {
        released.add(stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
      }
    });
    return released;
  }

  @Test
  void aThrottledPreAcceptAndAFailingAcceptAreRetriedAndTheCallGoesOn() {
    String callId = Fixtures.newCallId("GF");
    stack.whatsapp.failNext(PRE_ACCEPT, 429, MetaErrors.error(130429, "OAuthException", "Rate limit hit", null),
        Map.of("Retry-After", "1"));
    stack.whatsapp.failNext(ACCEPT, 503, MetaErrors.error(2, "OAuthException", "Service temporarily unavailable", null));

    send("webhook-connect-user-initiated.json", callId);
    Await.until(WAIT, "the call accepted", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
    // pre_accept and accept are idempotent (the same SDP each time): sent again after Meta's wait, and taken
    assertThat(actions(callId)).extracting(r -> r.action() + " " + r.status())
        .containsExactly("pre_accept 429", "pre_accept 200", "accept 503", "accept 200");
    assertThat(actions(callId).get(1).body()).isEqualTo(actions(callId).get(0).body());

    send("webhook-terminate-completed.json", callId);
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getString("outcome")).isEqualTo("COMPLETED");
    Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
  }

  @Test
  void aHangUpWhileWaitingOutMetasRetryAfterMeansNoRetry() {
    String callId = Fixtures.newCallId("GF");
    long givenUpBefore = appLogCount("the answer is no longer needed; not retried");
    stack.whatsapp.failNext(PRE_ACCEPT, 503, MetaErrors.error(2, "OAuthException", "Service temporarily unavailable", null),
        Map.of("Retry-After", "3"));

    send("webhook-connect-user-initiated.json", callId);
    Await.until(WAIT, "Meta's 503 to the pre_accept", () -> !actions(callId).isEmpty());
    send("webhook-terminate-completed.json", callId);

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
    // after Meta's wait the retry is dropped: it would reach Meta on a call the app knows has ended
    Await.until(WAIT, "the retry given up", () -> appLogCount("the answer is no longer needed; not retried") > givenUpBefore);
    assertThat(actions(callId)).extracting(r -> r.action() + " " + r.status()).containsExactly("pre_accept 503");
  }

  private static long appLogCount(String text) {
    try {
      String log = java.nio.file.Files.readString(stack.app.log());
      return log.split(java.util.regex.Pattern.quote(text), -1).length - 1;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aThrottleLongerThanTheCallCanWaitEndsItAtOnceReleasedBeforeMetaIsToldReject() {
    String callId = Fixtures.newCallId("GF");
    stack.whatsapp.failNext(PRE_ACCEPT, 429, MetaErrors.error(130429, "OAuthException", "Rate limit hit", null),
        Map.of("Retry-After", "60"));
    List<Boolean> released = releasedBeforeMetaHears(callId, "reject");

    send("webhook-connect-user-initiated.json", callId);

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("GRAPH_ERROR");
    assertThat(record.getString("endDetail")).contains("Rate limit hit");
    assertThat(record.getJsonArray("errors").toString()).contains("graph calls/pre_accept", "130429");
    // no retry after a wait that does not fit the media deadline; the call is refused with reject
    Await.until(WAIT, "reject of " + callId, () -> stack.whatsapp.acceptedActions(callId).contains("reject"));
    assertThat(actions(callId)).extracting(r -> r.action() + " " + r.status()).containsExactly("pre_accept 429", "reject 200");
    assertThat(released).containsExactly(true);
  }

  @Test
  void aPreAcceptMetaHoldsEndsTheCallByTheMediaDeadlineReleasedBeforeMetaIsToldReject() {
    String callId = Fixtures.newCallId("GF");
    int sessionsBefore = stack.openai.sessions().size();
    stack.whatsapp.stall(PRE_ACCEPT);
    List<Boolean> released = releasedBeforeMetaHears(callId, "reject");

    send("webhook-connect-user-initiated.json", callId);
    Await.until(WAIT, "the pre_accept of " + callId + " held by Meta", () -> stack.whatsapp.stalled(PRE_ACCEPT) > 0);
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);

    // Meta never answers: the call ends by its media deadline, whichever comes first of the deadline itself
    // and the last attempt (its timeout cut to what is left of the deadline) giving up
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isIn("MEDIA_TIMEOUT", "GRAPH_ERROR");
    assertThat(record.getString("outcome")).isIn("REJECTED", "FAILED");
    assertThat(CallFlowIT.timeline(record)).doesNotContainKeys("pre_accept_sent", "accept_sent");
    Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
    Await.until(WAIT, "OpenAI session closed", session::isClosed);
    // while Meta still holds the pre_accept(s), the call is refused: after its release
    Await.until(WAIT, "reject of " + callId, () -> stack.whatsapp.acceptedActions(callId).contains("reject"));
    assertThat(stack.whatsapp.stalled(PRE_ACCEPT)).isPositive();
    assertThat(released).containsExactly(true);

    // Meta's late answers change nothing: no accept ever
    stack.whatsapp.release(PRE_ACCEPT);
    Await.until(WAIT, "no request held", () -> stack.whatsapp.stalled(PRE_ACCEPT) == 0);
    assertThat(actions(callId)).extracting(GraphRequest::action).doesNotContain("accept", "terminate");
  }

  @Test
  void anAcceptMetaHoldsDoesNotHoldUpTheCallersHangUp() {
    String callId = Fixtures.newCallId("GF");
    int sessionsBefore = stack.openai.sessions().size();
    stack.whatsapp.stall(ACCEPT);

    send("webhook-connect-user-initiated.json", callId);
    Await.until(WAIT, "the accept of " + callId + " held by Meta", () -> stack.whatsapp.stalled(ACCEPT) > 0);
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);

    send("webhook-terminate-completed.json", callId);

    // ended and released while Meta still holds the accept; Meta ended the call, so it is told nothing
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
    Await.until(WAIT, "OpenAI session closed", session::isClosed);
    assertThat(stack.whatsapp.stalled(ACCEPT)).as("the accept still with Meta").isPositive();

    // Meta's late answer (the accept reached Meta before the hang-up: no fault of the app's) starts nothing
    stack.whatsapp.release(ACCEPT);
    Await.until(WAIT, "no request held", () -> stack.whatsapp.stalled(ACCEPT) == 0);
    assertThat(actions(callId)).extracting(GraphRequest::action).doesNotContain("terminate", "reject");
    assertThat(stack.admin().endedRecord(callId, WAIT).getString("endReason")).isEqualTo("REMOTE_TERMINATE");
  }
}
