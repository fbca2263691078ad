package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.CallId;
import dev.wavoice.WireJson;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.MetaErrors;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import dev.wavoice.whatsapp.CallPermissionReplyReceived;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphSettings;
import dev.wavoice.whatsapp.WebhookPayload;
import dev.wavoice.whatsapp.WebhookSource;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Business-initiated calls against the strict WhatsApp double: permission read first; without it the
 * permission request, then the call when the user's reply accepts; a declined or unanswered request
 * places no call; Meta's limits come back as clear errors. The dialer places the call with the real
 * Graph {@code connect}.
 */
class PermissionFirstDialerTest {

  static final String TOKEN = "outbound-access-token-5e0a";
  static final String PHONE = "436666719526789";
  static final String USER = "13175550000";
  static final String TEXT = "May we call you about your order?";
  static final String OFFER = String.join("\r\n",
      "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE audio",
      "m=audio 40002 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1",
      "a=candidate:1 1 UDP 2015363327 127.0.0.1 40002 typ host",
      "a=ice-ufrag:Xk9f", "a=ice-pwd:Bf8sD0aJ2kLq9wErTy6uIo3p",
      "a=fingerprint:sha-256 1B:B6:2E:53:8A:6C:64:1D:8C:7A:19:C2:57:5E:9F:10:8D:22:A4:51:33:0E:6F:71:2C:90:43:B8:15:D0:8A:88",
      "a=setup:actpass", "a=mid:audio", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
      "a=ssrc:1234 cname:wavoice", "");
  static final Duration WAIT = Duration.ofSeconds(10);

