package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping wavoice ends its live calls through the normal end path (Meta is told, the record says
 * {@code SHUTDOWN}), and the records are still there after it starts again.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class ShutdownAndRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aShutdownEndsLiveCallsAndRecordsSurviveTheRestart(DoublesStack stack) {
    WebhookSender meta = stack.webhooks();
    AdminClient admin = stack.admin();
    String live = "wacid.SR" + UUID.randomUUID().toString().replace("-", "");
    String refused = "wacid.SR" + UUID.randomUUID().toString().replace("-", "");

    String blocked = Fixtures.editCalls(Fixtures.whatsappJson("webhook-connect-user-initiated.json"),
        c -> jakarta.json.Json.createObjectBuilder(c).add("id", refused).add("from", DoublesStack.BLOCKED_NUMBER).build()).toString();
    assertThat(meta.send(blocked).statusCode()).isEqualTo(200);
    assertThat(meta.send(Fixtures.withCallId("webhook-connect-user-initiated.json", live)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "the live call answered", () -> stack.whatsapp.acceptedActions(live).contains("accept"));
    Await.until(WAIT, "the blocked call refused", () -> stack.whatsapp.acceptedActions(refused).contains("reject"));

    stack.app.restart();

    // the live call was ended by the shutdown, through the end path: Meta got terminate
    assertThat(stack.whatsapp.acceptedActions(live)).containsExactly("pre_accept", "accept", "terminate");
    JsonObject liveRecord = record(admin, live);
    assertThat(liveRecord.getString("endReason")).isEqualTo("SHUTDOWN");
    assertThat(liveRecord.getString("outcome")).isEqualTo("COMPLETED");
    JsonObject refusedRecord = record(admin, refused);
    assertThat(refusedRecord.getString("endReason")).isEqualTo("BLOCKED_NUMBER");
    assertThat(refusedRecord.getString("outcome")).isEqualTo("REJECTED");
    Await.until(WAIT, "no pipeline left on Kurento", () -> stack.kms.pipelineTagged("wavoice.call-id", live).isEmpty());
  }

  @Test
  void aShutdownWhileMetaAnswersNothingStillEndsEveryCallThroughTheEndPath(DoublesStack stack) {
    WebhookSender meta = stack.webhooks();
    AdminClient admin = stack.admin();
    String live = "wacid.SH" + UUID.randomUUID().toString().replace("-", "");
    String settingUp = "wacid.SH" + UUID.randomUUID().toString().replace("-", "");
    try {
      assertThat(meta.send(Fixtures.withCallId("webhook-connect-user-initiated.json", live)).statusCode()).isEqualTo(200);
      Await.until(WAIT, "the live call answered", () -> stack.whatsapp.acceptedActions(live).contains("accept"));
      // the second call's pre_accept is held by Meta: it is still being set up
      stack.whatsapp.stall("calls/pre_accept");
      assertThat(meta.send(Fixtures.withCallId("webhook-connect-user-initiated.json", settingUp)).statusCode()).isEqualTo(200);
      Await.until(WAIT, "the pre_accept held", () -> stack.whatsapp.stalled("calls/pre_accept") == 1);
      assertThat(stack.kms.pipelineTagged("wavoice.call-id", settingUp)).isPresent();
      // and from now on Meta answers nothing at all
      stack.whatsapp.stall("calls/terminate");
      stack.whatsapp.stall("calls/reject");

      stack.app.restart();

      // each call went through the whole end path before the app stopped: released, Meta told (held), record
      // closed SHUTDOWN (a record left open would have been closed INTERRUPTED by the start's recovery)
      assertThat(stack.whatsapp.stalled("calls/terminate")).as("terminates Meta holds (a timed-out one is sent again)").isPositive();
      assertThat(stack.whatsapp.stalled("calls/reject")).as("rejects Meta holds").isPositive();
      for (String callId : new String[] {live, settingUp}) {
        JsonObject record = record(admin, callId);
        assertThat(record.getString("endReason")).as(callId).isEqualTo("SHUTDOWN");
        assertThat(record.getString("outcome")).as(callId).isEqualTo("COMPLETED");
        Await.until(WAIT, "no pipeline of " + callId + " left on Kurento",
            () -> stack.kms.pipelineTagged("wavoice.call-id", callId).isEmpty());
      }
      assertThat(record(admin, live).getJsonArray("errors").toString()).contains("graph calls/terminate");
      assertThat(record(admin, settingUp).getJsonArray("errors").toString()).contains("graph calls/reject");
    } finally {
      stack.whatsapp.release("calls/pre_accept");
      stack.whatsapp.release("calls/terminate");
      stack.whatsapp.release("calls/reject");
    }
  }

  private static JsonObject record(AdminClient admin, String callId) {
    HttpResponse<String> response = admin.get("/api/calls/" + callId);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Fixtures.parse(response.body());
  }
}
