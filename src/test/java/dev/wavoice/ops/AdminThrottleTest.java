package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Wrong admin tokens from one client: refused for a minute after ten within a minute, with bounded memory. */
class AdminThrottleTest {

  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    Instant now = Instant.parse("2026-01-05T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final HandClock clock = new HandClock();
  private final AdminThrottle throttle = new AdminThrottle(clock);

  private void fail(String client, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(throttle.retryAfter(client)).as("failure %d of %s", i + 1, client).isEmpty();
      throttle.failed(client);
      clock.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void tenFailuresWithinAMinuteBlockThatClientForAMinute() {
    fail("10.0.0.1", 9);
    assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
    throttle.failed("10.0.0.1");

    assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofMinutes(1));
    assertThat(throttle.retryAfter("10.0.0.2")).as("another client").isEmpty();
    clock.advance(Duration.ofSeconds(59));
    assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
    // afresh: nine more failures are still allowed
    fail("10.0.0.1", 9);
  }

  @Test
  void failuresSpreadOverMoreThanAMinuteNeverBlock() {
    for (int i = 0; i < 30; i++) {
      assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
      throttle.failed("10.0.0.1");
      clock.advance(Duration.ofSeconds(7)); // nine per window of 60 s at most
    }
    assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
  }

  @Test
  void theRightTokenClearsTheCount() {
    fail("10.0.0.1", 9);
    throttle.succeeded("10.0.0.1");
    fail("10.0.0.1", 9);
    assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
  }

  @Test
  void memoryIsBoundedAndNewcomersBeyondTheBoundShareOneCount() {
    for (int i = 0; i < AdminThrottle.MAX_CLIENTS; i++) {
      throttle.failed("client-" + i);
    }
    assertThat(throttle.tracked()).isEqualTo(AdminThrottle.MAX_CLIENTS);
    for (int i = 0; i < AdminThrottle.MAX_FAILURES; i++) {
      throttle.failed("newcomer-" + i);
    }
    assertThat(throttle.tracked()).isEqualTo(AdminThrottle.MAX_CLIENTS + 1);
    assertThat(throttle.retryAfter("yet-another-newcomer")).as("the shared count is blocked").isPresent();
    assertThat(throttle.retryAfter("client-1")).as("a tracked client keeps its own count").isEmpty();

    // once the tracked clients' windows are over, they make room again
    clock.advance(AdminThrottle.WINDOW.plus(AdminThrottle.BLOCK));
    throttle.failed("late-client");
    assertThat(throttle.tracked()).isLessThanOrEqualTo(2);
    assertThat(throttle.retryAfter("late-client")).isEmpty();
  }
}