  WhatsAppCloudDouble meta;
  GraphApi graph;
  ExecutorService executor = Executors.newCachedThreadPool();
  ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() {
    meta = WhatsAppCloudDouble.start(TOKEN, PHONE);
    graph = new GraphApi(new GraphSettings(meta.baseUrl(), "v23.0", PHONE, TOKEN, Duration.ofSeconds(5), 0, Duration.ofMillis(50), GraphSettings.DEFAULT_END_BUDGET),
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), WireJson.create(), d -> { });
  }

  @AfterEach
  void stop() {
    meta.close();
    executor.shutdownNow();
    scheduler.shutdownNow();
  }

  PermissionFirstDialer requests(Duration replyTimeout) {
    PermissionFirstDialer.Dialer dialer = (to, biz) -> CompletableFuture.supplyAsync(() -> new CallId(graph.connect(to, OFFER, biz)), executor);
    return new PermissionFirstDialer(graph, dialer, Clock.systemUTC(), scheduler, new PermissionFirstDialer.Settings(replyTimeout, TEXT, 1000));
  }

  PermissionFirstDialer requests() {
    return requests(Duration.ofMinutes(15));
  }

  /** The webhook's permission reply as the dispatcher fires it. */
  static CallPermissionReplyReceived reply(String webhook) {
    WebhookPayload payload = WireJson.create().fromJson(webhook, WebhookPayload.class);
    WebhookPayload.Entry entry = payload.entry().get(0);
    WebhookPayload.Value value = entry.changes().get(0).value();
    return new CallPermissionReplyReceived(new WebhookSource(entry.id(), value.metadata().phoneNumberId(),
        value.metadata().displayPhoneNumber(), value.contacts(), value.errors()), value.messages().get(0));
  }

  List<String> operations() {
    return meta.requests().stream().map(GraphRequest::operation).toList();
  }

  static OutboundCallRequest settled(OutboundCallRequest request) {
    return Await.value(WAIT, "request " + request.id() + " to settle", () -> request.dialed().getNow(null));
  }

  @Test
  void withPermissionTheCallIsPlacedAtOnce() {
    meta.grantCallPermission(USER);
    OutboundCallRequest request = requests().submit("+1 317-555-0000", "order-42", null);
    settled(request);

    assertThat(request.state()).isEqualTo(OutboundCallRequest.State.PLACED);
    assertThat(request.view().callId()).startsWith("wacid.");
    assertThat(operations()).containsExactly("call_permissions", "calls/connect");
    assertThat(meta.requests().get(0).query()).isEqualTo("user_wa_id=" + USER);
    assertThat(meta.requests("calls/connect").get(0).body().getString("to")).isEqualTo(USER);
    assertThat(meta.requests("calls/connect").get(0).body().getString("biz_opaque_callback_data")).isEqualTo("order-42");
  }

  @Test
  void withoutPermissionTheUserIsAskedAndTheCallIsPlacedWhenTheyAccept() {
    PermissionFirstDialer requests = requests();
    OutboundCallRequest request = requests.submit(USER, null, null);

    assertThat(request.state()).isEqualTo(OutboundCallRequest.State.AWAITING_PERMISSION);
    assertThat(operations()).containsExactly("call_permissions", "messages");
    JsonObject sent = meta.requests("messages").get(0).body();
    assertThat(sent).isEqualTo(Json.createObjectBuilder(Fixtures.whatsappJson("graph-messages-call-permission-request.request.json"))
        .add("to", USER).build());
    assertThat(request.permissionMessageId()).startsWith("wamid.");
    assertThat(meta.requests("calls/connect")).as("no call before the answer").isEmpty();

    requests.onReply(reply(meta.permissionReplyWebhook(USER, true)));
    settled(request);
    assertThat(request.state()).isEqualTo(OutboundCallRequest.State.PLACED);
    assertThat(operations()).containsExactly("call_permissions", "messages", "calls/connect");
    assertThat(meta.requests("calls/connect").get(0).status()).isEqualTo(200);
  }

  @Test
  void aDeclinedRequestPlacesNoCallAndSaysSo() {
    PermissionFirstDialer requests = requests();
    OutboundCallRequest request = requests.submit(USER, null, "Can we call you back?");
    assertThat(meta.requests("messages").get(0).body().getJsonObject("interactive").getJsonObject("body").getString("text"))
        .isEqualTo("Can we call you back?");

    requests.onReply(reply(meta.permissionReplyWebhook(USER, false)));
    assertThat(request.state()).isEqualTo(OutboundCallRequest.State.DECLINED);
    assertThat(request.view().error()).isEqualTo("permission_declined");
    assertThat(request.view().message()).contains("declined");
    assertThat(request.failure().kind()).isEqualTo(OutboundCallRefused.Kind.CONFLICT);
    assertThat(meta.requests("calls/connect")).isEmpty();
  }

  @Test
  void aReplyWithoutContextIsMatchedByTheUser() {
    PermissionFirstDialer requests = requests();
    OutboundCallRequest request = requests.submit(USER, null, null);
    String webhook = meta.permissionReplyWebhook(USER, true);
    CallPermissionReplyReceived withContext = reply(webhook);
    var message = withContext.message();
    var bare = new dev.wavoice.whatsapp.InboundMessage(message.from(), message.id(), message.timestamp(), message.type(), null,
        message.interactive(), null);
    requests.onReply(new CallPermissionReplyReceived(withContext.source(), bare));
    settled(request);
    assertThat(request.state()).isEqualTo(OutboundCallRequest.State.PLACED);
  }

  @Test
  void anUnansweredRequestExpiresAndALateYesPlacesNoCall() {
    PermissionFirstDialer requests = requests(Duration.ofMillis(300));
    OutboundCallRequest request = requests.submit(USER, null, null);
    Await.until(WAIT, "the request to expire", () -> request.state() == OutboundCallRequest.State.EXPIRED);
    assertThat(request.view().error()).isEqualTo("permission_expired");

    requests.onReply(reply(meta.permissionReplyWebhook(USER, true)));
    assertThat(request.state()).isEqualTo(OutboundCallRequest.State.EXPIRED);
    assertThat(meta.requests("calls/connect")).isEmpty();
  }

  @Test
  void aSecondRequestWhileTheFirstWaitsIsRefused() {
    PermissionFirstDialer requests = requests();
    OutboundCallRequest first = requests.submit(USER, null, null);
    assertThatThrownBy(() -> requests.submit(USER, null, null))
        .isInstanceOfSatisfying(OutboundCallRefused.class, e -> {
          assertThat(e.error()).isEqualTo("permission_request_pending");
          assertThat(e.getMessage()).contains(first.id());
        });
    assertThat(meta.permissionRequestsSentTo(USER)).isEqualTo(1);
  }

  @Test
  void thePermissionRequestLimitIsTold() {
    PermissionFirstDialer requests = requests();
    requests.submit(USER, null, null);
    requests.onReply(reply(meta.permissionReplyWebhook(USER, false)));

    assertThatThrownBy(() -> requests.submit(USER, null, null))
        .isInstanceOfSatisfying(OutboundCallRefused.class, e -> {
          assertThat(e.kind()).isEqualTo(OutboundCallRefused.Kind.LIMIT);
          assertThat(e.error()).isEqualTo("permission_request_limit_reached");
          assertThat(e.getMessage()).contains("send_call_permission_request 1 of 1 per PT24H");
        });
    assertThat(meta.permissionRequestsSentTo(USER)).as("no second request is sent").isEqualTo(1);
  }

  @Test
  void theCallsPerUserLimitIsTold() {
    meta.grantCallPermission(USER);
    PermissionFirstDialer requests = requests();
    for (int i = 0; i < 5; i++) {
      assertThat(settled(requests.submit(USER, null, null)).state()).isEqualTo(OutboundCallRequest.State.PLACED);
    }
    // six permission reads within a second exceed Meta's 5 per second (613): wait until the window has passed
    OutboundCallRefused refused = Await.value(WAIT, "a permission read Meta does not throttle", () -> {
      try {
        requests.submit(USER, null, null);
        throw new AssertionError("a sixth call was allowed");
      } catch (OutboundCallRefused e) {
        return e.kind() == OutboundCallRefused.Kind.RATE_LIMITED ? null : e;
      }
    });
    assertThat(refused.kind()).isEqualTo(OutboundCallRefused.Kind.LIMIT);
    assertThat(refused.error()).isEqualTo("call_limit_reached");
    assertThat(refused.getMessage()).contains("start_call 5 of 5 per PT24H");
    assertThat(meta.requests("calls/connect")).hasSize(5);
  }

  @Test
  void metasDailyLimitOfConnectedCallsFailsTheRequestWithItsCode() {
    meta.grantCallPermission(USER);
    meta.failNext("calls/connect", 400, MetaErrors.dailyCallLimit());
    OutboundCallRequest request = settled(requests().submit(USER, null, null));
    assertThat(request.state()).isEqualTo(OutboundCallRequest.State.FAILED);
    assertThat(request.failure().kind()).isEqualTo(OutboundCallRefused.Kind.LIMIT);
    assertThat(request.view().error()).isEqualTo("daily_call_limit_reached");
    assertThat(request.view().message()).contains("138012").contains("per 24 hours");
  }

  @Test
  void metaRefusingThePermissionRequestIsTold() {
    meta.failNext("messages", 400, MetaErrors.permissionRequestLimit());
    assertThatThrownBy(() -> requests().submit(USER, null, null))
        .isInstanceOfSatisfying(OutboundCallRefused.class, e -> {
          assertThat(e.error()).isEqualTo("permission_request_limit_reached");
          assertThat(e.getMessage()).contains("138009");
        });
  }

  @Test
  void aThrottledPermissionReadIsTold() {
    meta.failNext("call_permissions", 429, MetaErrors.rateLimited());
    assertThatThrownBy(() -> requests().submit(USER, null, null))
        .isInstanceOfSatisfying(OutboundCallRefused.class, e -> {
          assertThat(e.kind()).isEqualTo(OutboundCallRefused.Kind.RATE_LIMITED);
          assertThat(e.error()).isEqualTo("rate_limited");
          assertThat(e.getMessage()).contains("613");
        });
    assertThat(meta.requests("messages")).isEmpty();
  }

  @Test
  void callingDisabledOnTheNumberPointsAtTheDoctor() {
    meta.grantCallPermission(USER);
    meta.callingStatus("DISABLED");
    OutboundCallRequest request = settled(requests().submit(USER, null, null));
    assertThat(request.state()).isEqualTo(OutboundCallRequest.State.FAILED);
    assertThat(request.failure().kind()).isEqualTo(OutboundCallRefused.Kind.NOT_READY);
    assertThat(request.view().error()).isEqualTo("calling_not_ready");
    assertThat(request.view().message()).contains("calling-enabled").contains("138000");
  }
}
