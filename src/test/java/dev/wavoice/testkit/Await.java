package dev.wavoice.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; never a fixed sleep. */
public final class Await {

  private static final Duration POLL = Duration.ofMillis(25);

  private Await() {}

  public static void until(Duration deadline, String what, BooleanSupplier condition) {
    value(deadline, what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }

  /** Polls until the supplier returns non-null, and returns that value. */
  public static <T> T value(Duration deadline, String what, Supplier<T> supplier) {
    long end = System.nanoTime() + deadline.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        T value = supplier.get();
        if (value != null) {
          return value;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() > end) {
        AssertionError failure = new AssertionError("timed out after " + deadline + " waiting for " + what);
        if (last != null) {
          failure.initCause(last);
        }
        throw failure;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
