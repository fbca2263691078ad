package dev.wavoice.doctor;

import dev.wavoice.AppExecutors;
import dev.wavoice.RequiredSettings;
import dev.wavoice.call.CallRecordStore;
import dev.wavoice.media.KurentoLifecycle;
import dev.wavoice.realtime.ModelAccessProbe;
import dev.wavoice.realtime.RealtimeConfig;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import dev.wavoice.whatsapp.WebhookTraffic;
import dev.wavoice.whatsapp.WhatsAppConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.wavoice.ConfigValues;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The doctor in the application: examines the setup on request and once at start-up, in the
 * background ({@code wavoice.doctor.startup-delay-seconds} after deployment, so it never delays it and
 * Kurento has had a moment to connect), logging one line per failing check. Keeps the last report for
 * the readiness details.
 */
@ApplicationScoped
public class DoctorService {

  public static final String TIMEOUT_MS = "wavoice.doctor.timeout-ms";
  public static final String STARTUP_DELAY_SECONDS = "wavoice.doctor.startup-delay-seconds";

  /** Records read for media-path: enough to find the last WhatsApp calls among softphone ones. */
  private static final int RECENT_CALLS = 50;

  private static final Logger LOG = Logger.getLogger(DoctorService.class.getName());

  @Resource(lookup = AppExecutors.WORK) private ManagedExecutorService executor;
  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService scheduler;

  private Config config;
  private WhatsAppConfig whatsapp;
  private Instance<RequiredSettings> required;
  private WebhookTraffic traffic;
  private KurentoLifecycle kurento;
  private RealtimeConfig realtime;
  private PrerequisiteSightings sightings;
  private CallRecordStore records;
  private Jsonb jsonb;
  private Clock clock;
  private Instant startedAt;
  private Timing timing;
  private volatile Doctor doctor;
  private final AtomicReference<DoctorReport> last = new AtomicReference<>();

  protected DoctorService() {}

  @Inject
  public DoctorService(Config config, WhatsAppConfig whatsapp, @Any Instance<RequiredSettings> required, WebhookTraffic traffic,
      KurentoLifecycle kurento, RealtimeConfig realtime, PrerequisiteSightings sightings, CallRecordStore records, Jsonb jsonb,
      Clock clock) {
    this.config = config;
    this.whatsapp = whatsapp;
    this.required = required;
    this.traffic = traffic;
    this.kurento = kurento;
    this.realtime = realtime;
    this.sightings = sightings;
    this.records = records;
    this.jsonb = jsonb;
    this.clock = clock;
  }

  @PostConstruct
  void init() {
    startedAt = clock.instant();
    // read and checked at deploy (the start-up run below creates this bean): a bad value names its key
    timing = Timing.from(ConfigValues.lookup(config));
  }

  /** When the doctor first runs after start-up, and its deadline for each run. */
  record Timing(long startupDelaySeconds, Duration timeout) {

    static Timing from(Function<String, Optional<String>> lookup) {
      return new Timing(ConfigValues.atLeast(lookup, STARTUP_DELAY_SECONDS, 5, 0),
          Duration.ofMillis(ConfigValues.atLeast(lookup, TIMEOUT_MS, 8000, 1)));
    }
  }

  /** Application start: one examination in the background. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    long delay = timing.startupDelaySeconds();
    scheduler.schedule(() -> {
      try {
        examine();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the start-up doctor could not run", e);
      }
    }, Math.max(0, delay), TimeUnit.SECONDS);
  }

  /** Examines the setup now; logs a line per failing check and keeps the report. */
  public DoctorReport examine() {
    DoctorReport report = doctor().examine();
    last.set(report);
    log(report);
    return report;
  }

  /** The last report, if the doctor has run. */
  public Optional<DoctorReport> last() {
    return Optional.ofNullable(last.get());
  }

  public DoctorSettings settings() {
    return doctor().settings();
  }

  private static void log(DoctorReport report) {
    List<DoctorCheck> failing = report.failing();
    if (failing.isEmpty()) {
      LOG.info(() -> "doctor: all " + report.checks().size() + " checks pass" + (report.checks().stream()
          .anyMatch(c -> c.status() == CheckStatus.WARN) ? " or warn" : "") + "; ready for calls");
      return;
    }
    for (DoctorCheck check : failing) {
      LOG.warning(() -> "doctor: " + check.id() + " " + check.status() + ": " + check.summary() + " | fix: " + check.fix());
    }
  }

  private Doctor doctor() {
    Doctor current = doctor;
    if (current == null) {
      synchronized (this) {
        if (doctor == null) {
          doctor = build();
        }
        current = doctor;
      }
    }
    return current;
  }

  private Doctor build() {
    Duration timeout = timing.timeout();
    DoctorSettings settings = new DoctorSettings(whatsapp.graph().phoneNumberId(), whatsapp.wabaId(), whatsapp.appId(),
        whatsapp.publicUrl(), whatsapp.graph().accessToken(), whatsapp.appAccessToken(), whatsapp.missingDoctorKeys(),
        timeout);
    // one attempt per read: the doctor reports what it sees now, and has its own deadline
    GraphApi reads = new GraphApi(whatsapp.graph().with(timeout, 0), jsonb);
    ModelAccessProbe probe = new ModelAccessProbe(
        HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build(), jsonb);
    Doctor.Sources sources = new Doctor.Sources(this::missingRequiredKeys, traffic, startedAt, kurento::status,
        kurento::configProblem, realtime::modelAccessTarget, probe, sightings, () -> records.recent(RECENT_CALLS));
    return new Doctor(settings, reads, sources, clock, executor);
  }

  private List<String> missingRequiredKeys() {
    return RequiredSettings.missingIn(required);
  }
}
