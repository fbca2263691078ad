package dev.wavoice.call;

import static dev.wavoice.ConfigValues.check;
import static dev.wavoice.ConfigValues.number;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How long call records and recordings are kept: {@code wavoice.retention.days}, 0 (the default) to keep
 * them until erased.
 */
public record RetentionSettings(int days) {

  public static final String DAYS = "wavoice.retention.days";

  public RetentionSettings {
    check(days >= 0 && days <= 36_500, DAYS, "0..36500", days);
  }

  public static RetentionSettings from(Function<String, Optional<String>> lookup) {
    long days = number(lookup, DAYS, 0);
    check(days >= 0 && days <= 36_500, DAYS, "0..36500", days);
    return new RetentionSettings((int) days);
  }

  public boolean keepForever() {
    return days == 0;
  }

  public Duration period() {
    return Duration.ofDays(days);
  }
}
