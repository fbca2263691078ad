package dev.wavoice.media;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kurento Media Servers wavoice drives ({@code wavoice.kurento.url}), each with its own link. New
 * calls go to the connected KMS with the fewest open sessions (counted here, no request needed). Leak
 * reconciliation runs on each KMS when it connects and then periodically.
 */
public final class KurentoPool implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(KurentoPool.class.getName());

  private final KurentoSettings settings;
  private final ScheduledExecutorService scheduler;
  private final MediaMetrics metrics;
  private final PipelineReconciler reconciler;
  private final List<KmsConnection> connections = new ArrayList<>();
  private ScheduledFuture<?> reconciling;

  /** Background work (connecting, pings, reconciliation) runs on {@code scheduler}, which the caller owns. */
  public KurentoPool(KurentoSettings settings, ScheduledExecutorService scheduler, MediaMetrics metrics) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.reconciler = new PipelineReconciler(settings.instanceTag());
    for (URI url : settings.urls()) {
      connections.add(new KmsConnection(url, settings, scheduler, kms -> scheduler.execute(() -> reconcile(kms)), metrics));
    }
  }

  /** Starts connecting to every KMS in the background; returns at once. */
  public synchronized void start() {
    connections.forEach(KmsConnection::start);
    long everyS = settings.reconcileInterval().toSeconds();
    reconciling = scheduler.scheduleWithFixedDelay(this::reconcileAll, everyS, everyS, TimeUnit.SECONDS);
  }

  public KurentoSettings settings() {
    return settings;
  }

  /** The connected KMS with the fewest open sessions. */
  Optional<KmsConnection> pick() {
    return connections.stream()
        .filter(c -> c.client().isPresent())
        .min(Comparator.comparingInt(KmsConnection::openSessions));
  }

  public boolean available() {
    return connections.stream().anyMatch(c -> c.client().isPresent());
  }

  public List<KmsStatus> status() {
    return connections.stream()
        .map(c -> new KmsStatus(c.displayUrl(), c.state().name(), c.openSessions(), c.lastProblem(), c.version()))
        .toList();
  }

  public int openSessions() {
    return connections.stream().mapToInt(KmsConnection::openSessions).sum();
  }

  /** Runs leak reconciliation on every connected KMS now; returns how many pipelines it released. */
  public int reconcileAll() {
    int released = 0;
    for (KmsConnection kms : connections) {
      released += reconcile(kms);
    }
    return released;
  }

  /**
   * Releases, on every connected KMS, the pipelines of the wavoice instance tagged {@code instanceTag}
   * (a lost cluster member) except those of calls {@code live} still runs; returns how many.
   */
  public int releaseInstance(String instanceTag, Predicate<String> live) {
    int released = 0;
    for (KmsConnection kms : connections) {
      released += kms.client().map(client -> {
        try {
          return PipelineReconciler.releaseInstance(kms, client, instanceTag, live);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "releasing the pipelines of instance " + instanceTag + " on " + kms.displayUrl() + " failed", e);
          return 0;
        }
      }).orElse(0);
    }
    return released;
  }

  private int reconcile(KmsConnection kms) {
    return kms.client().map(client -> {
      try {
        int released = reconciler.reconcile(kms, client);
        if (released > 0) {
          metrics.leakedPipelinesReleased(released);
        }
        return released;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "leak reconciliation on Kurento at " + kms.displayUrl() + " failed", e);
        return 0;
      }
    }).orElse(0);
  }

  /** Stops all background work and destroys every client (Kurento then drops their sessions' objects). */
  @Override
  public synchronized void close() {
    if (reconciling != null) {
      reconciling.cancel(false);
    }
    connections.forEach(KmsConnection::close);
  }
}
