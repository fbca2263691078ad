package dev.wavoice.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.WireJson;
import dev.wavoice.call.CallRecord;
import dev.wavoice.call.EndReason;
import dev.wavoice.realtime.ModelAccessProbe;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.kurento.MediaPlane;
import dev.wavoice.testkit.openai.ModelsEndpoint;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.MetaErrors;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.GraphSettings;
import dev.wavoice.whatsapp.Prerequisite;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import dev.wavoice.whatsapp.TrafficSignals;
import dev.wavoice.whatsapp.WebhookTraffic;
import jakarta.json.bind.JsonbBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The doctor over real HTTP against the strict WhatsApp double and the OpenAI double's REST endpoint, with
 * a real Kurento pool on the Kurento double: everything right, each prerequisite broken in turn, the
 * seed's case, reads that fail or time out, and Meta's own errors naming a prerequisite.
 */
class DoctorTest {

  static final String TOKEN = "doctor-access-token-8c1f";
  static final String APP_SECRET = "doctor-app-secret-2a9e";
  static final String APP_ID = "1209834567012345";
  static final String WABA = "366634483210360";
  static final String PHONE = "436666719526789";
  static final String PUBLIC_URL = "https://wavoice.example.test";
  static final String OPENAI_KEY = "test-openai-key-doctor-openai-key-77d3";
  static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  static final List<String> ORDER = List.of("config", "token", "phone-number", "messaging-limit", "waba-subscription",
      "calls-webhook-field", "calling-enabled", "sip-disabled", "webhook-traffic", "kurento", "openai", "media-path");

  static WhatsAppCloudDouble meta;
  static OpenAiRealtimeDouble openai;
  static KmsDouble kms;
  static MediaPlane media;
  static ExecutorService executor;

  WebhookTraffic traffic;
  PrerequisiteSightings sightings;
  AtomicReference<List<String>> missingRequired;
  AtomicReference<ModelAccessProbe.Target> openaiTarget;
  AtomicReference<List<CallRecord>> recentCalls;

  @BeforeAll
  static void startDoubles() {
    meta = WhatsAppCloudDouble.start(TOKEN, PHONE).app(APP_ID, APP_SECRET).webhookCallbackUrl(PUBLIC_URL + "/webhook");
    openai = OpenAiRealtimeDouble.start(OPENAI_KEY);
    kms = KmsDouble.start();
    media = MediaPlane.connected(kms.url());
    executor = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stopDoubles() {
    media.close();
    kms.close();
    openai.close();
    meta.close();
    executor.shutdownNow();
  }

  @BeforeEach
  void everythingRight() {
    meta.healthy();
    meta.clearRequests();
    traffic = new WebhookTraffic();
    TrafficSignals.signedDelivery(traffic, Instant.now());
    sightings = new PrerequisiteSightings();
    missingRequired = new AtomicReference<>(List.of());
    openaiTarget = new AtomicReference<>(new ModelAccessProbe.Target(URI.create(openai.apiUrl()), OPENAI_KEY, "gpt-realtime"));
    recentCalls = new AtomicReference<>(List.of(MediaPathCheckTest.call("wacid.GOOD", r -> MediaPathCheckTest.talked(r, EndReason.REMOTE_TERMINATE))));
  }

  List<CallRecord> recentCalls() {
    List<CallRecord> calls = recentCalls.get();
    if (calls == null) {
      throw new IllegalStateException("the database is down");
    }
    return calls;
  }

  GraphApi graph(Duration timeout) {
    return new GraphApi(new GraphSettings(meta.baseUrl(), "v23.0", PHONE, TOKEN, timeout, 0, Duration.ofMillis(50), GraphSettings.DEFAULT_END_BUDGET),
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), WireJson.create(), d -> { });
  }

  Doctor doctor(DoctorSettings settings) {
    return doctor(settings, settings.readTimeout());
  }

