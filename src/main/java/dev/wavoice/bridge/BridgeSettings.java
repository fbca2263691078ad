package dev.wavoice.bridge;

import static dev.wavoice.ConfigValues.number;
import static dev.wavoice.ConfigValues.check;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The bridge's settings, checked and immutable. See {@code docs/configuration.md} and {@code docs/bridge.md}.
 *
 * @param appendBatchMs caller audio per {@code input_audio_buffer.append}: 20 or 40 ms
 * @param playoutDelayMs bot audio sent but not yet heard when the caller barges in (Kurento's jitter
 *     buffer): subtracted from the ms sent before truncating
 * @param endCallDrainTimeout longest wait for the goodbye to leave before the end request goes anyway
 * @param endCallTail wait after the goodbye's last frame left, so the caller hears it before the call ends
 */
public record BridgeSettings(int appendBatchMs, int playoutDelayMs, Duration endCallDrainTimeout, Duration endCallTail) {

  public static final String APPEND_BATCH_MS = "wavoice.bridge.append-batch-ms";
  public static final String PLAYOUT_DELAY_MS = "wavoice.bridge.playout-delay-ms";
  public static final String END_CALL_DRAIN_TIMEOUT_MS = "wavoice.bridge.end-call-drain-timeout-ms";
  public static final String END_CALL_TAIL_MS = "wavoice.bridge.end-call-tail-ms";

  static final int DEFAULT_APPEND_BATCH_MS = 40;
  /** Kurento's RtpEndpoint holds received audio in a 100 ms jitter buffer (kmsbasertpendpoint.c, JB_READY_AUDIO_LATENCY). */
  static final int DEFAULT_PLAYOUT_DELAY_MS = 100;
  static final long DEFAULT_END_CALL_DRAIN_TIMEOUT_MS = 30_000;
  static final long DEFAULT_END_CALL_TAIL_MS = 500;

  public BridgeSettings {
    Objects.requireNonNull(endCallDrainTimeout, "endCallDrainTimeout");
    Objects.requireNonNull(endCallTail, "endCallTail");
    check(appendBatchMs == 20 || appendBatchMs == 40, APPEND_BATCH_MS, "20 or 40", appendBatchMs);
    check(playoutDelayMs >= 0 && playoutDelayMs <= 1000, PLAYOUT_DELAY_MS, "0..1000", playoutDelayMs);
    long drainMs = endCallDrainTimeout.toMillis();
    check(drainMs >= 1000 && drainMs <= 300_000, END_CALL_DRAIN_TIMEOUT_MS, "1000..300000", drainMs);
    long tailMs = endCallTail.toMillis();
    check(tailMs >= 0 && tailMs <= 5000, END_CALL_TAIL_MS, "0..5000", tailMs);
  }

  /** The defaults, as documented. */
  public static BridgeSettings defaults() {
    return from(key -> Optional.empty());
  }

  /** Reads the settings through {@code lookup} (e.g. MicroProfile Config); a bad value fails naming its key. */
  public static BridgeSettings from(Function<String, Optional<String>> lookup) {
    return new BridgeSettings(
        (int) number(lookup, APPEND_BATCH_MS, DEFAULT_APPEND_BATCH_MS),
        (int) number(lookup, PLAYOUT_DELAY_MS, DEFAULT_PLAYOUT_DELAY_MS),
        Duration.ofMillis(number(lookup, END_CALL_DRAIN_TIMEOUT_MS, DEFAULT_END_CALL_DRAIN_TIMEOUT_MS)),
        Duration.ofMillis(number(lookup, END_CALL_TAIL_MS, DEFAULT_END_CALL_TAIL_MS)));
  }

}
