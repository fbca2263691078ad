package dev.wavoice.call;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Writes a live call's transcript as it grows, so a crash keeps the lines spoken so far: the first line
 * after a write arms one write {@link #BATCH} later, which takes every line that came meanwhile — at most
 * one database write per second per call, never one per line, and none on the thread that heard the line.
 */
final class TranscriptWrites {

  static final Duration BATCH = Duration.ofSeconds(1);

  private final BiConsumer<Duration, Runnable> later;
  private final Runnable write;
  private final AtomicBoolean armed = new AtomicBoolean();

  /**
   * {@code later} runs a task after a delay (the application's timers); {@code write} writes the lines so
   * far and must hand itself to the call's executor.
   */
  TranscriptWrites(BiConsumer<Duration, Runnable> later, Runnable write) {
    this.later = later;
    this.write = write;
  }

  /** A line was added: a write follows within {@link #BATCH}. */
  void lineAdded() {
    if (armed.compareAndSet(false, true)) {
      later.accept(BATCH, () -> {
        armed.set(false); // lines from now on arm the next write
        write.run();
      });
    }
  }
}