  /** With the Graph client's own request timeout apart from the doctor's deadline. */
  Doctor doctor(DoctorSettings settings, Duration graphTimeout) {
    Doctor.Sources sources = new Doctor.Sources(missingRequired::get, traffic, Instant.now().minusSeconds(60),
        media.pool::status, () -> null, () -> {
          ModelAccessProbe.Target target = openaiTarget.get();
          if (target == null) {
            throw new IllegalArgumentException("wavoice.openai.api-key is not set");
          }
          return target;
        }, new ModelAccessProbe(HttpClient.newHttpClient(), WireJson.create()), sightings, this::recentCalls);
    return new Doctor(settings, graph(graphTimeout), sources, Clock.systemUTC(), executor);
  }

  static DoctorSettings settings() {
    return new DoctorSettings(PHONE, Optional.of(WABA), Optional.of(APP_ID), Optional.of(PUBLIC_URL), TOKEN,
        Optional.of(APP_ID + "|" + APP_SECRET), List.of(), READ_TIMEOUT);
  }

  DoctorReport examine() {
    return doctor(settings()).examine();
  }

  static Map<String, CheckStatus> statuses(DoctorReport report) {
    return report.checks().stream().collect(java.util.stream.Collectors.toMap(DoctorCheck::id, DoctorCheck::status,
        (a, b) -> a, java.util.LinkedHashMap::new));
  }

  static DoctorCheck check(DoctorReport report, String id) {
    return report.check(id).orElseThrow();
  }

  /** Exactly the checks in {@code failing} have {@code status}; every other one passes. */
  static void onlyThese(DoctorReport report, CheckStatus status, String... failing) {
    List<String> expected = List.of(failing);
    assertThat(report.checks()).extracting(DoctorCheck::id).containsExactlyElementsOf(ORDER);
    for (DoctorCheck check : report.checks()) {
      if (expected.contains(check.id())) {
        assertThat(check.status()).as(check.id() + ": " + check.summary()).isEqualTo(status);
        assertThat(check.fix()).as("the fix of " + check.id()).isNotBlank();
      } else {
        assertThat(check.status()).as(check.id() + " should pass: " + check.summary()).isEqualTo(CheckStatus.PASS);
      }
    }
  }

