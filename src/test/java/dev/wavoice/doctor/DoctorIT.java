package dev.wavoice.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.MetaErrors;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The doctor in the real WAR on Payara Micro, against the doubles: its start-up run in the readiness
 * details, the report over the admin API with each kind of result, the two fixes sending exactly the
 * documented requests, the calling settings API, and a call that fails with 138018 turning
 * {@code calls-webhook-field} to FAIL.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class DoctorIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static DoublesStack stack;
  private static WhatsAppCloudDouble meta;
  private static AdminClient admin;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
    meta = doubles.whatsapp;
    admin = doubles.admin();
    Await.until(WAIT, "Kurento connected", () -> stack.app.get("/health/ready").statusCode() == 200);
    aCallWithMediaBothWays();
  }

  @BeforeEach
  void everythingRight() {
    meta.healthy();
    // a signed delivery, so webhook-traffic passes (a status of a call no one has: logged and ignored)
    assertThat(stack.webhooks().send(Fixtures.whatsapp("webhook-status-ringing.json")).statusCode()).isEqualTo(200);
    Await.until(WAIT, "Kurento connected", () -> stack.app.get("/health/ready").statusCode() == 200);
    meta.clearRequests();
  }

  @AfterEach
  void leaveItRight() {
    meta.healthy();
  }

  private static JsonObject doctor() {
    HttpResponse<String> response = admin.get("/api/doctor");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Fixtures.parse(response.body());
  }

  private static Map<String, String> statuses(JsonObject report) {
    return report.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
        .collect(Collectors.toMap(c -> c.getString("id"), c -> c.getString("status"), (a, b) -> a, java.util.LinkedHashMap::new));
  }

  private static JsonObject check(JsonObject report, String id) {
    return report.getJsonArray("checks").stream().map(JsonValue::asJsonObject).filter(c -> c.getString("id").equals(id))
        .findFirst().orElseThrow();
  }

  /**
   * The checks named have this status, the others PASS. {@code media-path} judges the last WhatsApp calls on
   * this stack, which other test classes also make: it is only looked at where named (start() leaves a
   * good call last, so it PASSes here unless a test of this class changes that).
   */
  private static void onlyThese(JsonObject report, String status, String... ids) {
    List<String> expected = List.of(ids);
    statuses(report).forEach((id, actual) -> {
      if (expected.contains(id) || !id.equals(Doctor.MEDIA_PATH)) {
        assertThat(actual).as(id + ": " + check(report, id).getString("summary")).isEqualTo(expected.contains(id) ? status : "PASS");
      }
    });
  }

  private static String newCallId(String tag) {
    return "wacid.D" + tag + UUID.randomUUID().toString().replace("-", "");
  }

  private static JsonObject record(String callId, java.util.function.Predicate<JsonObject> when, String what) {
    return Await.value(WAIT, what, () -> {
      HttpResponse<String> response = admin.get("/api/calls/" + callId);
      JsonObject r = response.statusCode() == 200 ? Fixtures.parse(response.body()) : null;
      return r != null && when.test(r) ? r : null;
    });
  }

  private static JsonObject ended(String callId) {
    return record(callId, r -> !r.getString("outcome").equals("IN_PROGRESS"), "the record of " + callId + " to end");
  }

  /** A WhatsApp call answered, where the caller speaks and the agent answers, that the user then ends: media both ways. */
  private static String aCallWithMediaBothWays() {
    String callId = newCallId("G");
    int sessionsBefore = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false).enqueue(Turn.of().audio(600, 660, "Hello.")));
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-connect-user-initiated.json", callId)).statusCode()).isEqualTo(200);
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
    record(callId, r -> r.containsKey("acceptedAt"), "the accept of " + callId);
    session.speechStarted();
    session.speechStopped();
    record(callId, r -> r.containsKey("firstBotAudioAt"), "the agent's answer in " + callId);
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    assertThat(ended(callId).getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    return callId;
  }

  private static JsonObject readinessCheck(String name) {
    HttpResponse<String> ready = stack.app.get("/health/ready");
    return Fixtures.parse(ready.body()).getJsonArray("checks").stream().map(JsonValue::asJsonObject)
        .filter(c -> c.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + name + "' check in " + ready.body()));
  }

  @Test
  void theStartUpRunShowsInTheReadinessDetails() {
    JsonObject check = Await.value(WAIT, "the start-up doctor run", () -> {
      JsonObject c = readinessCheck("doctor");
      return c.getJsonObject("data").getString("checkedAt").startsWith("not yet") ? null : c;
    });
    assertThat(check.getString("status")).isEqualTo("UP");
    assertThat(check.getJsonObject("data").containsKey("ready")).isTrue();
  }

  @Test
  void everythingRightIsAllPassAndReadyWithoutASecretInSight() {
    HttpResponse<String> response = admin.get("/api/doctor");
    JsonObject report = Fixtures.parse(response.body());
    assertThat(statuses(report).keySet()).containsExactly("config", "token", "phone-number", "messaging-limit",
        "waba-subscription", "calls-webhook-field", "calling-enabled", "sip-disabled", "webhook-traffic", "kurento", "openai",
        "media-path");
    onlyThese(report, "PASS");
    assertThat(report.getBoolean("ready")).isTrue();
    assertThat(check(report, "kurento").getString("summary")).contains(stack.kms.url()).contains("Kurento 7.3.0");
    assertThat(response.body()).doesNotContain(DoublesStack.ACCESS_TOKEN).doesNotContain(DoublesStack.APP_SECRET)
        .doesNotContain(DoublesStack.OPENAI_API_KEY).doesNotContain(DoublesStack.ADMIN_TOKEN);
    assertThat(new AdminClient(stack.app, null).get("/api/doctor").statusCode()).isEqualTo(401);
  }

  @Test
  void theSeedsCaseFailsTwoChecksIsLoggedAndIsFixedInOrder() throws Exception {
    meta.appSubscriptionFields("messages");
    meta.callingStatus("DISABLED");
    JsonObject report = doctor();
    onlyThese(report, "FAIL", "calls-webhook-field", "calling-enabled");
    assertThat(report.getBoolean("ready")).isFalse();
    Await.until(WAIT, "a log line per failing check", () -> {
      String log = readLog();
      return log.contains("doctor: calls-webhook-field FAIL") && log.contains("doctor: calling-enabled FAIL");
    });
    // the doctor's findings are in the readiness details, and they do not make the app unready
    assertThat(stack.app.get("/health/ready").statusCode()).isEqualTo(200);
    JsonObject details = readinessCheck("doctor");
    assertThat(details.getString("status")).isEqualTo("UP");
    // only ids and statuses: the summaries (account ids, the number, token facts) need the admin token
    assertThat(details.getJsonObject("data").getString("calls-webhook-field")).isEqualTo("FAIL");
    // Payara writes health data values as strings
    assertThat(details.getJsonObject("data").getString("ready")).isEqualTo("false");

    // enabling calling first: Meta refuses (138018), and the doctor says so
    HttpResponse<String> refused = admin.post("/api/doctor/fix/calling-enabled", null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(Fixtures.parse(refused.body()).getString("error")).isEqualTo("prerequisite_missing");
    assertThat(refused.body()).contains("138018").contains("calls-webhook-field");
    assertThat(check(doctor(), "calls-webhook-field").getString("summary")).contains("Meta refused settings/update with 138018");

    // the operator subscribes the calls field in the console; then the fix works
    meta.appSubscriptionFields("messages", "calls");
    meta.clearRequests();
    HttpResponse<String> fixed = admin.post("/api/doctor/fix/calling-enabled", null);
    assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(200);
    JsonObject reply = Fixtures.parse(fixed.body());
    assertThat(reply.getString("request")).isEqualTo("POST /v23.0/" + DoublesStack.PHONE_NUMBER_ID + "/settings");
    List<GraphRequest> updates = meta.requests("settings/update");
    assertThat(updates).hasSize(1);
    assertThat(updates.get(0).body()).isEqualTo(reply.getJsonObject("body"));
    assertThat(updates.get(0).body()).isEqualTo(Fixtures.parse(
        "{\"calling\":{\"status\":\"ENABLED\",\"call_icon_visibility\":\"DEFAULT\",\"callback_permission_status\":\"DISABLED\"}}"));
    onlyThese(reply.getJsonObject("report"), "PASS");
    assertThat(reply.getJsonObject("report").getBoolean("ready")).isTrue();
  }

  private static String readLog() {
    try {
      return Files.readString(stack.app.log());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void subscribingTheAppToTheWabaIsOnePostOnRequest() {
    meta.appSubscribedToWaba(false);
    onlyThese(doctor(), "FAIL", "waba-subscription");
    assertThat(meta.requests()).as("examining changes nothing").allMatch(r -> r.method().equals("GET"));

    meta.clearRequests();
    HttpResponse<String> fixed = admin.post("/api/doctor/fix/waba-subscription", null);
    assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(200);
    List<GraphRequest> posts = meta.requests().stream().filter(r -> r.method().equals("POST")).toList();
    assertThat(posts).hasSize(1);
    assertThat(posts.get(0).path()).isEqualTo("/" + meta.wabaId() + "/subscribed_apps");
    assertThat(posts.get(0).body()).isNull();
    assertThat(meta.appSubscribedToWaba()).isTrue();
    onlyThese(Fixtures.parse(fixed.body()).getJsonObject("report"), "PASS");
  }

  @Test
  void checksWithoutAnAutomaticFixAndUnknownIdsAreRefused() {
    HttpResponse<String> manual = admin.post("/api/doctor/fix/calls-webhook-field", null);
    assertThat(manual.statusCode()).isEqualTo(409);
    assertThat(Fixtures.parse(manual.body()).getString("error")).isEqualTo("no_automatic_fix");
    assertThat(admin.post("/api/doctor/fix/no-such-check", null).statusCode()).isEqualTo(404);
    assertThat(meta.requests()).noneMatch(r -> r.method().equals("POST"));
  }

  @Test
  void aGraphReadThatTimesOutIsUnknownAndTheRestIsStillReported() {
    meta.stall("settings");
    try {
      JsonObject report = doctor();
      onlyThese(report, "UNKNOWN", "calling-enabled", "sip-disabled");
      assertThat(check(report, "sip-disabled").getString("summary")).contains("no answer within " + DoublesStack.DOCTOR_TIMEOUT_MS);
    } finally {
      meta.release("settings");
    }
  }

  @Test
  void aCallRefusedWith138018TurnsTheCallsFieldCheckToFail() {
    String callId = "wacid.DR" + UUID.randomUUID().toString().replace("-", "");
    meta.failNext("calls/pre_accept", 400, MetaErrors.callsNotSubscribed());
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-connect-user-initiated.json", callId)).statusCode()).isEqualTo(200);

    JsonObject record = Await.value(WAIT, "the record of " + callId + " to end", () -> {
      HttpResponse<String> response = admin.get("/api/calls/" + callId);
      JsonObject r = response.statusCode() == 200 ? Fixtures.parse(response.body()) : null;
      return r != null && !r.getString("outcome").equals("IN_PROGRESS") ? r : null;
    });
    assertThat(record.getString("endReason")).isEqualTo("GRAPH_ERROR");
    assertThat(record.getJsonArray("errors").getString(0)).contains("138018")
        .contains("missing prerequisite").contains("calls-webhook-field");

    JsonObject report = doctor();
    onlyThese(report, "FAIL", "calls-webhook-field");
    assertThat(check(report, "calls-webhook-field").getString("summary")).contains("Meta refused calls/pre_accept with 138018")
        .contains(callId);

    // enabling calling successfully proves the field is there again
    assertThat(admin.post("/api/doctor/fix/calling-enabled", null).statusCode()).isEqualTo(200);
    onlyThese(doctor(), "PASS");
  }

  @Test
  void mediaPathFollowsTheLastWhatsAppCalls() {
    String good = aCallWithMediaBothWays();
    JsonObject passing = doctor();
    assertThat(statuses(passing)).containsEntry(Doctor.MEDIA_PATH, "PASS");
    assertThat(check(passing, Doctor.MEDIA_PATH).getString("summary")).contains(good).contains("audio both ways");

    // Meta refuses the answer: its details are on the record and in the doctor
    String refused = newCallId("S");
    meta.failNext("calls/pre_accept", 400, MetaErrors.sdpValidation("Provided SDP is invalid: a=setup must be active"));
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-connect-user-initiated.json", refused)).statusCode()).isEqualTo(200);
    JsonObject refusedRecord = ended(refused);
    assertThat(refusedRecord.getString("endReason")).isEqualTo("GRAPH_ERROR");
    assertThat(refusedRecord.getJsonArray("errors").getString(0)).contains("138008").contains("a=setup must be active");
    JsonObject sdp = doctor();
    onlyThese(sdp, "FAIL", Doctor.MEDIA_PATH);
    assertThat(check(sdp, Doctor.MEDIA_PATH).getString("summary")).contains(refused).contains("138008: Provided SDP is invalid");

    // WhatsApp ends an answered call with 138021: the terminate's error is on the record, the fix names the network
    String mute = newCallId("M");
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-connect-user-initiated.json", mute)).statusCode()).isEqualTo(200);
    record(mute, r -> r.containsKey("acceptedAt"), "the accept of " + mute);
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-terminate-failed-138021.json", mute)).statusCode()).isEqualTo(200);
    JsonObject muteRecord = ended(mute);
    assertThat(muteRecord.getString("endDetail")).contains("138021").contains("FAILED");
    assertThat(muteRecord.getJsonArray("errors").getString(0)).contains("meta terminate 138021");
    JsonObject noMedia = doctor();
    onlyThese(noMedia, "FAIL", Doctor.MEDIA_PATH);
    assertThat(noMedia.getBoolean("ready")).isFalse();
    JsonObject check = check(noMedia, Doctor.MEDIA_PATH);
    assertThat(check.getString("summary")).contains(mute).contains("WhatsApp ended it with 138021").contains("not receiving any media");
    assertThat(check.getString("fix")).contains("KMS_EXTERNAL_IPV4").contains("externalIPv4").contains("UDP port range");

    // mended: the next call has media both ways again
    aCallWithMediaBothWays();
    onlyThese(doctor(), "PASS");
  }

  @Test
  void callingSettingsAreReadAndWrittenAfterMetasRulesAreChecked() {
    HttpResponse<String> read = admin.get("/api/settings/calling");
    assertThat(read.statusCode()).isEqualTo(200);
    JsonObject settings = Fixtures.parse(read.body());
    assertThat(settings.getString("status")).isEqualTo("ENABLED");
    assertThat(settings.getJsonObject("callHours").getString("timezoneId")).isEqualTo("Europe/Berlin");
    assertThat(settings.getJsonObject("sip").getString("status")).isEqualTo("DISABLED");

    HttpResponse<String> invalid = admin.put("/api/settings/calling", """
        {"callHours":{"status":"ENABLED","timezoneId":"Europe/Berlin","weeklyOperatingHours":[
          {"dayOfWeek":"MONDAY","openTime":"0800","closeTime":"0900"},{"dayOfWeek":"MONDAY","openTime":"1000","closeTime":"1100"},
          {"dayOfWeek":"MONDAY","openTime":"1200","closeTime":"1300"},{"dayOfWeek":"TUESDAY","openTime":"9","closeTime":"1700"}]},
         "callIconVisibilty":"DEFAULT"}""");
    assertThat(invalid.statusCode()).isEqualTo(400);
    JsonObject error = Fixtures.parse(invalid.body());
    assertThat(error.getString("error")).isEqualTo("invalid_settings");
    assertThat(error.getJsonArray("problems").getValuesAs(jakarta.json.JsonString.class)).extracting(jakarta.json.JsonString::getString)
        .anyMatch(p -> p.startsWith("callIconVisibilty: unknown property"));
    assertThat(error.getString("message")).contains("3 windows on MONDAY").contains("weeklyOperatingHours[3].openTime");
    assertThat(meta.requests("settings/update")).as("nothing is sent").isEmpty();

    HttpResponse<String> written = admin.put("/api/settings/calling", """
        {"callbackPermissionStatus":"ENABLED","callHours":{"status":"ENABLED","timezoneId":"America/New_York",
          "weeklyOperatingHours":[{"dayOfWeek":"MONDAY","openTime":"0900","closeTime":"1200"},
                                  {"dayOfWeek":"MONDAY","openTime":"1300","closeTime":"1700"}],
          "holidaySchedule":[{"date":"2026-12-31","startTime":"1200","endTime":"2359"}]}}""");
    assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
    assertThat(meta.requests("settings/update")).singleElement().extracting(GraphRequest::body).isEqualTo(Fixtures.parse("""
        {"calling":{"callback_permission_status":"ENABLED","call_hours":{"status":"ENABLED","timezone_id":"America/New_York",
          "weekly_operating_hours":[{"day_of_week":"MONDAY","open_time":"0900","close_time":"1200"},
                                    {"day_of_week":"MONDAY","open_time":"1300","close_time":"1700"}],
          "holiday_schedule":[{"date":"2026-12-31","start_time":"1200","end_time":"2359"}]}}}"""));
    JsonObject after = Fixtures.parse(written.body());
    assertThat(after.getString("callbackPermissionStatus")).isEqualTo("ENABLED");
    assertThat(after.getJsonObject("callHours").getJsonArray("weeklyOperatingHours")).hasSize(2);
    assertThat(meta.settings().getJsonObject("calling").getJsonObject("call_hours").getString("timezone_id"))
        .isEqualTo("America/New_York");
  }
}
