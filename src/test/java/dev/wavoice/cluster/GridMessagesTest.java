package dev.wavoice.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.WireJson;
import dev.wavoice.call.CallView;
import dev.wavoice.cluster.GridMessages.HandOff;
import dev.wavoice.cluster.GridMessages.LiveCall;
import dev.wavoice.cluster.GridMessages.Relayed;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.whatsapp.CallPermissionReplyReceived;
import dev.wavoice.whatsapp.CallStatusReceived;
import dev.wavoice.whatsapp.CallWebhookReceived;
import dev.wavoice.whatsapp.WebhookPayload;
import dev.wavoice.whatsapp.WebhookSource;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What one member hands another arrives as it was sent: Meta's webhook events and the grid's own records. */
class GridMessagesTest {

  private static WebhookPayload.Value value(String fixture) {
    WebhookPayload payload = WireJson.create().fromJson(Fixtures.whatsapp(fixture), WebhookPayload.class);
    return payload.entry().get(0).changes().get(0).value();
  }

  private static WebhookSource source(WebhookPayload.Value value) {
    return new WebhookSource("waba", value.metadata().phoneNumberId(), value.metadata().displayPhoneNumber(),
        value.contacts(), value.errors());
  }

  @Test
  void callEventsOfEveryKindRoundTrip() {
    for (String fixture : new String[] {"webhook-connect-user-initiated.json", "webhook-terminate-completed.json",
        "webhook-terminate-failed-138021.json", "webhook-connect-business-initiated-answer.json"}) {
      WebhookPayload.Value value = value(fixture);
      CallWebhookReceived event = new CallWebhookReceived(source(value), value.calls().get(0), Instant.parse("2026-12-06T07:00:00.123Z"));
      assertThat(GridMessages.read(GridMessages.json(event), CallWebhookReceived.class)).as(fixture).isEqualTo(event);
    }
  }

  @Test
  void statusesAndPermissionRepliesRoundTrip() {
    WebhookPayload.Value status = value("webhook-status-ringing.json");
    CallStatusReceived ringing = new CallStatusReceived(source(status), status.statuses().get(0));
    assertThat(GridMessages.read(GridMessages.json(ringing), CallStatusReceived.class)).isEqualTo(ringing);

    WebhookPayload.Value reply = value("webhook-call-permission-reply.json");
    CallPermissionReplyReceived accepted = new CallPermissionReplyReceived(source(reply), reply.messages().get(0));
    CallPermissionReplyReceived read = GridMessages.read(GridMessages.json(accepted), CallPermissionReplyReceived.class);
    assertThat(read).isEqualTo(accepted);
    assertThat(read.reply().accepted()).isEqualTo(accepted.reply().accepted());
  }

  @Test
  void theGridsOwnRecordsRoundTrip() {
    CallView view = new CallView("wacid.1", "whatsapp", "INBOUND", "BRIDGED", "15551230000", null, "Ana", "pcmu",
        Instant.parse("2026-12-06T07:00:00Z"), Instant.parse("2026-12-06T07:00:01Z"), 4200);
    LiveCall call = new LiveCall("member-a", "host-a", view);
    assertThat(GridMessages.read(GridMessages.json(call), LiveCall.class)).isEqualTo(call);
    HandOff hangUp = new HandOff("member-b", "member-a", "hangup", "wacid.1", null);
    assertThat(GridMessages.read(GridMessages.json(hangUp), HandOff.class)).isEqualTo(hangUp);
    Relayed line = new Relayed("member-a", "wacid.1", "transcript", null, "caller", Instant.parse("2026-12-06T07:00:02Z"), "hello", false);
    assertThat(GridMessages.read(GridMessages.json(line), Relayed.class)).isEqualTo(line);
  }
}
