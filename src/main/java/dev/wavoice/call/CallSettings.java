package dev.wavoice.call;

import static dev.wavoice.ConfigValues.check;
import static dev.wavoice.ConfigValues.number;

import dev.wavoice.audio.AudioCodec;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
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

  public static CallSettings from(Config config) {
    ZoneId zone = ZoneId.of(config.getOptionalValue("wavoice.calls.time-zone", String.class).orElse("UTC"));
    return new CallSettings(
        config.getOptionalValue("wavoice.calls.max-active", Integer.class).orElse(50),
        Duration.ofSeconds(config.getOptionalValue("wavoice.calls.media-timeout-seconds", Integer.class).orElse(20)),
        Duration.ofMillis(notNegative(config, ACCEPT_WITHOUT_MEDIA_AFTER_MS, 5000)),
        Duration.ofSeconds(notNegative(config, MAX_DURATION_SECONDS, 1800)),
        Duration.ofSeconds(notNegative(config, INACTIVITY_SECONDS, 30)),
        Duration.ofSeconds(config.getOptionalValue("wavoice.calls.outbound-answer-timeout-seconds", Integer.class).orElse(60)),
        Duration.ofSeconds(config.getOptionalValue("wavoice.calls.shutdown-grace-seconds", Integer.class).orElse(10)),
        config.getOptionalValue("wavoice.calls.blocked-numbers", String.class)
            .map(list -> Arrays.stream(list.split(","))
                .map(CallSettings::normalizeNumber)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet()))
            .orElse(Set.of()),
        config.getOptionalValue("wavoice.calls.business-hours", String.class)
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(spec -> BusinessHours.parse(spec, zone)),
        AudioCodec.fromConfig(config.getOptionalValue("wavoice.media.codec", String.class).orElse("pcmu")));
  }

  private static long notNegative(Config config, String key, long fallback) {
    long value = number(k -> config.getOptionalValue(k, String.class), key, fallback);
    check(value >= 0, key, "0 (off) or more", value);
    return value;
  }

  /** WhatsApp ids are digits without "+"; operators may write "+49 151 ...". */
  static String normalizeNumber(String number) {
    return number == null ? "" : number.replaceAll("[^0-9]", "");
  }
}
