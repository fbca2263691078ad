package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.WireJson;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.MetaErrors;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Graph API client over real HTTP against the strict WhatsApp Cloud double. */
class GraphApiTest {

  static final String TOKEN = "test-access-token";
  static final String PHONE = "436666719526789";
  static final String CALL_ID = "wacid.HBgLMTMxNzU1NTAwMDAVAgARGBQzQUY3";
  static final String ANSWER = String.join("\r\n",
      "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE audio",
      "m=audio 40002 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1",
      "a=candidate:1 1 UDP 2015363327 127.0.0.1 40002 typ host",
      "a=ice-ufrag:Xk9f", "a=ice-pwd:Bf8sD0aJ2kLq9wErTy6uIo3p",
      "a=fingerprint:sha-256 1B:B6:2E:53:8A:6C:64:1D:8C:7A:19:C2:57:5E:9F:10:8D:22:A4:51:33:0E:6F:71:2C:90:43:B8:15:D0:8A:88",
      "a=setup:active", "a=mid:audio", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
      "a=fmtp:111 minptime=20;useinbandfec=1", "a=ssrc:1234 cname:wavoice", "");
  static final String OFFER = ANSWER.replace("a=setup:active", "a=setup:actpass");

  WhatsAppCloudDouble meta;
  List<Duration> pauses = new CopyOnWriteArrayList<>();
  GraphApi api;

  @BeforeEach
  void start() {
    meta = WhatsAppCloudDouble.start(TOKEN, PHONE);
    meta.knowCall(CALL_ID);
    api = client(TOKEN, 3);
  }

  GraphApi client(String token, int maxRetries) {
    var settings = new GraphSettings(meta.baseUrl(), "v23.0", PHONE, token, Duration.ofSeconds(2), maxRetries, Duration.ofMillis(200), GraphSettings.DEFAULT_END_BUDGET);
    return new GraphApi(settings, HttpClient.newHttpClient(), WireJson.create(), pauses::add);
  }

  @AfterEach
  void stop() {
    meta.close();
    meta.assertNoViolations();
  }

  private static JsonObject fixture(String name, String sdp) {
    JsonObject body = Fixtures.whatsappJson(name);
    if (sdp == null) {
      return body;
    }
    return Json.createObjectBuilder(body)
        .add("session", Json.createObjectBuilder(body.getJsonObject("session")).add("sdp", sdp)).build();
  }

  private GraphRequest last() {
    List<GraphRequest> all = meta.requests();
    return all.get(all.size() - 1);
  }

  @Test
  void callActionBodiesAreExactlyWhatMetaDocuments() {
    meta.grantCallPermission("13175550000");
    api.preAccept(CALL_ID, ANSWER);
    assertThat(last().body()).isEqualTo(fixture("graph-calls-pre_accept.request.json", ANSWER));
    assertThat(last().path()).isEqualTo("/" + PHONE + "/calls");
    assertThat(last().version()).isEqualTo("v23.0");
    assertThat(last().authorization()).isEqualTo("Bearer " + TOKEN);

    api.accept(CALL_ID, ANSWER, "optional, at most 512 characters");
    assertThat(last().body()).isEqualTo(fixture("graph-calls-accept.request.json", ANSWER));

    api.terminate(CALL_ID);
    assertThat(last().body()).isEqualTo(fixture("graph-calls-terminate.request.json", null));

    // reject is for a call not yet accepted: another one
    String declined = "wacid.HBgLMTMxNzU1NTAwMDAVAgARGBQzREVD";
    meta.knowCall(declined);
    api.reject(declined);
    assertThat(last().body()).isEqualTo(Json.createObjectBuilder(fixture("graph-calls-reject.request.json", null))
        .add("call_id", declined).build());


    String newCall = api.connect("13175550000", OFFER, "outbound-42");
    assertThat(last().body()).isEqualTo(fixture("graph-calls-connect.request.json", OFFER));
    assertThat(newCall).startsWith("wacid.");
    assertThat(meta.requests()).allMatch(r -> r.status() == 200);
  }

