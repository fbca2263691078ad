package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared encoder threads: daemons, named, and below the pacer's and the receive threads' priority. */
class FrameEncodersTest {

  @Test
  void encodingRunsOnLowPriorityDaemonThreads() throws Exception {
    try (FrameEncoders encoders = new FrameEncoders(1)) {
      CompletableFuture<Thread> ran = new CompletableFuture<>();
      encoders.execute(() -> ran.complete(Thread.currentThread()));
      Thread thread = ran.get(5, TimeUnit.SECONDS);
      assertThat(thread.getName()).isEqualTo("wavoice-encoder");
      assertThat(thread.isDaemon()).isTrue();
      assertThat(thread.getPriority()).isEqualTo(Thread.MIN_PRIORITY).isLessThan(Thread.NORM_PRIORITY);
    }
  }
}
