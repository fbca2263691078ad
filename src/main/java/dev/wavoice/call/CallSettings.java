package dev.wavoice.call;

import static dev.wavoice.ConfigValues.check;
import static dev.wavoice.ConfigValues.atLeast;
import static dev.wavoice.ConfigValues.number;
import static dev.wavoice.ConfigValues.text;

import dev.wavoice.ConfigValues;

import dev.wavoice.audio.AudioCodec;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * The call layer's limits and policy, from {@code wavoice.calls.*} (and the codec from {@code wavoice.media.codec}).
 * {@code acceptWithoutMediaAfter}, {@code maxDuration} and {@code inactivity} are {@link Duration#ZERO} when off.
 */
public record CallSettings(
    int maxActive,
    Duration mediaTimeout,
    Duration acceptWithoutMediaAfter,
    Duration maxDuration,
    Duration inactivity,
    Duration outboundAnswerTimeout,
    Duration shutdownGrace,
    Set<String> blockedNumbers,
    Optional<BusinessHours> businessHours,
    AudioCodec codec) {

  static final String ACCEPT_WITHOUT_MEDIA_AFTER_MS = "wavoice.calls.accept-without-media-after-ms";
  static final String MAX_DURATION_SECONDS = "wavoice.calls.max-duration-seconds";
  static final String INACTIVITY_SECONDS = "wavoice.calls.inactivity-seconds";

  static final String MAX_ACTIVE = "wavoice.calls.max-active";
  static final String MEDIA_TIMEOUT_SECONDS = "wavoice.calls.media-timeout-seconds";
  static final String OUTBOUND_ANSWER_TIMEOUT_SECONDS = "wavoice.calls.outbound-answer-timeout-seconds";
  static final String SHUTDOWN_GRACE_SECONDS = "wavoice.calls.shutdown-grace-seconds";
  static final String BLOCKED_NUMBERS = "wavoice.calls.blocked-numbers";
  static final String BUSINESS_HOURS = "wavoice.calls.business-hours";
  static final String TIME_ZONE = "wavoice.calls.time-zone";
  static final String CODEC = "wavoice.media.codec";

  /** Reads and checks the settings: a bad value fails naming its key. */
  public static CallSettings from(Config config) {
    Function<String, Optional<String>> lookup = ConfigValues.lookup(config);
    ZoneId zone = named(TIME_ZONE, () -> ZoneId.of(text(lookup, TIME_ZONE).orElse("UTC")));
    return new CallSettings(
        ConfigValues.intAtLeast(lookup, MAX_ACTIVE, 50, 1),
        Duration.ofSeconds(atLeast(lookup, MEDIA_TIMEOUT_SECONDS, 20, 1)),
        Duration.ofMillis(notNegative(lookup, ACCEPT_WITHOUT_MEDIA_AFTER_MS, 5000)),
        Duration.ofSeconds(notNegative(lookup, MAX_DURATION_SECONDS, 1800)),
        Duration.ofSeconds(notNegative(lookup, INACTIVITY_SECONDS, 30)),
        Duration.ofSeconds(atLeast(lookup, OUTBOUND_ANSWER_TIMEOUT_SECONDS, 60, 1)),
        Duration.ofSeconds(atLeast(lookup, SHUTDOWN_GRACE_SECONDS, 10, 0)),
        text(lookup, BLOCKED_NUMBERS)
            .map(list -> Arrays.stream(list.split(","))
                .map(CallSettings::normalizeNumber)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet()))
            .orElse(Set.of()),
        text(lookup, BUSINESS_HOURS).map(spec -> named(BUSINESS_HOURS, () -> BusinessHours.parse(spec, zone))),
        AudioCodec.fromConfig(text(lookup, CODEC).orElse("pcmu")));
  }

  private static long notNegative(Function<String, Optional<String>> lookup, String key, long fallback) {
    long value = number(lookup, key, fallback);
    check(value >= 0, key, "0 (off) or more", value);
    return value;
  }

  /** What {@code read} makes of the value of {@code key}, or a failure naming the key. */
  private static <T> T named(String key, Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  /** WhatsApp ids are digits without "+"; operators may write "+49 151 ...". */
  static String normalizeNumber(String number) {
    return number == null ? "" : number.replaceAll("[^0-9]", "");
  }
}
