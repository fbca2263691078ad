package dev.wavoice.whatsapp;

import dev.wavoice.whatsapp.GraphMessages.CallHours;
import dev.wavoice.whatsapp.GraphMessages.CallingSettings;
import dev.wavoice.whatsapp.GraphMessages.HolidayClosure;
import dev.wavoice.whatsapp.GraphMessages.WeeklyHours;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Meta's rules for the calling settings of a number, checked before anything is sent, so an operator
 * gets every problem at once and by field name instead of one opaque error 100 from Meta: known enum
 * values, {@code HHMM} times, at most 2 opening windows per day (not overlapping), at most 20 holiday
 * closures, a time zone and weekly hours when call hours are on. SIP is not written here: wavoice
 * needs it off. Field names are those of the admin API ({@code callHours.weeklyOperatingHours[0].openTime}).
 */
public final class CallingSettingsRules {

  public static final int MAX_WINDOWS_PER_DAY = 2;
  public static final int MAX_HOLIDAYS = 20;

  static final Set<String> ON_OFF = Set.of("ENABLED", "DISABLED");
  static final Set<String> ICON_VISIBILITY = Set.of("DEFAULT", "DISABLE_ALL");
  private static final Pattern HHMM = Pattern.compile("([01][0-9]|2[0-3])[0-5][0-9]");

  private enum Day { MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY }

  /** Settings Meta would refuse; {@link #problems()} names every field that is wrong. */
  public static final class Invalid extends IllegalArgumentException {
    private final List<String> problems;

    public Invalid(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  private CallingSettingsRules() {}

  /** Throws {@link Invalid} naming every problem, unless Meta would take these settings. */
  public static void check(CallingSettings settings) {
    List<String> problems = problems(settings);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
  }

  /** Every problem found, each starting with the field it is about; empty when Meta would take the settings. */
  public static List<String> problems(CallingSettings settings) {
    List<String> problems = new ArrayList<>();
    if (settings == null) {
      problems.add("calling settings are required");
      return problems;
    }
    if (settings.status() == null && settings.callIconVisibility() == null && settings.callbackPermissionStatus() == null
        && settings.callHours() == null) {
      problems.add("nothing to change: give at least one of status, callIconVisibility, callbackPermissionStatus, callHours");
    }
    oneOf(problems, "status", settings.status(), ON_OFF);
    oneOf(problems, "callIconVisibility", settings.callIconVisibility(), ICON_VISIBILITY);
    oneOf(problems, "callbackPermissionStatus", settings.callbackPermissionStatus(), ON_OFF);
    if (settings.sip() != null) {
      problems.add("sip: not changed through wavoice (SIP on turns the calling API off)");
    }
    if (settings.callHours() != null) {
      callHours(problems, settings.callHours());
    }
    return problems;
  }

  private static void callHours(List<String> problems, CallHours hours) {
    if (hours.status() == null) {
      problems.add("callHours.status: required (ENABLED or DISABLED)");
    } else {
      oneOf(problems, "callHours.status", hours.status(), ON_OFF);
    }
    boolean on = "ENABLED".equals(hours.status());
    if (hours.timezoneId() == null) {
      if (on) {
        problems.add("callHours.timezoneId: required when call hours are ENABLED (e.g. Europe/Berlin)");
      }
    } else {
      try {
        ZoneId.of(hours.timezoneId());
      } catch (DateTimeException e) {
        problems.add("callHours.timezoneId: '" + hours.timezoneId() + "' is not a time zone id (e.g. Europe/Berlin)");
      }
    }
    List<WeeklyHours> weekly = hours.weeklyOperatingHours() == null ? List.of() : hours.weeklyOperatingHours();
    if (on && weekly.isEmpty()) {
      problems.add("callHours.weeklyOperatingHours: at least one opening window is required when call hours are ENABLED");
    }
    Map<Day, List<int[]>> perDay = new EnumMap<>(Day.class);
    for (int i = 0; i < weekly.size(); i++) {
      String field = "callHours.weeklyOperatingHours[" + i + "]";
      WeeklyHours window = weekly.get(i);
      if (window == null) {
        problems.add(field + ": must be an object");
        continue;
      }
      Day day = day(problems, field + ".dayOfWeek", window.dayOfWeek());
      Integer open = time(problems, field + ".openTime", window.openTime());
      Integer close = time(problems, field + ".closeTime", window.closeTime());
      if (open != null && close != null && close <= open) {
        problems.add(field + ": closeTime " + window.closeTime() + " must be after openTime " + window.openTime());
      } else if (day != null && open != null && close != null) {
        List<int[]> windows = perDay.computeIfAbsent(day, d -> new ArrayList<>());
        for (int[] other : windows) {
          if (open < other[1] && other[0] < close) {
            problems.add(field + ": overlaps another window on " + day);
          }
        }
        windows.add(new int[] {open, close});
      }
    }
    perDay.forEach((day, windows) -> {
      if (windows.size() > MAX_WINDOWS_PER_DAY) {
        problems.add("callHours.weeklyOperatingHours: " + windows.size() + " windows on " + day + "; Meta allows at most "
            + MAX_WINDOWS_PER_DAY + " per day");
      }
    });
    List<HolidayClosure> holidays = hours.holidaySchedule() == null ? List.of() : hours.holidaySchedule();
    if (holidays.size() > MAX_HOLIDAYS) {
      problems.add("callHours.holidaySchedule: " + holidays.size() + " entries; Meta allows at most " + MAX_HOLIDAYS);
    }
    for (int i = 0; i < holidays.size(); i++) {
      String field = "callHours.holidaySchedule[" + i + "]";
      HolidayClosure closure = holidays.get(i);
      if (closure == null) {
        problems.add(field + ": must be an object");
        continue;
      }
      if (closure.date() == null) {
        problems.add(field + ".date: required (YYYY-MM-DD)");
      } else {
        try {
          LocalDate.parse(closure.date());
        } catch (DateTimeException e) {
          problems.add(field + ".date: '" + closure.date() + "' is not a date (YYYY-MM-DD)");
        }
      }
      Integer start = time(problems, field + ".startTime", closure.startTime());
      Integer end = time(problems, field + ".endTime", closure.endTime());
      if (start != null && end != null && end <= start) {
        problems.add(field + ": endTime " + closure.endTime() + " must be after startTime " + closure.startTime());
      }
    }
  }

  private static void oneOf(List<String> problems, String field, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      problems.add(field + ": '" + value + "' is not one of " + allowed.stream().sorted().toList());
    }
  }

  private static Day day(List<String> problems, String field, String value) {
    if (value == null) {
      problems.add(field + ": required (MONDAY ... SUNDAY)");
      return null;
    }
    try {
      return Day.valueOf(value);
    } catch (IllegalArgumentException e) {
      problems.add(field + ": '" + value + "' is not a day (MONDAY ... SUNDAY)");
      return null;
    }
  }

  /** Minutes since midnight of an {@code HHMM} time, or null (with a problem) when it is not one. */
  private static Integer time(List<String> problems, String field, String value) {
    if (value == null) {
      problems.add(field + ": required (HHMM, e.g. 0930)");
      return null;
    }
    if (!HHMM.matcher(value).matches()) {
      problems.add(field + ": '" + value + "' is not a time HHMM from 0000 to 2359");
      return null;
    }
    return Integer.parseInt(value.substring(0, 2)) * 60 + Integer.parseInt(value.substring(2));
  }
}
