package dev.wavoice.call;

import dev.wavoice.AppExecutors;
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
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Retention: once at start and then daily (on the application's timers), the records and recordings of
 * calls that started more than {@code wavoice.retention.days} ago are purged
 * ({@code wavoice_retention_purged_total} counts the calls). Nothing runs with the default 0.
 */
@ApplicationScoped
public class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class.getName());
  static final long PERIOD_HOURS = 24;
  static final String PURGED = "wavoice_retention_purged";

  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService timers;
  private RetentionSettings settings;
  private CallErasure erasure;
  private LongConsumer purgedCounter;
  private Clock clock;
  private ScheduledFuture<?> task;

  protected Retention() {}

  @Inject
  public Retention(Config config, CallErasure erasure, WavoiceMetrics metrics, Clock clock) {
    this(RetentionSettings.from(ConfigValues.lookup(config)), erasure,
        n -> metrics.count(PURGED, "calls whose record and recording were purged by retention", n), clock);
  }

  /** {@code purgedCounter} counts the calls purged. */
  public Retention(RetentionSettings settings, CallErasure erasure, LongConsumer purgedCounter, Clock clock) {
    this.settings = settings;
    this.erasure = erasure;
    this.purgedCounter = purgedCounter;
    this.clock = clock;
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    if (settings.keepForever()) {
      LOG.info("retention: call records and recordings are kept until erased");
      return;
    }
    LOG.info(() -> "retention: call records and recordings older than " + settings.days() + " days are purged daily");
    task = timers.scheduleWithFixedDelay(this::purgeSafely, 1, PERIOD_HOURS * 3600, TimeUnit.SECONDS);
  }

  /** Purges what is older than the retention now; returns how many calls. */
  public int purge() {
    if (settings.keepForever()) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(settings.period());
    int purged = erasure.purgeStartedBefore(cutoff);
    if (purged > 0) {
      purgedCounter.accept(purged);
      LOG.info(() -> "retention: purged " + purged + " calls that started before " + cutoff);
    }
    return purged;
  }

  private void purgeSafely() {
    try {
      purge();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "retention: the purge failed; it runs again in " + PERIOD_HOURS + " h", e);
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
