package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The webhook's own threads: a bounded backlog that refuses when full, and a drain at shutdown. */
class WebhookWorkTest {

  @Test
  void aFullBacklogRefusesAtOnceSoTheWebhookCanAnswer500() throws Exception {
    WebhookWork work = new WebhookWork();
    work.start(Executors.defaultThreadFactory());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(WebhookWork.THREADS);
    try {
      for (int i = 0; i < WebhookWork.THREADS; i++) {
        work.execute(() -> {
          busy.countDown();
          await(release);
        });
      }
      assertThat(busy.await(10, TimeUnit.SECONDS)).as("every thread busy").isTrue();
      for (int i = 0; i < WebhookWork.QUEUE; i++) {
        work.execute(() -> { });
      }
      assertThatThrownBy(() -> work.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    } finally {
      release.countDown();
      assertThat(work.drain(Duration.ofSeconds(10))).isZero();
    }
  }

  @Test
  void atShutdownWhatWasTakenIsHandledAndNewDeliveriesAreRefused() {
    WebhookWork work = new WebhookWork();
    work.start(Executors.defaultThreadFactory());
    AtomicInteger handled = new AtomicInteger();
    for (int i = 0; i < 100; i++) {
      work.execute(handled::incrementAndGet);
    }
    assertThat(work.drain(Duration.ofSeconds(10))).as("nothing dropped").isZero();
    assertThat(handled).hasValue(100);
    assertThatThrownBy(() -> work.execute(handled::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void whatCannotBeHandledWithinTheDrainIsDroppedAndCounted() {
    WebhookWork work = new WebhookWork();
    work.start(Executors.defaultThreadFactory());
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < WebhookWork.THREADS + 3; i++) {
      work.execute(() -> await(never)); // stuck until interrupted by the drain's end
    }
    assertThat(work.drain(Duration.ofMillis(200))).as("the three still queued").isEqualTo(3);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
