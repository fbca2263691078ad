package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.WireJson;
import dev.wavoice.testkit.Fixtures;
import jakarta.json.bind.Jsonb;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON-B mapping of Meta's webhook bodies into records (the same Yasson the server uses). */
class WebhookPayloadTest {

  private final Jsonb jsonb = WireJson.create();

  @Test
  void connectFixtureMapsToRecords() {
    WebhookPayload payload = jsonb.fromJson(Fixtures.whatsapp("webhook-connect-user-initiated.json"), WebhookPayload.class);
    WebhookPayload.Value value = payload.entry().get(0).changes().get(0).value();
    WebhookCall call = value.calls().get(0);
    assertThat(call.isConnect()).isTrue();
    assertThat(call.timestamp()).isEqualTo("1764064800");
    assertThat(call.session().sdpType()).isEqualTo("offer");
    assertThat(call.session().sdp()).startsWith("v=0\r\n").contains("a=ice-lite");
    assertThat(value.metadata().phoneNumberId()).isEqualTo("436666719526789");
    assertThat(value.contacts().get(0).name()).isEqualTo("Test Caller");
  }

  @Test
  void aTerminateFor138021CarriesItsErrorsInTheCallAndAtValueLevel() {
    WebhookPayload payload = jsonb.fromJson(Fixtures.whatsapp("webhook-terminate-failed-138021.json"), WebhookPayload.class);
    WebhookPayload.Value value = payload.entry().get(0).changes().get(0).value();
    WebhookCall call = value.calls().get(0);
    assertThat(call.isTerminate()).isTrue();
    assertThat(call.status()).isEqualTo("FAILED");
    assertThat(call.duration()).isEqualTo(20L);
    for (WebhookError error : List.of(call.errors().get(0), value.errors().get(0))) {
      assertThat(error.code()).isEqualTo(138021L);
      assertThat(error.details()).isEqualTo("WhatsApp client terminated the call due to not receiving any media for a long time.");
      assertThat(error.describe()).startsWith("138021 WhatsApp client terminated the call").contains("(WhatsApp client terminated");
    }
    assertThat(value.contacts().get(0).waId()).isEqualTo(call.from());
  }

  @Test
  void timestampsMayBeNumbersAndStatusMayBeAList() {
    String json = "{\"entry\":[{\"changes\":[{\"field\":\"calls\",\"value\":{\"calls\":[{\"id\":\"wacid.1\","
        + "\"event\":\"terminate\",\"timestamp\":1764064800,\"status\":[\"Failed\",\"Completed\"],"
        + "\"start_time\":1671644824,\"end_time\":\"1671644944\",\"duration\":480,\"unknown\":{\"x\":1}}]}}]}]}";
    WebhookCall call = jsonb.fromJson(json, WebhookPayload.class).entry().get(0).changes().get(0).value().calls().get(0);
    assertThat(call.timestamp()).isEqualTo("1764064800");
    assertThat(call.status()).isEqualTo("Failed,Completed");
    assertThat(call.startTime()).isEqualTo("1671644824");
    assertThat(call.endTime()).isEqualTo("1671644944");
    assertThat(call.duration()).isEqualTo(480L);
  }

  @Test
  void wrongShapesAreErrorsNotNulls() {
    assertThatThrownBy(() -> jsonb.fromJson("{\"entry\":\"x\"}", WebhookPayload.class)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> jsonb.fromJson("{\"entry\":[{\"changes\":", WebhookPayload.class)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void permissionReplyMapsToRecords() {
    WebhookPayload payload = jsonb.fromJson(Fixtures.whatsapp("webhook-call-permission-reply.json"), WebhookPayload.class);
    WebhookPayload.Change change = payload.entry().get(0).changes().get(0);
    assertThat(change.field()).isEqualTo("messages");
    InboundMessage message = change.value().messages().get(0);
    assertThat(message.isCallPermissionReply()).isTrue();
    assertThat(message.interactive().callPermissionReply().accepted()).isTrue();
    assertThat(message.interactive().callPermissionReply().expirationTimestamp()).isEqualTo("1764669790");
    assertThat(message.context().id()).isEqualTo("wamid.HBgLMTMxNzU1NTAwMDAVAgARGBJBRkE=");
  }
}
