package dev.wavoice.media;

import dev.wavoice.AppExecutors;
import dev.wavoice.RegisteredMetrics;
import dev.wavoice.audio.RtpLeg;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The media plane's lifetime in the app: reads {@code wavoice.kurento.*}, starts connecting to every
 * KMS when the application starts (in the background, on the managed scheduled executor, so a KMS that
 * is down never blocks deployment), produces the {@link MediaGateway}, counts leak reconciliation in
 * MicroProfile Metrics and destroys every Kurento client at shutdown.
 */
@ApplicationScoped
public class KurentoLifecycle {

  static final String LEAKED_RELEASED = "wavoice_kurento_leaked_pipelines_released";
  static final String OPEN_SESSIONS = "wavoice_kurento_sessions_open";
  static final String RECONNECTS = "wavoice_kurento_reconnects";

  private static final Logger LOG = Logger.getLogger(KurentoLifecycle.class.getName());

  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService scheduler;
  private Config config;
  private RegisteredMetrics metrics;
  private volatile KurentoPool pool;
  private volatile String configProblem;

  protected KurentoLifecycle() {}

  @Inject
  public KurentoLifecycle(Config config, RegisteredMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @PostConstruct
  void init() {
    KurentoSettings settings;
    try {
      settings = KurentoSettings.from(key -> config.getOptionalValue(key, String.class));
    } catch (IllegalArgumentException e) {
      // the app still starts; readiness names the problem and calls are refused
      configProblem = e.getMessage();
      LOG.severe(() -> "Kurento is not configured correctly: " + configProblem);
      return;
    }
    Counter leaked = metrics.counter(Metadata.builder().withName(LEAKED_RELEASED)
        .withDescription("Pipelines of this wavoice on Kurento that belonged to no open call and were released by leak reconciliation")
        .build());
    Metadata reconnects = Metadata.builder().withName(RECONNECTS)
        .withDescription("Reconnections to Kurento after the link dropped; kms_restarted=true when every pipeline on it was lost")
        .build();
    // both series exist from the start at 0, so a dashboard's increase() sees the first reconnect too
    for (boolean restarted : new boolean[] {false, true}) {
      metrics.counter(reconnects, new Tag("kms_restarted", Boolean.toString(restarted)));
    }
    pool = new KurentoPool(settings, scheduler, new MediaMetrics() {
      @Override
      public void leakedPipelinesReleased(int count) {
        leaked.inc(count);
      }

      @Override
      public void reconnected(boolean kmsRestarted) {
        metrics.counter(reconnects, new Tag("kms_restarted", Boolean.toString(kmsRestarted))).inc();
      }
    });
    KurentoPool kms = pool;
    metrics.gauge(Metadata.builder().withName(OPEN_SESSIONS).withDescription("Calls with a media pipeline on Kurento").build(),
        kms::openSessions);
  }

  /** Application start: connect in the background. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    KurentoPool p = pool;
    if (p != null) {
      p.start();
      LOG.info(() -> "connecting to Kurento at " + p.settings().urls().stream().map(KurentoSettings::display).toList()
          + " in the background");
    }
  }

  @Produces
  @ApplicationScoped
  MediaGateway mediaGateway() {
    KurentoPool p = pool;
    if (p == null) {
      return new UnconfiguredGateway(configProblem);
    }
    return new KurentoMediaGateway(p);
  }


  /** Each KMS and its state, for readiness; empty when the configuration is invalid. */
  public List<KmsStatus> status() {
    KurentoPool p = pool;
    return p == null ? List.of() : p.status();
  }

  /**
   * Releases the pipelines another wavoice instance left on Kurento (a cluster member that was lost),
   * except those of calls {@code live} says still run; returns how many. 0 when Kurento is not configured.
   */
  public int releasePipelinesOf(String instanceTag, Predicate<String> live) {
    KurentoPool p = pool;
    return p == null ? 0 : p.releaseInstance(instanceTag, live);
  }

  /** Why the Kurento settings are unusable, or null when they are fine. */
  public String configProblem() {
    return configProblem;
  }

  @PreDestroy
  void stop() {
    KurentoPool p = pool;
    if (p != null) {
      p.close();
    }
  }

  /** The gateway when {@code wavoice.kurento.*} is invalid: every call is refused with the reason. */
  private record UnconfiguredGateway(String problem) implements MediaGateway {

    @Override
    public MediaSession answer(dev.wavoice.CallId callId, String remoteOffer, RtpLeg rtpLeg, MediaListener listener) {
      throw new MediaException(MediaException.Reason.KMS_UNAVAILABLE, "Kurento is not configured: " + problem);
    }

    @Override
    public MediaSession offer(dev.wavoice.CallId callId, RtpLeg rtpLeg, MediaListener listener) {
      throw new MediaException(MediaException.Reason.KMS_UNAVAILABLE, "Kurento is not configured: " + problem);
    }

    @Override
    public boolean available() {
      return false;
    }
  }
}
