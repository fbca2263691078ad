package dev.wavoice.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Fixtures;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * What Meta sends about a business-initiated call, in the fixtures' shapes, signed: the call's
 * {@code statuses} (RINGING, ACCEPTED, REJECTED), the {@code connect} with the user's SDP answer
 * ({@code direction} BUSINESS_INITIATED, {@code sdp_type} answer) and the user's {@code terminate}.
 */
public final class OutgoingCallWebhooks {

  private static final String FIXTURE_CALL_ID = "wacid.HBgLMTMxNzU1NTAwMDAVAgARGBQzQUZB";

  private final WebhookSender meta;
  private final String callbackData;

  public OutgoingCallWebhooks(WebhookSender meta, String callbackData) {
    this.meta = meta;
    this.callbackData = callbackData;
  }

  public void status(String callId, String user, String status) {
    String webhook = Fixtures.whatsapp("webhook-status-ringing.json").replace(FIXTURE_CALL_ID, callId)
        .replace("\"RINGING\"", "\"" + status + "\"").replace("\"13175550000\"", "\"" + user + "\"")
        .replace("\"outbound-42\"", "\"" + callbackData + "\"");
    assertThat(meta.send(webhook).statusCode()).isEqualTo(200);
  }

  public void answer(String callId, String user, String sdpAnswer) {
    answerEditing(callId, user, fixtureSdp -> sdpAnswer);
  }

  /** Meta's {@code connect} with the fixture's SDP answer, as {@code edit} changes it. */
  public void answerEditing(String callId, String user, UnaryOperator<String> edit) {
    JsonObject webhook = Fixtures.editCalls(Fixtures.whatsappJson("webhook-connect-business-initiated-answer.json"), c -> {
      JsonObject session = c.getJsonObject("session");
      return Json.createObjectBuilder(c).add("id", callId).add("to", user)
          .add("session", Json.createObjectBuilder(session).add("sdp", edit.apply(session.getString("sdp"))))
          .build();
    });
    assertThat(meta.send(webhook.toString()).statusCode()).isEqualTo(200);
  }

  public void userHangsUp(String callId, String user) {
    JsonObject webhook = Fixtures.editCalls(Fixtures.whatsappJson("webhook-terminate-completed.json"), c ->
        Json.createObjectBuilder(c).add("id", callId).add("from", "13175551399").add("to", user)
            .add("direction", "BUSINESS_INITIATED").build());
    assertThat(meta.send(webhook.toString()).statusCode()).isEqualTo(200);
  }
}
