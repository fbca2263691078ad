package dev.wavoice.audio;

import java.util.concurrent.locks.LockSupport;

/**
 * Monotonic time in nanoseconds and a way to wait for a point of it. The pacer and the receive path
 * take it injected, so tests drive time by hand (no real waiting) and production uses
 * {@link #system()}.
 */
public interface MonotonicClock {

  /** Nanoseconds from an arbitrary origin; only differences mean anything. */
  long nanoTime();

  /** Returns once {@link #nanoTime()} has reached {@code deadlineNanos} (at once if it has). */
  void parkUntil(long deadlineNanos) throws InterruptedException;

  /** {@link System#nanoTime()}, waiting with {@link LockSupport#parkNanos(long)}. */
  static MonotonicClock system() {
    return SystemClock.INSTANCE;
  }

  /** The system's monotonic clock. */
  enum SystemClock implements MonotonicClock {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void parkUntil(long deadlineNanos) throws InterruptedException {
      long remaining;
      while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
        LockSupport.parkNanos(this, remaining); // may return early (spurious wake-up): loop
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }
  }
}
