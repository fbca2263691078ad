package dev.wavoice.call;

import dev.wavoice.AppExecutors;
import dev.wavoice.CallId;
import dev.wavoice.bridge.BridgeFactory;
import dev.wavoice.media.MediaGateway;
import dev.wavoice.WavoiceMetrics;
import dev.wavoice.whatsapp.CallStatusReceived;
import dev.wavoice.whatsapp.CallWebhookReceived;
import dev.wavoice.whatsapp.Contact;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.Prerequisite;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import dev.wavoice.whatsapp.WebhookCall;
import dev.wavoice.whatsapp.WebhookError;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.context.Initialized;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Turns WhatsApp's call webhooks and operator requests into calls: admission (blocked numbers, business
 * hours, capacity), then one {@link ActiveCall} per call, which does the rest. Unknown call ids are logged
 * and ignored. On shutdown it stops admitting and ends every live call through the normal end path.
 */
@ApplicationScoped
public class CallOrchestrator {

  private static final Logger LOG = Logger.getLogger(CallOrchestrator.class.getName());
  private static final Duration OUTBOUND_ID_WAIT = Duration.ofSeconds(10);
  /** The channel of calls from the browser softphone (WhatsApp calls are {@code whatsapp}). */
  public static final String SOFTPHONE = "softphone";
  /** The channel of WhatsApp calls, both ways. */
  public static final String WHATSAPP = "whatsapp";

  @Resource(lookup = AppExecutors.WORK) private ManagedExecutorService executor;
  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService scheduler;

  private Config config;
  private GraphApi graph;
  private MediaGateway media;
  private BridgeFactory bridges;
  private CallRegistry registry;
  private WavoiceMetrics metrics;
  private CallEventPublisher events;
  private PrerequisiteSightings prerequisites;
  private Clock clock;
  private CallServices services;
  private GraphFailures graphFailures;
  private volatile boolean admitting = true;

  protected CallOrchestrator() {}

  @Inject
  public CallOrchestrator(Config config, GraphApi graph, MediaGateway media, BridgeFactory bridges,
      CallRegistry registry, WavoiceMetrics metrics, CallEventPublisher events,
      PrerequisiteSightings prerequisites, Clock clock) {
    this.config = config;
    this.graph = graph;
    this.media = media;
    this.bridges = bridges;
    this.registry = registry;
    this.metrics = metrics;
    this.events = events;
    this.prerequisites = prerequisites;
    this.clock = clock;
  }

  @PostConstruct
  void init() {
    services = new CallServices(media, bridges, registry, CallSettings.from(config), events, clock, executor, scheduler);
    graphFailures = new GraphFailures(prerequisites, clock);
    metrics.gauge("wavoice_calls_active", "calls in progress", registry::count);
  }

  /** Reads and checks the call settings at deploy: a bad value fails the deploy naming its key. */
  void checkAtDeploy(@Observes @Initialized(ApplicationScoped.class) Object started) {
    settings();
  }

  public CallSettings settings() {
    return services.settings();
  }

  // ---- WhatsApp

  void onCallWebhook(@ObservesAsync CallWebhookReceived event) {
    WebhookCall call = event.call();
    CallId id = new CallId(call.id());
    // a signed calls webhook is proof that Meta delivers the calls field here
    prerequisites.confirmed(event.receivedAt(), Prerequisite.CALLS_WEBHOOK_FIELD);
    if (call.isConnect() && !call.isBusinessInitiated()) {
      incoming(event, id);
    } else if (call.isConnect()) {
      String sdp = call.session() == null ? null : call.session().sdp();
      // no webhook thread waits for the id: the few that carry every call's webhooks must not be held
      registry.whenKnown(id, OUTBOUND_ID_WAIT).thenAccept(known -> known.ifPresentOrElse(
          c -> c.remoteAnswer(sdp),
          () -> LOG.warning(() -> "answer for unknown outgoing call " + id + " ignored")));
    } else if (call.isTerminate()) {
      // remembered even when no call is live: a connect delivered after its terminate must start nothing
      registry.terminated(id).ifPresentOrElse(
          c -> c.remoteEnded(terminateDetail(call), terminateProblem(terminateErrors(event))),
          () -> LOG.info(() -> "terminate for call " + id + ", which is not live here; remembered, so a late connect starts nothing"));
    } else {
      LOG.warning(() -> "call event '" + call.event() + "' for " + id + " ignored");
    }
  }

  void onCallStatus(@ObservesAsync CallStatusReceived event) {
    CallId id = new CallId(event.status().id());
    String status = event.status().status();
    if ("REJECTED".equalsIgnoreCase(status)) {
      registry.find(id).ifPresent(c -> c.notAnswered("the user rejected the call"));
    } else {
      LOG.fine(() -> "call " + id + " status " + status);
    }
  }

  private void incoming(CallWebhookReceived event, CallId id) {
    WebhookCall call = event.call();
    if (registry.find(id).isPresent()) {
      LOG.info(() -> "connect for call " + id + ", which is already live; ignored");
      return;
    }
    String callerName = event.source().contact(call.from()).map(Contact::name).orElse(null);
    ActiveCall active = new ActiveCall(services,
        new WhatsAppIncoming(graph, graphFailures, prerequisites, clock, executor), id, call.from(), callerName,
        event.receivedAt());
    // a terminate handled first wins over every other answer: Meta is told nothing about a call it ended
    boolean terminatedFirst = registry.wasTerminated(id);
    EndReason refusal = terminatedFirst ? null : admission(call.from(), event.receivedAt());
    if (!terminatedFirst && refusal == null) {
      switch (registry.admit(id, active, services.settings().maxActive())) {
        case FULL -> refusal = EndReason.OVER_CAPACITY;
        case TERMINATED -> terminatedFirst = true;
        case ADMITTED -> { }
      }
    }
    if (terminatedFirst) {
      LOG.info(() -> "connect for call " + id + " arrived after its terminate; nothing is started");
      active.remoteEnded("WhatsApp terminate arrived before the connect", new CallProblem(List.of(), null));
    } else if (call.session() == null || call.session().sdp() == null) {
      refusal = refusal == null ? EndReason.MEDIA_SETUP_FAILED : refusal;
    }
    active.answer(call.session() == null ? null : call.session().sdp(), refusal);
  }

