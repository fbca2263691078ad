package dev.wavoice.call;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The two timers that make every call end even when nobody tells us it did: its maximum duration, and
 * the caller's RTP stopping (a lost {@code terminate} webhook, a caller whose network went away). The
 * inactivity check reads the audio plane's packet counter a few times per limit, so the receive path
 * pays nothing for it. Each timer fires at most once; what it does is the call's business (the actions
 * hand over to the call's executor).
 */
final class CallLimits {

  private static final Duration MAX_CHECK_PERIOD = Duration.ofSeconds(1);
  private static final Duration MIN_CHECK_PERIOD = Duration.ofMillis(50);

  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private ScheduledFuture<?> maxDuration;
  private ScheduledFuture<?> inactivity;
  private boolean cancelled;

  CallLimits(ScheduledExecutorService scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** Runs {@code onExpiry} once the call has lasted {@code limit}; nothing when the limit is zero (none). */
  synchronized void armMaxDuration(Duration limit, Runnable onExpiry) {
    if (cancelled || limit.isZero() || maxDuration != null) {
      return;
    }
    maxDuration = scheduler.schedule(onExpiry, limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code onSilence} once {@code packets} (the caller's RTP packets received so far) has not moved
   * for {@code limit}, counted from now; nothing when the limit is zero (off).
   */
  synchronized void watchInactivity(Duration limit, LongSupplier packets, Runnable onSilence) {
    if (cancelled || limit.isZero() || inactivity != null) {
      return;
    }
    Duration period = limit.dividedBy(4);
    period = period.compareTo(MAX_CHECK_PERIOD) > 0 ? MAX_CHECK_PERIOD : period.compareTo(MIN_CHECK_PERIOD) < 0 ? MIN_CHECK_PERIOD : period;
    InactivityCheck check = new InactivityCheck(limit.toMillis(), packets, onSilence);
    inactivity = scheduler.scheduleAtFixedRate(check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops both timers; later arming does nothing. */
  synchronized void cancel() {
    cancelled = true;
    if (maxDuration != null) {
      maxDuration.cancel(false);
    }
    if (inactivity != null) {
      inactivity.cancel(false);
    }
  }

  private synchronized void inactivityFired() {
    if (inactivity != null) {
      inactivity.cancel(false);
    }
  }

  /** Runs on the timer thread; runs of a fixed-rate task never overlap, so its fields need no lock. */
  private final class InactivityCheck implements Runnable {
    private final long limitMs;
    private final LongSupplier packets;
    private final Runnable onSilence;
    private long lastCount;
    private long lastChangeMs;
    private boolean fired;

    InactivityCheck(long limitMs, LongSupplier packets, Runnable onSilence) {
      this.limitMs = limitMs;
      this.packets = packets;
      this.onSilence = onSilence;
      this.lastCount = packets.getAsLong();
      this.lastChangeMs = clock.millis();
    }

    @Override
    public void run() {
      if (fired) {
        return;
      }
      long count = packets.getAsLong();
      long now = clock.millis();
      if (count != lastCount) {
        lastCount = count;
        lastChangeMs = now;
      } else if (now - lastChangeMs >= limitMs) {
        fired = true;
        inactivityFired();
        onSilence.run();
      }
    }
  }
}