  @Test
  void everythingRightGivesAllPassAndReady() {
    DoctorReport report = examine();

    assertThat(report.checks()).extracting(DoctorCheck::id).containsExactlyElementsOf(ORDER);
    assertThat(report.checks()).allSatisfy(c -> {
      assertThat(c.status()).as(c.id() + ": " + c.summary()).isEqualTo(CheckStatus.PASS);
      assertThat(c.summary()).isNotBlank();
      assertThat(c.fix()).isEmpty();
    });
    assertThat(report.ready()).isTrue();
    assertThat(check(report, "kurento").summary()).contains(kms.url()).contains("CONNECTED").contains("Kurento 7.3.0");
    assertThat(check(report, "openai").summary()).contains("gpt-realtime");
    assertThat(check(report, "messaging-limit").summary()).contains("TIER_2K");

    // each Graph read once, with the token Meta wants for it
    Map<String, GraphRequest> reads = new java.util.HashMap<>();
    meta.requests().forEach(r -> reads.put(r.operation(), r));
    assertThat(reads.keySet()).containsExactlyInAnyOrder("debug_token", "phone_number", "subscribed_apps", "app_subscriptions",
        "settings");
    assertThat(meta.requests()).hasSize(5).allMatch(r -> r.method().equals("GET") && r.status() == 200);
    assertThat(reads.get("debug_token").authorization()).isEqualTo("Bearer " + APP_ID + "|" + APP_SECRET);
    assertThat(reads.get("debug_token").query()).isEqualTo("input_token=" + TOKEN);
    assertThat(reads.get("app_subscriptions").authorization()).isEqualTo("Bearer " + APP_ID + "|" + APP_SECRET);
    assertThat(reads.get("app_subscriptions").path()).isEqualTo("/" + APP_ID + "/subscriptions");
    assertThat(reads.get("subscribed_apps").path()).isEqualTo("/" + WABA + "/subscribed_apps");
    assertThat(reads.get("phone_number").authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(reads.get("phone_number").query()).contains("health_status").contains("messaging_limit_tier");
    assertThat(openai.models().requests()).last().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/v1/models/gpt-realtime");
      assertThat(r.authorization()).isEqualTo("Bearer " + OPENAI_KEY);
      assertThat(r.status()).isEqualTo(200);
    });
  }

  @Test
  void theReportNeverCarriesASecret() throws Exception {
    missingRequired.set(List.of("wavoice.whatsapp.verify-token"));
    meta.tokenScopes("whatsapp_business_management");
    openaiTarget.set(new ModelAccessProbe.Target(URI.create(openai.apiUrl()), "test-openai-key-wrong-key-0000-9999", "gpt-realtime"));
    DoctorReport report = examine();
    String json;
    try (var jsonb = JsonbBuilder.create()) {
      json = jsonb.toJson(report);
    }
    assertThat(json).contains("\"checks\"").contains("\"ready\":false")
        .doesNotContain(TOKEN).doesNotContain(APP_SECRET).doesNotContain(OPENAI_KEY)
        .doesNotContain("test-openai-key-wrong-key").doesNotContain("9999");
  }

  static Stream<Arguments> brokenPrerequisites() {
    return Stream.of(
        Arguments.of("token", (Consumer<DoctorTest>) t -> meta.tokenScopes("business_management", "whatsapp_business_management"),
            "lacks whatsapp_business_messaging"),
        Arguments.of("phone-number", (Consumer<DoctorTest>) t -> meta.phoneNumberField("platform_type", "ON_PREMISE"),
            "not the Cloud API"),
        Arguments.of("messaging-limit", (Consumer<DoctorTest>) t -> meta.phoneNumberField("messaging_limit_tier", "TIER_1K"),
            "TIER_1K"),
        Arguments.of("waba-subscription", (Consumer<DoctorTest>) t -> meta.appSubscribedToWaba(false),
            "is not subscribed to WABA " + WABA),
        Arguments.of("calls-webhook-field", (Consumer<DoctorTest>) t -> meta.appSubscriptionFields("messages"),
            "does not include calls"),
        Arguments.of("calling-enabled", (Consumer<DoctorTest>) t -> meta.callingStatus("DISABLED"), "calling.status is DISABLED"),
        Arguments.of("sip-disabled", (Consumer<DoctorTest>) t -> meta.sipStatus("ENABLED"), "SIP is ENABLED"),
        Arguments.of("config", (Consumer<DoctorTest>) t -> t.missingRequired.set(List.of("wavoice.whatsapp.verify-token")),
            "wavoice.whatsapp.verify-token"),
        Arguments.of("webhook-traffic", (Consumer<DoctorTest>) t -> {
          t.traffic = new WebhookTraffic();
          TrafficSignals.refused(t.traffic, Instant.now());
        }, "none was correctly signed"),
        Arguments.of("openai", (Consumer<DoctorTest>) t -> t.openaiTarget.set(
            new ModelAccessProbe.Target(URI.create(openai.apiUrl()), "test-openai-key-not-the-key-1234", "gpt-realtime")),
            "refused the API key (401 invalid_api_key)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenPrerequisites")
  void eachBrokenPrerequisiteFailsExactlyItsCheckWithItsFix(String id, Consumer<DoctorTest> breakIt, String seen) {
    breakIt.accept(this);
    DoctorReport report = examine();
    onlyThese(report, CheckStatus.FAIL, id);
    assertThat(check(report, id).summary()).contains(seen);
    assertThat(report.ready()).isFalse();
  }

  @Test
  void theSeedsCaseFailsOnTheCallsFieldAndCallingAndPassesElsewhere() {
    meta.appSubscriptionFields("messages");
    meta.callingStatus("DISABLED");
    DoctorReport report = examine();
    onlyThese(report, CheckStatus.FAIL, "calls-webhook-field", "calling-enabled");
    assertThat(check(report, "calls-webhook-field").fix()).contains("Webhook fields").contains("calls")
        .contains(PUBLIC_URL + "/webhook");
    assertThat(check(report, "calling-enabled").fix()).contains("POST /api/doctor/fix/calling-enabled");
  }

  @Test
  void theHttpClientsOwnTimeoutReadsAsTheSameTimeout() {
    meta.stall("settings");
    try {
      // in production both are wavoice.doctor.timeout-ms; whichever fires first, the operator sees one message
      DoctorReport report = doctor(settings(), Duration.ofMillis(200)).examine();
      onlyThese(report, CheckStatus.UNKNOWN, "calling-enabled", "sip-disabled");
      assertThat(check(report, "calling-enabled").summary()).contains("GET /<PHONE_NUMBER_ID>/settings: no answer within");
      assertThat(check(report, "calling-enabled").fix()).contains("did not answer in time");
    } finally {
      meta.release("settings");
    }
  }

  @Test
  void aReadThatTimesOutMakesOnlyItsChecksUnknown() {
    meta.stall("settings");
    try {
      DoctorReport report = examine();
      onlyThese(report, CheckStatus.UNKNOWN, "calling-enabled", "sip-disabled");
      assertThat(check(report, "calling-enabled").summary()).contains("GET /<PHONE_NUMBER_ID>/settings")
          .contains("no answer within " + READ_TIMEOUT.toMillis() + " ms");
      assertThat(check(report, "calling-enabled").fix()).contains("did not answer in time");
      assertThat(report.ready()).isFalse();
    } finally {
      meta.release("settings");
    }
  }

  @Test
  void aReadThatFailsMakesOnlyItsChecksUnknownWithMetasReason() {
    meta.failNext("phone_number", 500, MetaErrors.error(2, "OAuthException", "Service temporarily unavailable", null));
    meta.failNext("app_subscriptions", 400, MetaErrors.invalidToken());
    DoctorReport report = examine();
    onlyThese(report, CheckStatus.UNKNOWN, "phone-number", "messaging-limit", "calls-webhook-field");
    assertThat(check(report, "phone-number").summary()).contains("HTTP 500").contains("Service temporarily unavailable");
    assertThat(check(report, "calls-webhook-field").fix()).contains("app-secret");
  }

  @Test
  void aTokenMetaRefusesFailsTheTokenCheckAndLeavesTheGraphChecksUnknown() {
    meta.tokenRefused(true);
    DoctorReport report = examine();
    assertThat(check(report, "token").status()).isEqualTo(CheckStatus.FAIL);
    assertThat(check(report, "token").summary()).contains("not valid").contains("Session has expired");
    for (String id : List.of("phone-number", "messaging-limit", "waba-subscription", "calling-enabled", "sip-disabled")) {
      assertThat(check(report, id).status()).as(id).isEqualTo(CheckStatus.UNKNOWN);
      assertThat(check(report, id).summary()).as(id).contains("190");
    }
    // read with the app token, which still works
    assertThat(check(report, "calls-webhook-field").status()).isEqualTo(CheckStatus.PASS);
  }

  @Test
  void aTokenExpiringWithinAWeekWarnsButStaysReady() {
    Instant expiry = Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    meta.tokenExpiresAt(expiry);
    DoctorReport report = examine();
    onlyThese(report, CheckStatus.WARN, "token");
    assertThat(check(report, "token").summary()).contains("expires at " + expiry);
    assertThat(report.ready()).isTrue();
  }

  @Test
  void metasErrorNamingAPrerequisiteFailsItsCheckWithTheTimeItWasSeenUntilProvenMet() {
    Instant seen = Instant.now();
    GraphApiException refused = refusedWith("calls/connect", 400, MetaErrors.callsNotSubscribed());
    assertThat(sightings.failed(refused, "call wacid.SEEN", seen)).contains(Prerequisite.CALLS_WEBHOOK_FIELD);

    DoctorReport report = examine();
    onlyThese(report, CheckStatus.FAIL, "calls-webhook-field");
    assertThat(check(report, "calls-webhook-field").summary()).contains("138018").contains(seen.toString())
        .contains("call wacid.SEEN").contains("Read now: PASS");

    sightings.confirmed(seen.minusSeconds(1), Prerequisite.CALLS_WEBHOOK_FIELD);
    assertThat(check(examine(), "calls-webhook-field").status()).as("older proof does not clear it").isEqualTo(CheckStatus.FAIL);
    sightings.confirmed(seen.plusSeconds(1), Prerequisite.CALLS_WEBHOOK_FIELD);
    assertThat(check(examine(), "calls-webhook-field").status()).isEqualTo(CheckStatus.PASS);
  }

  @Test
  void eachPrerequisiteCodeTurnsItsOwnCheck() {
    Map<String, GraphApiException> errors = Map.of(
        "calling-enabled", refusedWith("calls/pre_accept", 401, MetaErrors.callingNotEnabled()),
        "messaging-limit", refusedWith("settings/update", 400, MetaErrors.messagingLimitTooLow()),
        "sip-disabled", refusedWith("calls/pre_accept", 400, MetaErrors.sipEnabled()));
    errors.forEach((id, error) -> {
      PrerequisiteSightings fresh = new PrerequisiteSightings();
      sightings = fresh;
      assertThat(fresh.failed(error, "test", Instant.now())).map(Prerequisite::checkId).contains(id);
      onlyThese(examine(), CheckStatus.FAIL, id);
    });
  }

  @Test
  void withoutTheDoctorsOwnSettingsItSaysWhatItCannotCheck() {
    DoctorSettings bare = new DoctorSettings(PHONE, Optional.empty(), Optional.empty(), Optional.empty(), TOKEN,
        Optional.empty(), List.of("wavoice.whatsapp.waba-id", "wavoice.whatsapp.app-id", "wavoice.public-url"), READ_TIMEOUT);
    DoctorReport report = doctor(bare).examine();
    assertThat(check(report, "config").status()).isEqualTo(CheckStatus.WARN);
    assertThat(check(report, "config").fix()).contains("WAVOICE_WHATSAPP_WABA_ID").contains("WAVOICE_PUBLIC_URL");
    assertThat(check(report, "waba-subscription").status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(check(report, "calls-webhook-field").status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(check(report, "calls-webhook-field").fix()).contains("Set wavoice.whatsapp.app-id");
    // the token inspected itself
    assertThat(check(report, "token").status()).isEqualTo(CheckStatus.PASS);
    assertThat(meta.requests("debug_token")).last().extracting(GraphRequest::authorization).isEqualTo("Bearer " + TOKEN);
    assertThat(report.ready()).isFalse();
  }

  @Test
  void openAiAnswersOtherThanYesAreTold() {
    openaiTarget.set(new ModelAccessProbe.Target(URI.create(openai.apiUrl()), OPENAI_KEY, "gpt-nonexistent"));
    assertThat(check(examine(), "openai")).satisfies(c -> {
      assertThat(c.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(c.summary()).contains("404 model_not_found");
      assertThat(c.fix()).contains("wavoice.openai.model");
    });
    openaiTarget.set(new ModelAccessProbe.Target(URI.create(openai.apiUrl()), OPENAI_KEY, "gpt-realtime"));
    openai.models().failNext(429, ModelsEndpoint.insufficientQuota());
    assertThat(check(examine(), "openai").summary()).contains("quota");
    openaiTarget.set(null);
    assertThat(check(examine(), "openai")).satisfies(c -> {
      assertThat(c.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(c.summary()).contains("wavoice.openai.api-key is not set");
    });
    openaiTarget.set(new ModelAccessProbe.Target(URI.create("http://127.0.0.1:1/v1"), OPENAI_KEY, "gpt-realtime"));
    assertThat(check(examine(), "openai").status()).as("unreachable").isEqualTo(CheckStatus.UNKNOWN);
  }

  @Test
  void aKurentoThatIsDownFailsTheKurentoCheck() {
    try (KmsDouble other = KmsDouble.start(); MediaPlane plane = MediaPlane.connected(other.url())) {
      other.close();
      Await.until(Duration.ofSeconds(20), "Kurento to count as down", () -> plane.pool.status().stream().noneMatch(s -> s.connected()));
      Doctor.Sources sources = new Doctor.Sources(missingRequired::get, traffic, Instant.now(), plane.pool::status, () -> null,
          openaiTarget::get, new ModelAccessProbe(HttpClient.newHttpClient(), WireJson.create()), sightings, this::recentCalls);
      DoctorReport report = new Doctor(settings(), graph(READ_TIMEOUT), sources, Clock.systemUTC(), executor).examine();
      onlyThese(report, CheckStatus.FAIL, "kurento");
      assertThat(check(report, "kurento").summary()).contains("no Kurento Media Server is connected").contains(other.url());
    }
  }

  @Test
  void mediaPathIsReadFromTheCallRecordsAndItsUnknownBeforeAnyCallDoesNotHoldReadinessBack() {
    recentCalls.set(List.of());
    DoctorReport untried = examine();
    assertThat(check(untried, "media-path").status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(check(untried, "media-path").summary()).contains("no WhatsApp call has ended yet");
    assertThat(untried.ready()).isTrue();
    assertThat(untried.failing()).isEmpty();

    recentCalls.set(List.of(MediaPathCheckTest.call("wacid.MUTE", r -> {
      MediaPathCheckTest.talked(r, EndReason.REMOTE_TERMINATE);
      r.metaError(138021, null, "WhatsApp client terminated the call due to not receiving any media for a long time.");
    })));
    DoctorReport failed = examine();
    onlyThese(failed, CheckStatus.FAIL, "media-path");
    assertThat(failed.ready()).isFalse();

    recentCalls.set(null); // the database cannot be read
    DoctorReport unread = examine();
    onlyThese(unread, CheckStatus.UNKNOWN, "media-path");
    assertThat(check(unread, "media-path").summary()).contains("the call records could not be read").contains("database is down");
    assertThat(unread.ready()).as("the database has its own readiness check").isTrue();
  }

  /** A real Graph error from the double, as the call layer or a settings write would get it. */
  static GraphApiException refusedWith(String operation, int status, jakarta.json.JsonObject body) {
    meta.failNext(operation, status, body);
    GraphApi api = new GraphApi(new GraphSettings(meta.baseUrl(), "v23.0", PHONE, TOKEN, READ_TIMEOUT, 0, Duration.ofMillis(50), GraphSettings.DEFAULT_END_BUDGET),
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), WireJson.create(), d -> { });
    meta.knowCall("wacid.SEEN");
    meta.grantCallPermission("13175550000");
    return (GraphApiException) org.assertj.core.api.Assertions.catchThrowable(() -> {
      switch (operation) {
        case "calls/connect" -> api.connect("13175550000", "v=0\r\n", null);
        case "calls/pre_accept" -> api.preAccept("wacid.SEEN", "v=0\r\n");
        case "settings/update" -> api.updateCallingSettings(new dev.wavoice.whatsapp.GraphMessages.PhoneSettings(
            new dev.wavoice.whatsapp.GraphMessages.CallingSettings("ENABLED", null, null, null, null)));
        default -> throw new IllegalArgumentException(operation);
      }
    });
  }
}
