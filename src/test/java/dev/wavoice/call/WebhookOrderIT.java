package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Meta's webhooks in the orders they really come in, through the real WAR with the doubles: a terminate
 * that arrives while the connect is being set up (a {@code pre_accept} Meta holds unanswered: the call
 * ends and is released at once, not when Meta answers) or before the connect itself ends the call with
 * nothing more sent to Meta.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class WebhookOrderIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PRE_ACCEPT = "calls/pre_accept";

  private static DoublesStack stack;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
  }

  @AfterEach
  void noProtocolViolationsAndNoCallLeftBehind() {
    stack.whatsapp.release(PRE_ACCEPT);
    stack.openai.assertNoViolations();
    stack.admin().awaitNoLiveCall(WAIT);
  }

  private static int send(String fixture, String callId) {
    return stack.webhooks().send(Fixtures.withCallId(fixture, callId)).statusCode();
  }

  private static List<String> graphActions(String callId) {
    return stack.whatsapp.callActions(callId).stream().map(GraphRequest::action).toList();
  }

  private static boolean appLogSays(String text) {
    try {
      return Files.readString(stack.app.log()).contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aTerminateWhileMetaHoldsThePreAcceptEndsAndReleasesTheCallAtOnceAndNoAcceptEverFollows() {
    String callId = Fixtures.newCallId("WO");
    int sessionsBefore = stack.openai.sessions().size();
    stack.whatsapp.stall(PRE_ACCEPT);

    assertThat(send("webhook-connect-user-initiated.json", callId)).isEqualTo(200);
    // media and OpenAI are set up, and the app waits on Meta's answer to its pre_accept
    Await.until(WAIT, "the pre_accept of " + callId + " held by Meta", () -> stack.whatsapp.stalled(PRE_ACCEPT) > 0);
    assertThat(stack.kms.pipelineTagged("wavoice.call-id", callId)).isPresent();
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);

    assertThat(send("webhook-terminate-completed.json", callId)).isEqualTo(200);

    // ended and released while Meta still holds the pre_accept
    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
    Await.until(WAIT, "OpenAI session closed", session::isClosed);
    assertThat(stack.admin().get("/api/calls").body()).doesNotContain(callId);
    assertThat(stack.whatsapp.stalled(PRE_ACCEPT)).as("the pre_accept still with Meta").isPositive();

    // a second terminate (another delivery, with Meta's error) changes nothing
    assertThat(send("webhook-terminate-failed-138021.json", callId)).isEqualTo(200);
    stack.whatsapp.release(PRE_ACCEPT);
    Await.until(WAIT, "Meta's answer to the pre_accept", () -> graphActions(callId).contains("pre_accept"));
    Await.until(WAIT, "no request held", () -> stack.whatsapp.stalled(PRE_ACCEPT) == 0);

    // Meta's terminate ended it: no accept after the late pre_accept answer, and no reject either
    assertThat(graphActions(callId)).doesNotContain("accept", "reject");
    JsonObject after = stack.admin().endedRecord(callId, WAIT);
    assertThat(after.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(after.containsKey("mediaAtAccept")).isFalse(); // never accepted
    assertThat(CallFlowIT.timeline(after)).containsKey("end").doesNotContainKeys("pre_accept_sent", "accept_sent");
  }

  @Test
  void aConnectDeliveredAfterItsTerminateStartsNothing() {
    String callId = Fixtures.newCallId("WO");
    int sessionsBefore = stack.openai.sessions().size();

    assertThat(send("webhook-terminate-completed.json", callId)).isEqualTo(200);
    Await.until(WAIT, "the terminate of " + callId + " handled", () ->
        appLogSays("terminate for call " + callId + ", which is not live here"));
    assertThat(send("webhook-connect-user-initiated.json", callId)).isEqualTo(200);

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getString("endDetail")).contains("before the connect");
    assertThat(CallFlowIT.timeline(record)).doesNotContainKeys("pre_accept_sent", "media_connected", "accept_sent");
    // nothing started: no Graph request, no Kurento pipeline, no OpenAI session
    assertThat(graphActions(callId)).isEmpty();
    assertThat(stack.kms.requests()).as("Kurento requests naming the call (its pipeline's tag)")
        .noneMatch(r -> r.toString().contains(callId));
    assertThat(stack.openai.sessions()).hasSize(sessionsBefore);
    assertThat(stack.admin().get("/api/calls").body()).doesNotContain(callId);
  }
}
