package dev.wavoice;

import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Reading and checking settings the same way in every part: a blank value counts as unset, and a wrong
 * one fails start-up naming the key and what was given.
 */
public final class ConfigValues {

  private ConfigValues() {}

  /** The value of {@code key} without surrounding blanks; empty when unset or blank. */
  public static Optional<String> text(Function<String, Optional<String>> lookup, String key) {
    return lookup.apply(key).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** The value of {@code key} in {@code config} without surrounding blanks; empty when unset or blank. */
  public static Optional<String> text(Config config, String key) {
    return text(k -> config.getOptionalValue(k, String.class), key);
  }

  /** A whole number, or {@code fallback} when unset. */
  public static long number(Function<String, Optional<String>> lookup, String key, long fallback) {
    Optional<String> value = text(lookup, key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + value.get() + "'", e);
    }
  }

  /** Looks keys up in {@code config} as text. */
  public static Function<String, Optional<String>> lookup(Config config) {
    return key -> config.getOptionalValue(key, String.class);
  }

  /** A whole number of at least {@code min}, or {@code fallback} when unset. */
  public static long atLeast(Function<String, Optional<String>> lookup, String key, long fallback, long min) {
    long value = number(lookup, key, fallback);
    check(value >= min, key, min == 0 ? "0 or more" : min + " or more", value);
    return value;
  }

  /** {@link #atLeast} for a setting held in an {@code int}. */
  public static int intAtLeast(Function<String, Optional<String>> lookup, String key, int fallback, int min) {
    long value = atLeast(lookup, key, fallback, min);
    check(value <= Integer.MAX_VALUE, key, "at most " + Integer.MAX_VALUE, value);
    return (int) value;
  }

  /** The environment variable that sets {@code key}: {@code wavoice.db.max-pending-writes} → {@code WAVOICE_DB_MAX_PENDING_WRITES}. */
  public static String envName(String key) {
    return key.toUpperCase().replace('.', '_').replace('-', '_');
  }

  /** Fails with "{@code key} must be {@code allowed}, was {@code value}" unless {@code ok}. */
  public static void check(boolean ok, String key, String allowed, long value) {
    if (!ok) {
      throw new IllegalArgumentException(key + " must be " + allowed + ", was " + value);
    }
  }
}
