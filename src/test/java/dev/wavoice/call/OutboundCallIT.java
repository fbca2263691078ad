package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.MetaErrors;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * a declined request places none; Meta's limits come back as clear errors.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class OutboundCallIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static DoublesStack stack;
  private static WhatsAppCloudDouble meta;
  private static AdminClient admin;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
    meta = doubles.whatsapp;
    admin = doubles.admin();
  }

  @BeforeEach
  void everythingRight() {
    meta.healthy();
    Await.until(WAIT, "ready", () -> stack.app.get("/health/ready").statusCode() == 200);
  }

  @AfterEach
  void leaveItRight() {
    meta.healthy();
  }

  private static String newUser() {
    return "4915" + (100_000_000 + ThreadLocalRandom.current().nextInt(900_000_000));
  }

  private static HttpResponse<String> dial(String user) {
    return admin.post("/api/calls", "{\"to\":\"+" + user + "\",\"bizOpaqueCallbackData\":\"it-outbound\"}");
  }

  private static JsonObject request(String id) {
    HttpResponse<String> response = admin.get("/api/calls/requests/" + id);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Fixtures.parse(response.body());
  }

  private static long connectsTo(String user) {
    return meta.requests("calls/connect").stream().filter(r -> user.equals(r.body().getString("to", null))).count();
  }

  private static void hangUp(String callId) {
    assertThat(admin.post("/api/calls/" + callId + "/hangup", null).statusCode()).isEqualTo(202);
    Await.until(WAIT, "the call " + callId + " to end", () ->
        !admin.call(callId).getString("outcome").equals("IN_PROGRESS"));
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
    assertThat(admin.call(callId).getString("direction")).isEqualTo("OUTBOUND");
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
    assertThat(admin.post("/api/calls", "{\"to\":\"abc\"}").statusCode()).isEqualTo(400);
    assertThat(admin.post("/api/calls", "{\"to\":\"4915112345678\",\"bizOpaqueCallbackData\":\"" + "x".repeat(513) + "\"}")
        .statusCode()).isEqualTo(400);
    assertThat(admin.get("/api/calls/requests/req-unknown").statusCode()).isEqualTo(404);
  }
}
