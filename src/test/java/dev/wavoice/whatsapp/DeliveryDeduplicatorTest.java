package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Test
  void aDeliveryTakenForProcessingIsHandedOffOnce() {
    DeliveryDeduplicator dedup = new DeliveryDeduplicator(new ManualClock(), Duration.ofMinutes(10), 1000);
    AtomicInteger handedOff = new AtomicInteger();
    assertThat(dedup.handOffOnce("call|a|connect", () -> {
      handedOff.incrementAndGet();
      return new CompletableFuture<>(); // taken, still being handled
    })).isTrue();
    assertThat(dedup.handOffOnce("call|a|connect", () -> {
      handedOff.incrementAndGet();
      return new CompletableFuture<>();
    })).isFalse();
    assertThat(handedOff).hasValue(1);
  }

  @Test
  void aHandOffRefusedOnTheSpotIsNotRememberedSoTheRedeliveryIsHandedOff() {
    DeliveryDeduplicator dedup = new DeliveryDeduplicator(new ManualClock(), Duration.ofMinutes(10), 1000);
    assertThatThrownBy(() -> dedup.handOffOnce("call|a|terminate", () -> {
      throw new RejectedExecutionException("no thread free");
    })).isInstanceOf(DeliveryDeduplicator.HandOffRefused.class).hasMessageContaining("call|a|terminate");
    AtomicInteger handedOff = new AtomicInteger();
    assertThat(dedup.handOffOnce("call|a|terminate", () -> {
      handedOff.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    })).isTrue();
    assertThat(handedOff).hasValue(1);
    assertThat(dedup.firstDelivery("call|a|terminate")).isFalse();
  }

  @Test
  void aHandOffNoThreadTookLaterIsForgottenButAFailedHandlingIsNot() {
    DeliveryDeduplicator dedup = new DeliveryDeduplicator(new ManualClock(), Duration.ofMinutes(10), 1000);
    CompletableFuture<Void> notTaken = new CompletableFuture<>();
    CompletableFuture<Void> handledBadly = new CompletableFuture<>();
    assertThat(dedup.handOffOnce("call|a|connect", () -> notTaken)).isTrue();
    assertThat(dedup.handOffOnce("call|b|connect", () -> handledBadly)).isTrue();

    notTaken.completeExceptionally(new java.util.concurrent.CompletionException(new RejectedExecutionException("pool shut down")));
    handledBadly.completeExceptionally(new IllegalStateException("the observer failed"));

    assertThat(dedup.firstDelivery("call|a|connect")).as("never taken: the redelivery counts").isTrue();
    assertThat(dedup.firstDelivery("call|b|connect")).as("taken, then failed: a redelivery would repeat it").isFalse();
  }
}
