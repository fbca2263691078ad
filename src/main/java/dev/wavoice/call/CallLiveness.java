package dev.wavoice.call;

import dev.wavoice.AppExecutors;
import dev.wavoice.CallId;
import dev.wavoice.ConfigValues;
import dev.wavoice.WavoiceMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * What a crash leaves behind. Every {@code wavoice.calls.alive-interval-seconds} one sweep (on the
 * application's timers, one statement for all live calls) marks the records of this instance's live calls
 * alive. The first sweep after start closes the records this instance left in progress before it started —
 * their process died (a crash, a kill) — with {@link EndReason#INTERRUPTED}, ended at the last moment each
 * call was known alive ({@code wavoice_calls_interrupted_total} counts them). While the database is away
 * the sweep tries again on its next round.
 */
@ApplicationScoped
public class CallLiveness {

  private static final Logger LOG = Logger.getLogger(CallLiveness.class.getName());
  static final String ALIVE_INTERVAL_SECONDS = "wavoice.calls.alive-interval-seconds";
  static final String INTERRUPTED = "wavoice_calls_interrupted";
  static final String DETAIL = "wavoice stopped without ending the call (crash or kill); closed when it started again";

  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService timers;
  private CallRecordStore records;
  private Supplier<Collection<CallId>> live;
  private LongConsumer interruptedCounter;
  private Clock clock;
  private Duration interval;
  private Instant startedAt;
  private volatile boolean leftoversClosed;
  private ScheduledFuture<?> task;

  protected CallLiveness() {}

  @Inject
  public CallLiveness(Config config, CallRecordStore records, CallRegistry registry, WavoiceMetrics metrics, Clock clock) {
    this(records, () -> registry.active().stream().map(ActiveCall::id).toList(),
        n -> metrics.count(INTERRUPTED, "calls whose record was closed as interrupted after wavoice died mid-call", n),
        clock, interval(config));
  }

  /** {@code live} gives the ids of this process's live calls; {@code interruptedCounter} counts the closed records. */
  public CallLiveness(CallRecordStore records, Supplier<Collection<CallId>> live, LongConsumer interruptedCounter,
      Clock clock, Duration interval) {
    this.records = records;
    this.live = live;
    this.interruptedCounter = interruptedCounter;
    this.clock = clock;
    this.interval = interval;
    // every record this instance started before now belongs to an earlier, dead process
    this.startedAt = clock.instant();
  }

  static Duration interval(Config config) {
    return Duration.ofSeconds(ConfigValues.atLeast(ConfigValues.lookup(config), ALIVE_INTERVAL_SECONDS, 5, 1));
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    task = timers.scheduleWithFixedDelay(this::sweepSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round: closes what an earlier process left in progress (until that has succeeded once), then marks the live calls alive. */
  public void sweep() {
    if (!leftoversClosed) {
      closeInterrupted();
      leftoversClosed = true;
    }
    records.markAlive(live.get(), clock.instant());
  }

  /** Closes this instance's records that were in progress before this process started; returns how many. */
  int closeInterrupted() {
    List<CallId> left = records.inProgressStartedBefore(startedAt);
    Collection<CallId> mine = live.get();
    int closed = 0;
    for (CallId id : left) {
      if (mine.contains(id)) {
        continue; // cannot happen with a cutoff at start; never close a live call's record
      }
      records.update(id, r -> r.interrupted(DETAIL));
      closed++;
      LOG.warning(() -> "call " + id + " was live when wavoice died: its record is closed as " + EndReason.INTERRUPTED);
    }
    if (closed > 0) {
      interruptedCounter.accept(closed);
    }
    return closed;
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "marking live calls alive failed; tried again in " + interval.toSeconds() + " s: " + e.getMessage());
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
