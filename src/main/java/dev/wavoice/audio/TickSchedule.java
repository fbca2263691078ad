package dev.wavoice.audio;

/**
 * The pacer's grid of tick times, every {@code periodNanos} from a start point, and how well the
 * thread kept to it. A late wake-up still gives exactly one tick; the next deadline stays on the
 * ideal grid, and grid points already missed are skipped (counted), never caught up with a burst.
 * Lateness goes into a histogram with 100 µs buckets up to one period. Single writer (the pacer
 * thread); readers get copies.
 */
final class TickSchedule {

  static final long BUCKET_NANOS = 100_000;

  private final long periodNanos;
  private final long[] latenessBuckets;
  private long deadline;

  private volatile long ticks;
  private volatile long skipped;
  private volatile long maxLatenessNanos;

  TickSchedule(long periodNanos) {
    this.periodNanos = periodNanos;
    this.latenessBuckets = new long[(int) (periodNanos / BUCKET_NANOS) + 1];
  }

  /** Starts the grid: the first tick is due at {@code nowNanos}. */
  void restart(long nowNanos) {
    deadline = nowNanos;
  }

  long deadline() {
    return deadline;
  }

  /**
   * Records a wake-up at {@code nowNanos} for the current deadline, moves to the next grid point
   * after {@code nowNanos}, and returns how late the wake-up was.
   */
  long onWake(long nowNanos) {
    long lateness = Math.max(0, nowNanos - deadline);
    deadline += periodNanos;
    if (nowNanos - deadline >= 0) {
      long missed = (nowNanos - deadline) / periodNanos + 1;
      deadline += missed * periodNanos;
      skipped += missed;
    }
    ticks++;
    if (lateness > maxLatenessNanos) {
      maxLatenessNanos = lateness;
    }
    int bucket = (int) Math.min(latenessBuckets.length - 1, lateness / BUCKET_NANOS);
    synchronized (latenessBuckets) {
      latenessBuckets[bucket]++;
    }
    return lateness;
  }

  long ticks() {
    return ticks;
  }

  long skipped() {
    return skipped;
  }

  long maxLatenessNanos() {
    return maxLatenessNanos;
  }

  /** The lateness below which {@code fraction} of the ticks woke, to the bucket's upper edge. */
  long latenessQuantileNanos(double fraction) {
    long[] copy;
    synchronized (latenessBuckets) {
      copy = latenessBuckets.clone();
    }
    long total = 0;
    for (long count : copy) {
      total += count;
    }
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(fraction * total);
    long seen = 0;
    for (int i = 0; i < copy.length; i++) {
      seen += copy[i];
      if (seen >= rank) {
        return i == copy.length - 1 ? maxLatenessNanos : (i + 1) * BUCKET_NANOS;
      }
    }
    return maxLatenessNanos;
  }
}
