package dev.wavoice.testkit;

import java.time.Instant;

/**
 * The wall clock in nanoseconds since the Unix epoch: the one clock the processes of a latency run (the
 * WhatsApp peers in Go, the OpenAI double, the benchmark) all read, so their times can be compared.
 */
public final class WallClock {

  private WallClock() {}

  public static long nanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
