package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeliveryDeduplicatorTest {

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  @Test
  void aKeyIsFirstOnceWithinTheWindowAndAgainAfterIt() {
    ManualClock clock = new ManualClock();
    DeliveryDeduplicator dedup = new DeliveryDeduplicator(clock, Duration.ofMinutes(10), 1000);
    assertThat(dedup.firstDelivery("call|a|connect")).isTrue();
    assertThat(dedup.firstDelivery("call|a|connect")).isFalse();
    assertThat(dedup.firstDelivery("call|a|terminate")).isTrue();
    clock.now = clock.now.plus(Duration.ofMinutes(9));
    assertThat(dedup.firstDelivery("call|a|connect")).isFalse();
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    assertThat(dedup.firstDelivery("call|a|connect")).isTrue();
  }

  @Test
  void memoryIsBounded() {
    ManualClock clock = new ManualClock();
    DeliveryDeduplicator dedup = new DeliveryDeduplicator(clock, Duration.ofMinutes(10), 100);
    for (int i = 0; i < 1000; i++) {
      clock.now = clock.now.plusMillis(1);
      dedup.firstDelivery("k" + i);
    }
    assertThat(dedup.size()).isLessThanOrEqualTo(101);
    assertThat(dedup.firstDelivery("k999")).isFalse();
  }
}
