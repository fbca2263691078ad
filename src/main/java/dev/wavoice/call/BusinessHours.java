package dev.wavoice.call;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When calls are answered, e.g. {@code MON-FRI 09:00-17:00; SAT 10:00-14:00} in a time zone. Outside
 * these hours a call is rejected (WhatsApp tells the caller the business is unavailable).
 */
public final class BusinessHours {

  private record Window(Set<DayOfWeek> days, LocalTime open, LocalTime close) {}

  /** One opening window on one day: open from {@code open} until just before {@code close}. */
  public record DailyWindow(DayOfWeek day, LocalTime open, LocalTime close) {}

  private final List<Window> windows;
  private final ZoneId zone;
  private final String spec;

  private BusinessHours(List<Window> windows, ZoneId zone, String spec) {
    this.windows = windows;
    this.zone = zone;
    this.spec = spec;
  }

  public static BusinessHours parse(String spec, ZoneId zone) {
    List<Window> windows = new ArrayList<>();
    for (String part : spec.split(";")) {
      String trimmed = part.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      String[] dayAndTime = trimmed.split("\\s+");
      if (dayAndTime.length != 2) {
        throw invalid(spec, "each window is '<days> <HH:MM>-<HH:MM>'");
      }
      String[] times = dayAndTime[1].split("-");
      if (times.length != 2) {
        throw invalid(spec, "times are '<HH:MM>-<HH:MM>'");
      }
      LocalTime open = time(times[0], spec);
      LocalTime close = time(times[1], spec);
      if (!close.isAfter(open)) {
        throw invalid(spec, "closing time must be after opening time");
      }
      windows.add(new Window(days(dayAndTime[0], spec), open, close));
    }
    if (windows.isEmpty()) {
      throw invalid(spec, "no window given");
    }
    return new BusinessHours(List.copyOf(windows), zone, spec);
  }

  public boolean isOpen(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime time = local.toLocalTime();
    return windows.stream()
        .anyMatch(w -> w.days().contains(local.getDayOfWeek()) && !time.isBefore(w.open()) && time.isBefore(w.close()));
  }

  /** The time zone the hours are in. */
  public ZoneId zone() {
    return zone;
  }

  /** Every window, one per day it applies to, Monday first, then by opening time. */
  public List<DailyWindow> dailyWindows() {
    List<DailyWindow> daily = new ArrayList<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      windows.stream()
          .filter(w -> w.days().contains(day))
          .sorted(java.util.Comparator.comparing(Window::open))
          .forEach(w -> daily.add(new DailyWindow(day, w.open(), w.close())));
    }
    return List.copyOf(daily);
  }

  @Override
  public String toString() {
    return spec + " (" + zone + ")";
  }

  private static LocalTime time(String text, String spec) {
    try {
      return LocalTime.parse(text.strip());
    } catch (java.time.format.DateTimeParseException e) {
      throw invalid(spec, "'" + text + "' is not a time (HH:MM)");
    }
  }

  private static Set<DayOfWeek> days(String text, String spec) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String item : text.split(",")) {
      String[] range = item.split("-");
      DayOfWeek from = day(range[0], spec);
      DayOfWeek to = range.length > 1 ? day(range[1], spec) : from;
      for (DayOfWeek d = from; ; d = d.plus(1)) {
        days.add(d);
        if (d == to) {
          break;
        }
      }
    }
    return days;
  }

  private static DayOfWeek day(String text, String spec) {
    String upper = text.strip().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().startsWith(upper) && upper.length() >= 3) {
        return d;
      }
    }
    throw invalid(spec, "unknown day '" + text + "' (use MON, TUE, ...)");
  }

  private static IllegalArgumentException invalid(String spec, String why) {
    return new IllegalArgumentException("wavoice.calls.business-hours '" + spec + "': " + why);
  }
}
