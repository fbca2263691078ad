package dev.wavoice.ops;

import dev.wavoice.whatsapp.CallingSettingsRules;
import dev.wavoice.whatsapp.GraphMessages.CallHours;
import dev.wavoice.whatsapp.GraphMessages.CallingSettings;
import dev.wavoice.whatsapp.GraphMessages.HolidayClosure;
import dev.wavoice.whatsapp.GraphMessages.WeeklyHours;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code PUT /api/settings/calling} strictly: every property must be one the
 * settings have (so a typo is an error, not silently ignored) and of the right JSON type. Meta's value
 * rules are checked afterwards by {@link CallingSettingsRules}.
 */
final class CallingSettingsJson {

  private static final Set<String> TOP = Set.of("status", "callIconVisibility", "callbackPermissionStatus", "callHours");
  private static final Set<String> HOURS = Set.of("status", "timezoneId", "weeklyOperatingHours", "holidaySchedule");
  private static final Set<String> WINDOW = Set.of("dayOfWeek", "openTime", "closeTime");
  private static final Set<String> HOLIDAY = Set.of("date", "startTime", "endTime");

  private CallingSettingsJson() {}

  /** @throws CallingSettingsRules.Invalid naming every unknown or mistyped property, and what breaks Meta's rules */
  static CallingSettings read(JsonObject body) {
    List<String> problems = new ArrayList<>();
    keys(problems, "", body, TOP);
    if (body.containsKey("sip")) {
      problems.add("sip: not changed through wavoice (SIP on turns the calling API off)");
    }
    CallHours hours = null;
    JsonObject hoursJson = object(problems, "callHours", body.get("callHours"));
    if (hoursJson != null) {
      keys(problems, "callHours.", hoursJson, HOURS);
      List<WeeklyHours> weekly = null;
      JsonArray weeklyJson = array(problems, "callHours.weeklyOperatingHours", hoursJson.get("weeklyOperatingHours"));
      if (weeklyJson != null) {
        weekly = new ArrayList<>();
        for (int i = 0; i < weeklyJson.size(); i++) {
          String field = "callHours.weeklyOperatingHours[" + i + "]";
          JsonObject window = object(problems, field, weeklyJson.get(i));
          if (window != null) {
            keys(problems, field + ".", window, WINDOW);
            weekly.add(new WeeklyHours(text(problems, field + ".dayOfWeek", window), text(problems, field + ".openTime", window),
                text(problems, field + ".closeTime", window)));
          }
        }
      }
      List<HolidayClosure> holidays = null;
      JsonArray holidaysJson = array(problems, "callHours.holidaySchedule", hoursJson.get("holidaySchedule"));
      if (holidaysJson != null) {
        holidays = new ArrayList<>();
        for (int i = 0; i < holidaysJson.size(); i++) {
          String field = "callHours.holidaySchedule[" + i + "]";
          JsonObject closure = object(problems, field, holidaysJson.get(i));
          if (closure != null) {
            keys(problems, field + ".", closure, HOLIDAY);
            holidays.add(new HolidayClosure(text(problems, field + ".date", closure), text(problems, field + ".startTime", closure),
                text(problems, field + ".endTime", closure)));
          }
        }
      }
      hours = new CallHours(text(problems, "callHours.status", hoursJson), text(problems, "callHours.timezoneId", hoursJson),
          weekly, holidays);
    }
    CallingSettings settings = new CallingSettings(text(problems, "status", body), text(problems, "callIconVisibility", body),
        text(problems, "callbackPermissionStatus", body), hours, null);
    if (!problems.isEmpty()) {
      // one answer names everything wrong: the shape and, for what could be read, Meta's rules
      List<String> shapeFields = problems.stream().map(CallingSettingsJson::field).toList();
      CallingSettingsRules.problems(settings).stream()
          .filter(p -> shapeFields.stream().noneMatch(f -> within(field(p), f)))
          .forEach(problems::add);
      throw new CallingSettingsRules.Invalid(problems);
    }
    return settings;
  }

  private static String field(String problem) {
    int colon = problem.indexOf(':');
    return colon < 0 ? problem : problem.substring(0, colon);
  }

  /** Whether {@code field} is {@code outer} or lies inside it (a property or element of it). */
  private static boolean within(String field, String outer) {
    return field.equals(outer) || field.startsWith(outer + ".") || field.startsWith(outer + "[");
  }

  private static void keys(List<String> problems, String prefix, JsonObject object, Set<String> known) {
    for (String key : object.keySet()) {
      if (!known.contains(key) && !(prefix.isEmpty() && key.equals("sip"))) {
        problems.add(prefix + key + ": unknown property (known: " + known.stream().sorted().toList() + ")");
      }
    }
  }

  private static String text(List<String> problems, String field, JsonObject object) {
    String name = field.substring(field.lastIndexOf('.') + 1);
    JsonValue value = object.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value instanceof JsonString string) {
      return string.getString();
    }
    problems.add(field + ": must be a string");
    return null;
  }

  private static JsonObject object(List<String> problems, String field, JsonValue value) {
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      problems.add(field + ": must be an object");
      return null;
    }
    return value.asJsonObject();
  }

  private static JsonArray array(List<String> problems, String field, JsonValue value) {
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      problems.add(field + ": must be an array");
      return null;
    }
    return value.asJsonArray();
  }
}
