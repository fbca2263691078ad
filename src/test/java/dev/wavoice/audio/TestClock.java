package dev.wavoice.audio;

/**
 * A monotonic clock the test moves by hand. {@link #parkUntil} does not wait: it jumps to the deadline,
 * plus a lateness the test may script for the next wake-up (a thread that woke late).
 */
final class TestClock implements MonotonicClock {

  private long now = 5_000_000_000L;
  private long nextLateness;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void parkUntil(long deadlineNanos) {
    now = Math.max(now, deadlineNanos) + nextLateness;
    nextLateness = 0;
  }

  synchronized void advance(long nanos) {
    now += nanos;
  }

  /** The next {@link #parkUntil} wakes this much after its deadline. */
  synchronized void wakeLate(long nanos) {
    nextLateness = nanos;
  }
}