  @Test
  void callActionsOutOfTheCallsOrderAreRefusedAsMetaDoesAndRecorded() {
    assertThatThrownBy(() -> api.terminate(CALL_ID)).isInstanceOf(GraphApiException.class).hasMessageContaining("code 100");
    assertThat(meta.violations()).singleElement().asString().contains("terminate on " + CALL_ID);
    api.preAccept(CALL_ID, ANSWER);
    api.accept(CALL_ID, ANSWER, null);
    assertThatThrownBy(() -> api.reject(CALL_ID)).isInstanceOf(GraphApiException.class);
    assertThatThrownBy(() -> api.preAccept(CALL_ID, ANSWER)).isInstanceOf(GraphApiException.class);
    api.terminate(CALL_ID);
    assertThatThrownBy(() -> api.terminate(CALL_ID)).isInstanceOf(GraphApiException.class);
    assertThat(meta.violations()).hasSize(4);

    // a business-initiated call is answered by the user: the business only hangs up
    meta.grantCallPermission("13175550000");
    String outgoing = api.connect("13175550000", OFFER, null);
    assertThatThrownBy(() -> api.accept(outgoing, ANSWER, null)).isInstanceOf(GraphApiException.class);
    api.terminate(outgoing);
    assertThat(meta.violations()).hasSize(5).last().asString().contains("business-initiated");

    // the user hung up: Meta refuses what comes after (the app's doing once the webhook was taken)
    String hungUp = "wacid.HBgLMTMxNzU1NTAwMDAVAgARGBQzSFVQ";
    meta.knowCall(hungUp);
    api.preAccept(hungUp, ANSWER);
    meta.endedByMeta(hungUp);
    assertThatThrownBy(() -> api.accept(hungUp, ANSWER, null)).isInstanceOf(GraphApiException.class);
    assertThat(meta.violations()).as("a race: the app could not know yet").hasSize(5);
    meta.endDelivered(hungUp);
    assertThatThrownBy(() -> api.accept(hungUp, ANSWER, null)).isInstanceOf(GraphApiException.class);
    assertThat(meta.violations()).hasSize(6);
    assertThatThrownBy(meta::assertNoViolations).isInstanceOf(AssertionError.class);
    assertThat(meta.violations()).as("reported once").isEmpty();
  }

  @Test
  void messagesAndPermissionsUseMetasShapes() {
    String id = api.sendText("13175550000", "Here is the link we talked about.");
    assertThat(id).startsWith("wamid.");
    assertThat(last().body()).isEqualTo(Fixtures.whatsappJson("graph-messages-text.request.json"));

    api.sendCallPermissionRequest("13175550000", "May we call you about your order?");
    assertThat(last().body()).isEqualTo(Fixtures.whatsappJson("graph-messages-call-permission-request.request.json"));

    GraphMessages.CallPermissions permissions = api.callPermissions("13175550000");
    assertThat(last().query()).isEqualTo("user_wa_id=13175550000");
    assertThat(permissions.permission().status()).isEqualTo("no_permission");
    assertThat(permissions.canStartCall()).isFalse();

    GraphMessages.PhoneSettings settings = api.callingSettings();
    assertThat(settings.calling().status()).isEqualTo("ENABLED");
    assertThat(settings.calling().callHours().weeklyOperatingHours()).hasSize(1);
    assertThat(settings.calling().sip().status()).isEqualTo("DISABLED");
  }

  @Test
  void a429ThenSuccessSucceedsAfterOneRetryHonouringRetryAfter() {
    meta.failNext("calls/pre_accept", 429, MetaErrors.error(130429, "OAuthException", "Rate limit hit", null), Map.of("Retry-After", "1"));
    api.preAccept(CALL_ID, ANSWER);
    assertThat(meta.callActions(CALL_ID)).extracting(GraphRequest::status).containsExactly(429, 200);
    assertThat(pauses).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aRetryWhoseWaitDoesNotFitTheCallsBudgetIsNotMadeAndMetasErrorIsThrown() {
    meta.failNext("calls/pre_accept", 429, MetaErrors.error(130429, "OAuthException", "Rate limit hit", null), Map.of("Retry-After", "30"));
    assertThatThrownBy(() -> api.preAccept(CALL_ID, ANSWER, Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(429));
    assertThat(meta.callActions(CALL_ID)).extracting(GraphRequest::status).containsExactly(429);
    assertThat(pauses).isEmpty();
  }

  @Test
  void aRequestMetaHoldsEndsWithinTheCallsBudgetWithoutARetry() {
    meta.stall("calls/pre_accept");
    try {
      // the client's own timeout is 2 s; the call's budget is less
      assertThatThrownBy(() -> api.preAccept(CALL_ID, ANSWER, Duration.ofMillis(300)))
          .isInstanceOf(GraphApiException.class);
      assertThat(pauses).isEmpty();
    } finally {
      meta.release("calls/pre_accept");
    }
  }

  @Test
  void aCallActionIsNotRetriedOnceTheCallNoLongerNeedsTheAnswer() {
    meta.failNext("calls/pre_accept", 503, MetaErrors.error(2, "OAuthException", "Service temporarily unavailable", null),
        Map.of("Retry-After", "2"));
    // the call ends (e.g. the user hung up) while the client waits out Meta's Retry-After
    assertThatThrownBy(() -> api.preAccept(CALL_ID, ANSWER, Duration.ofSeconds(10), pauses::isEmpty))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e).hasMessageContaining("not retried"));
    assertThat(pauses).containsExactly(Duration.ofSeconds(2));
    assertThat(meta.callActions(CALL_ID)).extracting(GraphRequest::status).containsExactly(503);
  }

