package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.whatsapp.GraphMessages.CallHours;
import dev.wavoice.whatsapp.GraphMessages.CallingSettings;
import dev.wavoice.whatsapp.GraphMessages.HolidayClosure;
import dev.wavoice.whatsapp.GraphMessages.SipSettings;
import dev.wavoice.whatsapp.GraphMessages.WeeklyHours;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Meta's rules for calling settings, checked before anything is sent, every problem named by its field. */
class CallingSettingsRulesTest {

  static CallingSettings hours(List<WeeklyHours> weekly, List<HolidayClosure> holidays) {
    return new CallingSettings("ENABLED", "DEFAULT", "ENABLED", new CallHours("ENABLED", "Europe/Berlin", weekly, holidays), null);
  }

  @Test
  void validSettingsHaveNoProblems() {
    assertThat(CallingSettingsRules.problems(hours(
        List.of(new WeeklyHours("MONDAY", "0900", "1200"), new WeeklyHours("MONDAY", "1300", "1700"),
            new WeeklyHours("SUNDAY", "0000", "2359")),
        List.of(new HolidayClosure("2026-12-25", "0000", "2359"))))).isEmpty();
    assertThat(CallingSettingsRules.problems(new CallingSettings("DISABLED", null, null, null, null))).isEmpty();
    assertThat(CallingSettingsRules.problems(new CallingSettings(null, null, null, new CallHours("DISABLED", null, null, null), null)))
        .isEmpty();
  }

  @Test
  void enumsAreMetasValues() {
    assertThat(CallingSettingsRules.problems(new CallingSettings("ON", "HIDDEN", "YES", null, null))).containsExactly(
        "status: 'ON' is not one of [DISABLED, ENABLED]",
        "callIconVisibility: 'HIDDEN' is not one of [DEFAULT, DISABLE_ALL]",
        "callbackPermissionStatus: 'YES' is not one of [DISABLED, ENABLED]");
  }

  @Test
  void timesAreHhmmAndCloseAfterOpen() {
    assertThat(CallingSettingsRules.problems(hours(List.of(
        new WeeklyHours("MONDAY", "9:00", "1700"), new WeeklyHours("TUESDAY", "1700", "0900"), new WeeklyHours("FRIDAY", "2400", "2500"),
        new WeeklyHours("Wednesday", "0900", "1000")), List.of()))).containsExactly(
        "callHours.weeklyOperatingHours[0].openTime: '9:00' is not a time HHMM from 0000 to 2359",
        "callHours.weeklyOperatingHours[1]: closeTime 0900 must be after openTime 1700",
        "callHours.weeklyOperatingHours[2].openTime: '2400' is not a time HHMM from 0000 to 2359",
        "callHours.weeklyOperatingHours[2].closeTime: '2500' is not a time HHMM from 0000 to 2359",
        "callHours.weeklyOperatingHours[3].dayOfWeek: 'Wednesday' is not a day (MONDAY ... SUNDAY)");
  }

  @Test
  void atMostTwoWindowsADayThatDoNotOverlap() {
    assertThat(CallingSettingsRules.problems(hours(List.of(
        new WeeklyHours("MONDAY", "0800", "0900"), new WeeklyHours("MONDAY", "1000", "1100"), new WeeklyHours("MONDAY", "1200", "1300"),
        new WeeklyHours("TUESDAY", "0800", "1200"), new WeeklyHours("TUESDAY", "1100", "1300")), List.of())))
        .containsExactly("callHours.weeklyOperatingHours[4]: overlaps another window on TUESDAY",
            "callHours.weeklyOperatingHours: 3 windows on MONDAY; Meta allows at most 2 per day");
  }

  @Test
  void atMostTwentyHolidaysWithRealDates() {
    List<HolidayClosure> holidays = new ArrayList<>();
    for (int i = 1; i <= 21; i++) {
      holidays.add(new HolidayClosure("2026-01-%02d".formatted(i), "0000", "2359"));
    }
    holidays.set(3, new HolidayClosure("2026-02-30", "0000", "2359"));
    holidays.set(4, new HolidayClosure("2026-01-05", "1200", "1100"));
    assertThat(CallingSettingsRules.problems(hours(List.of(new WeeklyHours("MONDAY", "0900", "1700")), holidays))).containsExactly(
        "callHours.holidaySchedule: 21 entries; Meta allows at most 20",
        "callHours.holidaySchedule[3].date: '2026-02-30' is not a date (YYYY-MM-DD)",
        "callHours.holidaySchedule[4]: endTime 1100 must be after startTime 1200");
  }

  @Test
  void callHoursOnNeedATimeZoneAndWeeklyHours() {
    assertThat(CallingSettingsRules.problems(new CallingSettings(null, null, null,
        new CallHours("ENABLED", null, List.of(), null), null))).containsExactly(
        "callHours.timezoneId: required when call hours are ENABLED (e.g. Europe/Berlin)",
        "callHours.weeklyOperatingHours: at least one opening window is required when call hours are ENABLED");
    assertThat(CallingSettingsRules.problems(new CallingSettings(null, null, null,
        new CallHours(null, "Mars/Olympus", null, null), null))).containsExactly(
        "callHours.status: required (ENABLED or DISABLED)",
        "callHours.timezoneId: 'Mars/Olympus' is not a time zone id (e.g. Europe/Berlin)");
  }

  @Test
  void nothingToChangeAndSipAreRefused() {
    assertThat(CallingSettingsRules.problems(new CallingSettings(null, null, null, null, null)))
        .singleElement().asString().startsWith("nothing to change");
    assertThat(CallingSettingsRules.problems(new CallingSettings("ENABLED", null, null, null, new SipSettings("ENABLED", List.of()))))
        .containsExactly("sip: not changed through wavoice (SIP on turns the calling API off)");
  }
}
