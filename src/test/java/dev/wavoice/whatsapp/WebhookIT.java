package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Probe;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook of the real WAR on Payara Micro, driven like Meta drives it, observed through the test probe. */
@Tag("doubles")
@ExtendWith(Stacks.class)
class WebhookIT {

  private static DoublesStack stack;
  private static WebhookSender meta;
  private static Probe probe;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
    meta = doubles.webhooks();
    probe = doubles.probe();
  }

  private static String newCallId() {
    return "wacid.IT" + UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * A connect from a number the stack blocks: these tests are about the webhook's dispatch, so the call
   * layer refuses their calls at once instead of keeping them up.
   */
  private static String connect(String callId) {
    return Fixtures.editCalls(Fixtures.whatsappJson("webhook-connect-user-initiated.json"),
        c -> Json.createObjectBuilder(c).add("id", callId).add("from", DoublesStack.BLOCKED_NUMBER).build()).toString();
  }

  @Test
  void verificationEchoesTheChallengeOnlyForTheRightToken() {
    HttpResponse<String> ok = meta.verify("subscribe", DoublesStack.VERIFY_TOKEN, "1158863600");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("1158863600");
    assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));

    assertThat(meta.verify("subscribe", "wrong-token", "1158863600").statusCode()).isEqualTo(403);
    assertThat(meta.verify("unsubscribe", DoublesStack.VERIFY_TOKEN, "1158863600").statusCode()).isEqualTo(403);
    assertThat(meta.verify("subscribe", null, "1158863600").statusCode()).isEqualTo(403);
  }

  @Test
  void aSignedConnectReachesTheObserverAsRecordsWithTheSdpIntact() {
    String callId = newCallId();
    HttpResponse<String> response = meta.send(connect(callId));
    assertThat(response.statusCode()).isEqualTo(200);

    JsonObject event = probe.awaitEvent("connect " + callId, e -> e.getString("kind").equals("call")
        && callId.equals(e.getJsonObject("event").getJsonObject("call").getString("id")));
    JsonObject call = event.getJsonObject("event").getJsonObject("call");
    JsonObject source = event.getJsonObject("event").getJsonObject("source");
    JsonObject fixtureCall = Fixtures.whatsappJson("webhook-connect-user-initiated.json")
        .getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
        .getJsonObject("value").getJsonArray("calls").getJsonObject(0);

    assertThat(call.getString("event")).isEqualTo("connect");
    assertThat(call.getString("from")).isEqualTo(DoublesStack.BLOCKED_NUMBER);
    assertThat(call.getString("to")).isEqualTo("13175551399");
    assertThat(call.getString("timestamp")).isEqualTo("1764064800");
    assertThat(call.getString("direction")).isEqualTo("USER_INITIATED");
    assertThat(call.getJsonObject("session").getString("sdp_type")).isEqualTo("offer");
    assertThat(call.getJsonObject("session").getString("sdp"))
        .isEqualTo(fixtureCall.getJsonObject("session").getString("sdp"))
        .contains("\r\na=ice-lite\r\n");
    assertThat(source.getString("waba_id")).isEqualTo("366634483210360");
    assertThat(source.getString("phone_number_id")).isEqualTo(DoublesStack.PHONE_NUMBER_ID);
    assertThat(source.getJsonArray("contacts").getJsonObject(0).getString("wa_id")).isEqualTo("13175550000");
    assertThat(source.getJsonArray("contacts").getJsonObject(0).getJsonObject("profile").getString("name")).isEqualTo("Test Caller");
  }

  @Test
  void aNumericTimestampIsReadLikeAString() {
    String callId = newCallId();
    String body = Fixtures.editCalls(Fixtures.parse(connect(callId)),
        c -> Json.createObjectBuilder(c).add("timestamp", 1764064800L).build()).toString();
    assertThat(meta.send(body).statusCode()).isEqualTo(200);
    JsonObject event = probe.awaitEvent("connect " + callId, e -> !probe.callEvents(callId).isEmpty());
    assertThat(probe.callEvents(callId).get(0).getJsonObject("call").getString("timestamp")).isEqualTo("1764064800");
    assertThat(event).isNotNull();
  }

  @Test
  void forgedOversizedAndMalformedDeliveriesAreRefusedAndDispatchNothing() {
    String unsigned = newCallId();
    String badSignature = newCallId();
    String wrongSecret = newCallId();
    String oversized = newCallId();
    String valid = newCallId();

    byte[] body = Fixtures.utf8(connect(unsigned));
    assertThat(meta.sendWithSignature(body, null).statusCode()).isEqualTo(401);

    body = Fixtures.utf8(connect(badSignature));
    assertThat(meta.sendWithSignature(body, "sha256=" + "ab".repeat(32)).statusCode()).isEqualTo(401);
    assertThat(meta.sendWithSignature(body, "sha1=" + "ab".repeat(20)).statusCode()).isEqualTo(401);
    assertThat(meta.sendWithSignature(body, "sha256=not-hex").statusCode()).isEqualTo(401);

    body = Fixtures.utf8(connect(wrongSecret));
    assertThat(meta.sendWithSignature(body, WebhookSender.signature("some-other-app-secret", body)).statusCode()).isEqualTo(401);

    // signed correctly, but over the configured limit (64 KiB in this stack)
    JsonObject big = Fixtures.editCalls(Fixtures.parse(connect(oversized)),
        c -> Json.createObjectBuilder(c).add("padding", "x".repeat(70_000)).build());
    body = Fixtures.utf8(big.toString());
    assertThat(meta.sendWithSignature(body, WebhookSender.signature(DoublesStack.APP_SECRET, body)).statusCode()).isEqualTo(413);

    // signed correctly, but not JSON
    String truncated = connect(newCallId());
    body = Fixtures.utf8(truncated.substring(0, truncated.length() / 2));
    assertThat(meta.sendWithSignature(body, WebhookSender.signature(DoublesStack.APP_SECRET, body)).statusCode()).isEqualTo(400);

    assertThat(meta.send(connect(valid)).statusCode()).isEqualTo(200);
    probe.awaitEvent("the valid connect", e -> !probe.callEvents(valid).isEmpty());

    List<String> refused = List.of(unsigned, badSignature, wrongSecret, oversized);
    assertThat(probe.events()).noneMatch(e -> e.toString().contains(refused.get(0)) || e.toString().contains(refused.get(1))
        || e.toString().contains(refused.get(2)) || e.toString().contains(refused.get(3)));
    assertThat(probe.callEvents(valid)).hasSize(1);
  }

  @Test
  void aDuplicateDeliveryIsDispatchedOnce() {
    String callId = newCallId();
    assertThat(meta.send(connect(callId)).statusCode()).isEqualTo(200);
    assertThat(meta.send(connect(callId)).statusCode()).isEqualTo(200);
    String sentinel = newCallId();
    assertThat(meta.send(connect(sentinel)).statusCode()).isEqualTo(200);
    probe.awaitEvent("sentinel", e -> !probe.callEvents(sentinel).isEmpty() && !probe.callEvents(callId).isEmpty());
    assertThat(probe.callEvents(callId)).hasSize(1);

    // a terminate for the same call id is a different event and is dispatched
    String terminate = Fixtures.withCallId("webhook-terminate-completed.json", callId);
    assertThat(meta.send(terminate).statusCode()).isEqualTo(200);
    probe.awaitEvent("terminate", e -> probe.callEvents(callId).size() == 2);
  }

  @Test
  void aFailedTerminateWithErrorsParses() {
    String callId = newCallId();
    assertThat(meta.send(Fixtures.withCallId("webhook-terminate-failed-138021.json", callId)).statusCode()).isEqualTo(200);
    probe.awaitEvent("terminate " + callId, e -> !probe.callEvents(callId).isEmpty());
    JsonObject call = probe.callEvents(callId).get(0).getJsonObject("call");
    assertThat(call.getString("event")).isEqualTo("terminate");
    assertThat(call.getString("status")).isEqualTo("FAILED");
    assertThat(call.getJsonArray("errors").getJsonObject(0).getJsonNumber("code").longValue()).isEqualTo(138021);
    assertThat(call.getJsonArray("errors").getJsonObject(0).getJsonObject("error_data").getString("details"))
        .contains("not receiving any media");
    assertThat(call.getJsonNumber("duration").longValue()).isEqualTo(20);
    assertThat(call.getString("start_time")).isNotBlank();
    assertThat(call.getString("end_time")).isNotBlank();
  }

  @Test
  void aCompletedTerminateCarriesTimesAndDuration() {
    String callId = newCallId();
    assertThat(meta.send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    probe.awaitEvent("terminate " + callId, e -> !probe.callEvents(callId).isEmpty());
    JsonObject call = probe.callEvents(callId).get(0).getJsonObject("call");
    JsonObject fixture = Fixtures.whatsappJson("webhook-terminate-completed.json").getJsonArray("entry").getJsonObject(0)
        .getJsonArray("changes").getJsonObject(0).getJsonObject("value").getJsonArray("calls").getJsonObject(0);
    assertThat(call.getString("status")).isEqualTo(fixture.getString("status"));
    assertThat(call.getJsonNumber("duration").longValue()).isEqualTo(fixture.getJsonNumber("duration").longValue());
    assertThat(call.getString("start_time")).isEqualTo(fixture.get("start_time").toString().replace("\"", ""));
  }

  @Test
  void aStatusUpdateParses() {
    String callId = newCallId();
    assertThat(meta.send(Fixtures.withCallId("webhook-status-ringing.json", callId)).statusCode()).isEqualTo(200);
    JsonObject event = probe.awaitEvent("status " + callId, e -> e.getString("kind").equals("status")
        && callId.equals(e.getJsonObject("event").getJsonObject("status").getString("id")));
    JsonObject status = event.getJsonObject("event").getJsonObject("status");
    assertThat(status.getString("status")).isEqualTo("RINGING");
    assertThat(status.getString("recipient_id")).isEqualTo("13175550000");
    assertThat(status.getString("biz_opaque_callback_data")).isEqualTo("outbound-42");
  }

  @Test
  void otherFieldsAreAcceptedAndOnlyPermissionRepliesAreDispatched() {
    String messageId = "wamid.IT" + UUID.randomUUID();
    JsonObject reply = Fixtures.whatsappJson("webhook-call-permission-reply.json");
    String replyBody = reply.toString().replace("wamid.HBgLMTMxNzU1NTAwMDAVAgASGBRBRkI=", messageId);
    assertThat(meta.send(replyBody).statusCode()).isEqualTo(200);
    JsonObject event = probe.awaitEvent("permission reply", e -> e.getString("kind").equals("permission_reply")
        && messageId.equals(e.getJsonObject("event").getJsonObject("message").getString("id")));
    assertThat(event.getJsonObject("event").getJsonObject("message").getJsonObject("interactive")
        .getJsonObject("call_permission_reply").getString("response")).isEqualTo("accept");

    String textId = "wamid.IT" + UUID.randomUUID();
    JsonObject message = reply.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
        .getJsonObject("value").getJsonArray("messages").getJsonObject(0);
    JsonObject textMessage = Json.createObjectBuilder(message).add("id", textId).add("type", "text")
        .add("text", Json.createObjectBuilder().add("body", "hello")).remove("interactive").build();
    String text = replyBody.replace(message.toString().replace("wamid.HBgLMTMxNzU1NTAwMDAVAgASGBRBRkI=", messageId), textMessage.toString());
    assertThat(text).contains(textId).doesNotContain("call_permission_reply");
    assertThat(meta.send(text).statusCode()).isEqualTo(200);
    String statusField = Fixtures.whatsappJson("webhook-status-ringing.json").toString().replace("\"field\":\"calls\"", "\"field\":\"account_update\"");
    assertThat(meta.send(statusField).statusCode()).isEqualTo(200);
    String sentinel = newCallId();
    meta.send(connect(sentinel));
    probe.awaitEvent("sentinel", e -> !probe.callEvents(sentinel).isEmpty());
    assertThat(probe.events()).noneMatch(e -> e.toString().contains(textId));
  }

  @Test
  void noBodyOfAnyShapeGivesAServerError() {
    List<String> bodies = List.of("", "null", "[]", "\"text\"", "42", "{}", "{\"entry\":\"x\"}", "{\"entry\":[null]}",
        "{\"entry\":[{\"changes\":[{\"field\":\"calls\",\"value\":{\"calls\":[{\"timestamp\":{\"a\":1}}]}}]}]}",
        "{\"entry\":[{\"changes\":[{\"field\":\"calls\",\"value\":{\"calls\":[null,{\"event\":\"connect\"}]}}]}]}",
        "{\"entry\":[{\"changes\":[{\"field\":\"calls\",\"value\":{\"calls\":\"nope\"}}]}]}",
        "{\"object\":1,\"entry\":[{\"changes\":[{\"field\":7,\"value\":[]}]}]}",
        "\u0000\u00ff\u00fe", "{\"entry\":[{\"changes\":[{\"field\":\"calls\",\"value\":{\"calls\":[{\"id\":\"wacid.x\",\"duration\":\"long\"}]}}]}]}");
    for (String body : bodies) {
      byte[] raw = body.getBytes(StandardCharsets.UTF_8);
      int status = meta.sendWithSignature(raw, WebhookSender.signature(DoublesStack.APP_SECRET, raw)).statusCode();
      assertThat(status).as("signed body %s", body).isIn(200, 400);
    }
    for (String contentType : List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=bogus")) {
      byte[] raw = Fixtures.utf8(connect(newCallId()));
      HttpResponse<String> response = stack.app.send(HttpRequest.newBuilder(URI.create(stack.app.baseUrl() + "/webhook"))
          .header("Content-Type", contentType)
          .header("X-Hub-Signature-256", WebhookSender.signature(DoublesStack.APP_SECRET, raw))
          .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
      assertThat(response.statusCode()).as("content type %s", contentType).isIn(200, 400, 415);
    }
  }

  @Test
  void readinessIsUpWhenConfigured() {
    HttpResponse<String> ready = stack.app.get("/health/ready");
    assertThat(ready.body()).contains("\"config\"");
    assertThat(Fixtures.parse(ready.body()).getJsonArray("checks").stream()
        .map(c -> c.asJsonObject()).filter(c -> c.getString("name").equals("config")).findFirst().orElseThrow()
        .getString("status")).isEqualTo("UP");
  }
}