  @Test
  void theEndOfACallIsRetriedWithinTheEndBudgetAndNoLonger() {
    // terminate is idempotent: a throttled one is sent again when Meta's Retry-After fits the end budget
    meta.failNext("calls/terminate", 429, MetaErrors.error(130429, "OAuthException", "Rate limit hit", null), Map.of("Retry-After", "1"));
    meta.failNext("calls/terminate", 429, MetaErrors.error(130429, "OAuthException", "Rate limit hit", null), Map.of("Retry-After", "30"));
    GraphApi ending = endBudget(Duration.ofSeconds(5));
    assertThatThrownBy(() -> ending.terminate(CALL_ID))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(429));
    // the first wait (1 s) fitted, the second (30 s) did not: Meta's error is thrown instead of waiting
    assertThat(meta.callActions(CALL_ID)).extracting(GraphRequest::status).containsExactly(429, 429);
    assertThat(pauses).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aRejectMetaHoldsEndsWithinTheEndBudget() {
    meta.stall("calls/reject");
    try {
      // the client's own timeout is 2 s; the end budget is less
      assertThatThrownBy(() -> endBudget(Duration.ofMillis(300)).reject(CALL_ID)).isInstanceOf(GraphApiException.class);
      assertThat(pauses).isEmpty();
    } finally {
      meta.release("calls/reject");
    }
  }

  private GraphApi endBudget(Duration budget) {
    var settings = new GraphSettings(meta.baseUrl(), "v23.0", PHONE, TOKEN, Duration.ofSeconds(2), 3, Duration.ofMillis(200), budget);
    return new GraphApi(settings, HttpClient.newHttpClient(), WireJson.create(), pauses::add);
  }

