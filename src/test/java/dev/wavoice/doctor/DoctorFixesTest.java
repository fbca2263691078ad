package dev.wavoice.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.WireJson;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.MapConfig;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import dev.wavoice.whatsapp.CallingSettingsRules;
import dev.wavoice.whatsapp.CallingSettingsService;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.Prerequisite;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import dev.wavoice.whatsapp.WhatsAppConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The doctor's two automatic fixes, against the strict WhatsApp double: exactly the documented requests, and Meta's refusals. */
class DoctorFixesTest {

  static final String TOKEN = "fixes-access-token-31b7";
  static final String PHONE = "436666719526789";
  static final String WABA = WhatsAppCloudDouble.DEFAULT_WABA_ID;

  WhatsAppCloudDouble meta;
  PrerequisiteSightings sightings;

  @BeforeEach
  void start() {
    meta = WhatsAppCloudDouble.start(TOKEN, PHONE);
    sightings = new PrerequisiteSightings();
  }

  @AfterEach
  void stop() {
    meta.close();
  }

  DoctorFixes fixes(String... extra) {
    Map<String, String> values = new HashMap<>(Map.of(
        "wavoice.whatsapp.access-token", TOKEN,
        "wavoice.whatsapp.phone-number-id", PHONE,
        "wavoice.whatsapp.waba-id", WABA,
        "wavoice.whatsapp.graph-base-url", meta.baseUrl(),
        "wavoice.whatsapp.max-retries", "0"));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      values.put(extra[i], extra[i + 1]);
    }
    MapConfig config = new MapConfig(values);
    WhatsAppConfig whatsapp = new WhatsAppConfig(config);
    GraphApi graph = new GraphApi(whatsapp.graph(), WireJson.create());
    return new DoctorFixes(whatsapp, graph, new CallingSettingsService(graph, sightings, Clock.systemUTC()), config,
        WireJson.create());
  }

  @Test
  void subscribingTheAppSendsOnePostToTheWabasSubscribedApps() {
    meta.appSubscribedToWaba(false);
    DoctorFixes.Applied applied = fixes().apply("waba-subscription");

    assertThat(meta.requests()).hasSize(1);
    GraphRequest request = meta.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/" + WABA + "/subscribed_apps");
    assertThat(request.body()).isNull();
    assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(request.status()).isEqualTo(200);
    assertThat(meta.appSubscribedToWaba()).isTrue();
    assertThat(applied.request()).isEqualTo("POST /v23.0/" + WABA + "/subscribed_apps");
    assertThat(applied.body()).isNull();
  }

  @Test
  void enablingCallingSendsTheConfiguredHoursIconAndCallbackPermissionKeepingMetasHolidays() {
    meta.callingStatus("DISABLED");
    DoctorFixes.Applied applied = fixes(
        "wavoice.calls.business-hours", "MON-FRI 09:00-17:00; SAT 10:00-14:00",
        "wavoice.calls.time-zone", "Europe/Berlin",
        "wavoice.whatsapp.calling.call-icon-visibility", "DISABLE_ALL",
        "wavoice.whatsapp.calling.callback-permission", "ENABLED").apply("calling-enabled");

    var weekly = Json.createArrayBuilder();
    for (String day : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")) {
      weekly.add(Json.createObjectBuilder().add("day_of_week", day).add("open_time", "0900").add("close_time", "1700"));
    }
    weekly.add(Json.createObjectBuilder().add("day_of_week", "SATURDAY").add("open_time", "1000").add("close_time", "1400"));
    JsonObject holidays = Fixtures.whatsappJson("graph-settings.response.json").getJsonObject("calling").getJsonObject("call_hours");
    JsonObject expected = Json.createObjectBuilder().add("calling", Json.createObjectBuilder()
        .add("status", "ENABLED")
        .add("call_icon_visibility", "DISABLE_ALL")
        .add("callback_permission_status", "ENABLED")
        .add("call_hours", Json.createObjectBuilder()
            .add("status", "ENABLED")
            .add("timezone_id", "Europe/Berlin")
            .add("weekly_operating_hours", weekly)
            .add("holiday_schedule", holidays.getJsonArray("holiday_schedule")))).build();

    // read the holidays, send the settings, read them back
    assertThat(meta.requests()).extracting(GraphRequest::operation).containsExactly("settings", "settings/update", "settings");
    GraphRequest update = meta.requests().get(1);
    assertThat(update.path()).isEqualTo("/" + PHONE + "/settings");
    assertThat(update.body()).isEqualTo(expected);
    assertThat(update.status()).isEqualTo(200);
    assertThat(applied.body()).isEqualTo(expected);
    assertThat(applied.request()).isEqualTo("POST /v23.0/" + PHONE + "/settings");
    assertThat(meta.settings().getJsonObject("calling").getString("status")).isEqualTo("ENABLED");
  }

  @Test
  void withoutBusinessHoursMetasCallHoursAreLeftAlone() {
    meta.callingStatus("DISABLED");
    fixes().apply("calling-enabled");
    assertThat(meta.requests()).extracting(GraphRequest::operation).containsExactly("settings/update", "settings");
    assertThat(meta.requests().get(0).body()).isEqualTo(Json.createObjectBuilder().add("calling", Json.createObjectBuilder()
        .add("status", "ENABLED").add("call_icon_visibility", "DEFAULT").add("callback_permission_status", "DISABLED")).build());
  }

  @Test
  void metaRefusesToEnableCallingWithoutTheCallsFieldAndTheDoctorRemembersWhy() {
    meta.callingStatus("DISABLED");
    meta.appSubscriptionFields("messages");
    assertThatThrownBy(() -> fixes().apply("calling-enabled"))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.code()).isEqualTo(138018));
    assertThat(sightings.latest(Prerequisite.CALLS_WEBHOOK_FIELD)).hasValueSatisfying(s -> {
      assertThat(s.code()).isEqualTo(138018);
      assertThat(s.operation()).isEqualTo("settings/update");
    });
    assertThat(meta.settings().getJsonObject("calling").getString("status")).isEqualTo("DISABLED");

    // the operator subscribes the field in the console; the fix now works and clears what was seen
    meta.appSubscriptionFields("messages", "calls");
    fixes().apply("calling-enabled");
    assertThat(sightings.latest(Prerequisite.CALLS_WEBHOOK_FIELD)).isEmpty();
  }

  @Test
  void metaRefusesToEnableCallingBelowTheTwoThousandTier() {
    meta.callingStatus("DISABLED");
    meta.phoneNumberField("messaging_limit_tier", "TIER_250");
    assertThatThrownBy(() -> fixes().apply("calling-enabled"))
        .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.code()).isEqualTo(138015));
    assertThat(sightings.latest(Prerequisite.MESSAGING_LIMIT)).isPresent();
  }

  @Test
  void hoursThatBreakMetasRulesAreRefusedBeforeAnythingIsChanged() {
    assertThatThrownBy(() -> fixes("wavoice.calls.business-hours", "MON 08:00-09:00; MON 10:00-11:00; MON 12:00-13:00")
        .apply("calling-enabled"))
        .isInstanceOfSatisfying(CallingSettingsRules.Invalid.class,
            e -> assertThat(e.getMessage()).contains("3 windows on MONDAY").contains("at most 2"));
    assertThat(meta.requests("settings/update")).isEmpty();
  }

  @Test
  void otherChecksHaveNoAutomaticFix() {
    assertThatThrownBy(() -> fixes().apply("calls-webhook-field")).isInstanceOf(DoctorFixes.NotApplicable.class)
        .hasMessageContaining("no automatic fix");
    assertThat(meta.requests()).isEmpty();
  }
}
