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

  private static JsonObject record(AdminClient admin, String callId) {
    HttpResponse<String> response = admin.get("/api/calls/" + callId);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Fixtures.parse(response.body());
  }
}
