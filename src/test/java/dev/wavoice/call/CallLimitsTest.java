package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timers that end calls: maximum duration, and inactivity read from the caller's packet counter. */
class CallLimitsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final MovableClock clock = new MovableClock();
  private final CallLimits limits = new CallLimits(scheduler, clock);
  private final AtomicInteger fired = new AtomicInteger();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void theMaximumDurationFiresOnce() {
    limits.armMaxDuration(Duration.ofMillis(20), fired::incrementAndGet);
    limits.armMaxDuration(Duration.ofMillis(20), fired::incrementAndGet); // armed already: ignored
    Await.until(WAIT, "the limit reached", () -> fired.get() == 1);
    limits.cancel();
    assertThat(fired).hasValue(1);
  }

  @Test
  void aCallerWhosePacketsStopIsReportedOnceTheLimitHasPassed() {
    AtomicInteger reads = new AtomicInteger();
    limits.watchInactivity(Duration.ofMillis(400), () -> {
      reads.incrementAndGet();
      return 42; // no packet moves
    }, fired::incrementAndGet);
    Await.until(WAIT, "a few checks", () -> reads.get() >= 3);
    assertThat(fired).as("the clock has not moved: not silent for long yet").hasValue(0);
    clock.advance(Duration.ofMillis(399));
    int readsThen = reads.get();
    Await.until(WAIT, "more checks", () -> reads.get() >= readsThen + 2);
    assertThat(fired).hasValue(0);
    clock.advance(Duration.ofMillis(1));
    Await.until(WAIT, "silence reported", () -> fired.get() == 1);
  }

  @Test
  void aCallerWhosePacketsKeepComingIsNeverReported() {
    AtomicLong packets = new AtomicLong();
    AtomicInteger reads = new AtomicInteger();
    limits.watchInactivity(Duration.ofMillis(200), () -> {
      reads.incrementAndGet();
      clock.advance(Duration.ofMillis(100)); // time between checks, with packets in it
      return packets.incrementAndGet();
    }, fired::incrementAndGet);
    Await.until(WAIT, "ten checks over five times the limit", () -> reads.get() >= 10);
    assertThat(fired).hasValue(0);
  }

  @Test
  void zeroMeansOffAndCancelledLimitsStayOff() {
    limits.armMaxDuration(Duration.ZERO, fired::incrementAndGet);
    limits.watchInactivity(Duration.ZERO, () -> { throw new AssertionError("not watched"); }, fired::incrementAndGet);
    limits.cancel();
    limits.armMaxDuration(Duration.ofMillis(1), fired::incrementAndGet);
    AtomicInteger reads = new AtomicInteger();
    limits.watchInactivity(Duration.ofMillis(200), reads::incrementAndGet, fired::incrementAndGet);
    // a marker task queued after anything the limits might have scheduled
    AtomicInteger marker = new AtomicInteger();
    scheduler.schedule(marker::incrementAndGet, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
    Await.until(WAIT, "the marker task", () -> marker.get() == 1);
    assertThat(fired).hasValue(0);
    assertThat(reads).hasValue(0);
  }

  private static final class MovableClock extends Clock {
    private final AtomicLong millis = new AtomicLong(1_000_000);

    void advance(Duration by) {
      millis.addAndGet(by.toMillis());
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