  private EndReason admission(String from, Instant at) {
    CallSettings settings = services.settings();
    if (!admitting) {
      return EndReason.SHUTDOWN;
    }
    if (settings.blockedNumbers().contains(CallSettings.normalizeNumber(from))) {
      return EndReason.BLOCKED_NUMBER;
    }
    if (settings.businessHours().isPresent() && !settings.businessHours().get().isOpen(at)) {
      return EndReason.OUTSIDE_HOURS;
    }
    return null;
  }

  /** Meta's errors on a terminate: the call's own, else those at the {@code value} level (138021 comes in both). */
  private static List<WebhookError> terminateErrors(CallWebhookReceived event) {
    return event.call().errors().isEmpty() ? event.source().errors() : event.call().errors();
  }

  /** What Meta's errors on a terminate put on the record: each error, the first one as Meta's error. */
  private static CallProblem terminateProblem(List<WebhookError> errors) {
    if (errors.isEmpty()) {
      return new CallProblem(List.of(), null);
    }
    WebhookError first = errors.get(0);
    return new CallProblem(errors.stream().map(e -> "meta terminate " + e.describe()).toList(),
        new CallProblem.RemoteError(first.code() == null ? 0 : first.code(), null, first.details()));
  }

  private static String terminateDetail(WebhookCall call) {
    StringBuilder detail = new StringBuilder("WhatsApp terminate");
    if (call.status() != null) {
      detail.append(", status ").append(call.status());
    }
    call.errors().forEach(e -> detail.append(", error ").append(e.describe()));
    return detail.toString();
  }

  // ---- operators

  /** Places a business-initiated call; completes with Meta's call id, or fails with Meta's error. */
  public CompletableFuture<CallId> dial(String to, String bizOpaqueCallbackData) {
    CompletableFuture<CallId> placed = new CompletableFuture<>();
    if (!admitting) {
      placed.completeExceptionally(new IllegalStateException("wavoice is shutting down"));
      return placed;
    }
    CallId local = new CallId("out-" + UUID.randomUUID());
    String number = CallSettings.normalizeNumber(to);
    ActiveCall active = new ActiveCall(services,
        new WhatsAppOutgoing(graph, graphFailures, prerequisites, clock, number, bizOpaqueCallbackData), local, number, null,
        clock.instant());
    if (!registry.tryAdmit(local, active, services.settings().maxActive())) {
      placed.completeExceptionally(new IllegalStateException("at capacity: " + services.settings().maxActive() + " calls"));
      return placed;
    }
    active.dial(placed);
    return placed;
  }

  /**
   * A call from the softphone page: the browser's SDP offer goes through the same call layer as a
   * WhatsApp call (capacity, Kurento, the bridge, the record, metrics, the one end path), without Meta.
   * Business hours and blocked numbers do not apply: operators use it to try the agent. The returned call
   * takes the browser's trickled candidates and its hang-up; everything else reaches {@code peer}.
   */
  public ActiveCall softphone(String offer, SoftphonePeer peer) {
    CallId id = new CallId("softphone-" + UUID.randomUUID());
    ActiveCall active = new ActiveCall(services, new SoftphoneChannel(peer), id, null, null, clock.instant());
    EndReason refusal = admitting ? null : EndReason.SHUTDOWN;
    if (refusal == null && !registry.tryAdmit(id, active, services.settings().maxActive())) {
      refusal = EndReason.OVER_CAPACITY;
    }
    active.answer(offer, refusal);
    return active;
  }

  public Optional<ActiveCall> find(CallId id) {
    return registry.find(id);
  }

  public List<CallView> active() {
    return registry.active().stream().map(ActiveCall::view).toList();
  }

  /** Ends a live call as an operator; false when no such call is live. */
  public boolean hangUp(CallId id) {
    Optional<ActiveCall> call = registry.find(id);
    call.ifPresent(c -> c.hangUp(EndReason.OPERATOR_HANGUP, "operator hang-up"));
    return call.isPresent();
  }

  // ---- shutdown

  /**
   * Before any application-scoped bean is destroyed (not in this bean's own pre-destroy, which may run
   * after the record store, Kurento's link or the audio plane are gone), so each call still ends
   * through the whole end path: Meta told, media released, record completed.
   */
  void shutdown(@Observes(notifyObserver = Reception.IF_EXISTS) @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
    admitting = false;
    List<ActiveCall> calls = registry.active();
    if (calls.isEmpty()) {
      return;
    }
    LOG.info(() -> "shutting down: ending " + calls.size() + " calls");
    calls.forEach(c -> c.hangUp(EndReason.SHUTDOWN, "wavoice is shutting down"));
    try {
      CompletableFuture.allOf(calls.stream().map(ActiveCall::ended).toArray(CompletableFuture[]::new))
          .get(services.settings().shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warning(() -> "not every call ended within " + services.settings().shutdownGrace() + ": " + e);
    }
  }
}
