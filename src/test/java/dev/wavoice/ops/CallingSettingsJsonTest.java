package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.testkit.Fixtures;
import dev.wavoice.whatsapp.CallingSettingsRules;
import dev.wavoice.whatsapp.GraphMessages.CallingSettings;
import dev.wavoice.whatsapp.GraphMessages.HolidayClosure;
import dev.wavoice.whatsapp.GraphMessages.WeeklyHours;
import org.junit.jupiter.api.Test;

/** The body of PUT /api/settings/calling is read strictly: a typo or a wrong type is an error, not ignored. */
class CallingSettingsJsonTest {

  @Test
  void readsTheAdminApisNames() {
    CallingSettings settings = CallingSettingsJson.read(Fixtures.parse("""
        {"status":"ENABLED","callIconVisibility":"DEFAULT","callbackPermissionStatus":"DISABLED",
         "callHours":{"status":"ENABLED","timezoneId":"Europe/Berlin",
           "weeklyOperatingHours":[{"dayOfWeek":"MONDAY","openTime":"0900","closeTime":"1700"}],
           "holidaySchedule":[{"date":"2026-12-24","startTime":"1200","endTime":"2359"}]}}"""));
    assertThat(settings.status()).isEqualTo("ENABLED");
    assertThat(settings.callbackPermissionStatus()).isEqualTo("DISABLED");
    assertThat(settings.callHours().weeklyOperatingHours()).containsExactly(new WeeklyHours("MONDAY", "0900", "1700"));
    assertThat(settings.callHours().holidaySchedule()).containsExactly(new HolidayClosure("2026-12-24", "1200", "2359"));
    assertThat(settings.sip()).isNull();
  }

  @Test
  void unknownPropertiesAndWrongTypesAreNamed() {
    assertThatThrownBy(() -> CallingSettingsJson.read(Fixtures.parse("""
        {"status":true,"callHour":{},"sip":{"status":"ENABLED"},
         "callHours":{"status":"ENABLED","timezoneId":"UTC","weeklyOperatingHours":{"dayOfWeek":"MONDAY"},
           "holidaySchedule":[{"date":"2026-12-24","start":"1200"}]}}""")))
        .isInstanceOfSatisfying(CallingSettingsRules.Invalid.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "callHour: unknown property (known: [callHours, callIconVisibility, callbackPermissionStatus, status])",
            "sip: not changed through wavoice (SIP on turns the calling API off)",
            "callHours.weeklyOperatingHours: must be an array",
            "callHours.holidaySchedule[0].start: unknown property (known: [date, endTime, startTime])",
            "status: must be a string",
            // Meta's rules, for what could be read and has no shape problem of its own
            "callHours.holidaySchedule[0].startTime: required (HHMM, e.g. 0930)",
            "callHours.holidaySchedule[0].endTime: required (HHMM, e.g. 0930)"));
  }
}
