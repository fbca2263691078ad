package dev.wavoice.bridge;

import dev.wavoice.audio.MonotonicClock;

/** A monotonic clock the test moves by hand; waiting on it jumps to the deadline. */
final class ManualClock implements MonotonicClock {

  private long now = 7_000_000_000L;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void parkUntil(long deadlineNanos) {
    now = Math.max(now, deadlineNanos);
  }

  synchronized void advance(long nanos) {
    now += nanos;
  }
}