  @Test
  void rateLimitCodesAndServerErrorsAreRetriedWithBackoff() {
    meta.failNext("call_permissions", 400, Fixtures.whatsappJson("graph-error-rate-limit-613.response.json"));
    meta.failNext("call_permissions", 503, MetaErrors.error(2, "OAuthException", "Service temporarily unavailable", null));
    assertThat(api.callPermissions("13175550000")).isNotNull();
    assertThat(meta.requests()).extracting(GraphRequest::status).containsExactly(400, 503, 200);
    assertThat(pauses).hasSize(2);
    assertThat(pauses.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(pauses.get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void retriesStopAtTheConfiguredMaximum() {
    for (int i = 0; i < 5; i++) {
      meta.failNext("calls/terminate", 500, MetaErrors.error(1, "OAuthException", "An unknown error occurred", null));
    }
    assertThatThrownBy(() -> api.terminate(CALL_ID))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(500));
    assertThat(meta.callActions(CALL_ID)).hasSize(4);
  }

  @Test
  void noCallPermissionIsTypedAndNotMistakenForARejectedToken() {
    meta.failNext("calls/connect", 401, Fixtures.whatsappJson("graph-error-138006.response.json"));
    assertThatThrownBy(() -> api.connect("13175550000", OFFER, null))
        .isInstanceOfSatisfying(GraphApiException.class, e -> {
          assertThat(e.kind()).isEqualTo(GraphErrorKind.NO_CALL_PERMISSION);
          assertThat(e.code()).isEqualTo(138006);
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.outcomeUnknown()).isFalse();
          assertThat(e.getMessage()).contains("138006").contains("AbCdEfGhIjKlMnOp").doesNotContain(TOKEN);
        });
    assertThat(meta.requests()).hasSize(1);

    GraphApi wrongToken = client("not-the-token", 3);
    assertThatThrownBy(() -> wrongToken.terminate(CALL_ID))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.kind()).isEqualTo(GraphErrorKind.ACCESS_TOKEN_REJECTED));
  }

  @Test
  void aConnectWhoseOutcomeIsUnknownIsNeverRepeated() {
    meta.grantCallPermission("13175550000");
    meta.failNext("calls/connect", 500, MetaErrors.error(138004, "OAuthException", "Connection error", null));
    assertThatThrownBy(() -> api.connect("13175550000", OFFER, null))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.outcomeUnknown()).isTrue());
    assertThat(meta.requests()).hasSize(1);

    meta.failNext("calls/connect", 429, MetaErrors.error(138005, "OAuthException", "Call rate limit exceeded", null), Map.of("Retry-After", "0"));
    assertThat(api.connect("13175550000", OFFER, null)).startsWith("wacid.");
    assertThat(meta.requests()).extracting(GraphRequest::status).containsExactly(500, 429, 200);
  }

  @Test
  void theDoubleRefusesWhatMetaRefuses() {
    assertThatThrownBy(() -> api.preAccept(CALL_ID, ANSWER.replace("sha-256", "sha-1")))
        .isInstanceOfSatisfying(GraphApiException.class, e -> {
          assertThat(e.kind()).isEqualTo(GraphErrorKind.INVALID_PARAMETER);
          assertThat(e.code()).isEqualTo(100);
          assertThat(e.error().orElseThrow().errorSubcode()).isEqualTo(2494010L);
          assertThat(e.error().orElseThrow().details()).contains("a=fingerprint:sha-1");
        });
    assertThatThrownBy(() -> api.preAccept(CALL_ID, ANSWER.replace("a=setup:active", "a=setup:actpass")))
        .isInstanceOfSatisfying(GraphApiException.class, e -> {
          assertThat(e.code()).isEqualTo(138008);
          assertThat(e.error().orElseThrow().message()).isEqualTo("SDP Validation error");
          assertThat(e.error().orElseThrow().details()).contains("a=setup:active");
          assertThat(e.getMessage()).as("the details reach the message the record keeps").contains("a=setup:active");
        });
    assertThatThrownBy(() -> api.preAccept(CALL_ID, ANSWER.replace("a=rtcp-mux\r\n", "")))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.code()).isEqualTo(138008));
    assertThatThrownBy(() -> api.accept(CALL_ID, ANSWER.replace("a=setup:active", "a=setup:passive"), null))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.code()).isEqualTo(138008));
    assertThatThrownBy(() -> api.preAccept(CALL_ID, ANSWER.replace("\r\n", "\n")))
        .isInstanceOf(GraphApiException.class);
    assertThatThrownBy(() -> api.preAccept("wacid.unknown", ANSWER)).isInstanceOf(GraphApiException.class);

    // knowing the offer, Meta checks the answer against it: the offer's mid, Opus at the offer's payload type
    meta.knowCall("wacid.OFFERED", Fixtures.whatsapp("whatsapp-offer.sdp"));
    assertThatThrownBy(() -> api.preAccept("wacid.OFFERED", ANSWER.replace("a=mid:audio", "a=mid:0")))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.error().orElseThrow().details()).contains("a=mid"));
    assertThatThrownBy(() -> api.preAccept("wacid.OFFERED", ANSWER.replace(" 111", " 109").replace(":111 ", ":109 ")))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.error().orElseThrow().details()).contains("payload type"));
    api.preAccept("wacid.OFFERED", ANSWER);

    api.preAccept(CALL_ID, ANSWER);
    assertThatThrownBy(() -> api.accept(CALL_ID, ANSWER.replace("40002", "40004"), null))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.getMessage()).contains("does not match"));
    api.accept(CALL_ID, ANSWER, null);
  }

  @Test
  void anSdpTypeOtherThanAnswerIsRefused() throws Exception {
    for (String sdpType : new String[] {"offer", "ANSWER"}) {
      String body = Json.createObjectBuilder().add("messaging_product", "whatsapp").add("call_id", CALL_ID).add("action", "pre_accept")
          .add("session", Json.createObjectBuilder().add("sdp_type", sdpType).add("sdp", ANSWER)).build().toString();
      var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(meta.baseUrl() + "/v23.0/" + PHONE + "/calls"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(sdpType).isEqualTo(400);
      assertThat(Fixtures.parse(response.body()).getJsonObject("error").getJsonObject("error_data").getString("details"))
          .contains("sdp_type must be 'answer'");
    }
  }
}
