package dev.wavoice.bridge;

import dev.wavoice.audio.AudioPlane;
import dev.wavoice.audio.CallAudio;
import dev.wavoice.audio.MonotonicClock;
import dev.wavoice.realtime.RealtimeClient;
import dev.wavoice.realtime.ToolHandler;
import dev.wavoice.whatsapp.GraphApi;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The production {@link BridgeFactory}: one per application. Each call's bridge is made here with
 * everything it needs injected into this bean (the audio plane, the Realtime client, settings, metrics,
 * clocks) and its per-call state (context, listener) passed to its constructor, so its fields are final
 * and it has no half-initialised state. It is not a CDI bean of its own: a {@code @Dependent} bean
 * obtained through {@code Instance<>} needs a second initialisation step for the per-call arguments, and
 * stays referenced by the {@code Instance} until destroyed; here the factory tracks its open bridges and
 * closes any left at shutdown, so neither sockets nor OpenAI sessions outlive the application.
 *
 * <p>It also owns what the bridges share: a virtual-thread executor for hand-offs (the pacer's
 * playback notices, end-of-call timing) and a timer that adds every open call's audio counters to the
 * metrics every {@value #METRICS_PERIOD_SECONDS} s.
 */
@ApplicationScoped
public class RealtimeBridgeFactory implements BridgeFactory {

  private static final Logger LOG = Logger.getLogger(RealtimeBridgeFactory.class.getName());
  static final long METRICS_PERIOD_SECONDS = 5;

  private AudioPlane audioPlane;
  private RealtimeClient realtime;
  private GraphApi graph;
  private BridgeSettings settings;
  private RecordingSettings recording;
  private ThreadFactory recorderThreads;
  private BridgeMetrics metrics;
  private BridgeTimings timings;
  private Clock wallClock;
  private MonotonicClock clock;
  private ExecutorService events;
  private ScheduledThreadPoolExecutor timer;
  private ScheduledFuture<?> metricsTask;
  private final Set<RealtimeCallBridge> open = ConcurrentHashMap.newKeySet();

  /** For the CDI proxy only. */
  protected RealtimeBridgeFactory() {}

  @Inject
  public RealtimeBridgeFactory(AudioPlane audioPlane, RealtimeClient realtime, GraphApi graph, BridgeConfig config,
      BridgeMetrics metrics, MicroProfileBridgeTimings timings, Clock wallClock, MonotonicClock clock) {
    this(audioPlane, realtime, graph, config.settings(), config.recording(), metrics, timings, wallClock, clock);
  }

  /**
   * Tests and benchmarks: everything given.
   *
   * @param graph for {@code send_whatsapp_message}; null leaves that tool out
   */
  public RealtimeBridgeFactory(AudioPlane audioPlane, RealtimeClient realtime, GraphApi graph, BridgeSettings settings,
      RecordingSettings recording, BridgeMetrics metrics, BridgeTimings timings, Clock wallClock, MonotonicClock clock) {
    this.graph = graph;
    this.recording = Objects.requireNonNull(recording, "recording");
    this.recorderThreads = Thread.ofVirtual().name("wavoice-recorder-", 0).factory();
    this.audioPlane = Objects.requireNonNull(audioPlane, "audioPlane");
    this.realtime = Objects.requireNonNull(realtime, "realtime");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.timings = Objects.requireNonNull(timings, "timings");
    this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("wavoice-bridge-", 0).factory());
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "wavoice-bridge-metrics");
      thread.setDaemon(true);
      return thread;
    });
    metrics.openBridges(open::size);
  }

  /**
   * Binds the call's RTP socket pair (from {@code wavoice.media.rtp-port-range}) and returns its bridge,
   * not yet prepared.
   *
   * @throws dev.wavoice.audio.RtpPortAllocator.NoFreePortException when the port range is exhausted
   */
  @Override
  public CallBridge create(CallContext context, BridgeListener listener) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(listener, "listener");
    CallAudio audio = audioPlane.open(context.callId(), context.codec());
    try {
      RealtimeCallBridge bridge = new RealtimeCallBridge(context, listener, audio, realtime, settings, metrics, timings,
          wallClock, clock, events, open::remove, recording, recorderThreads, callTools(context));
      open.add(bridge);
      startMetrics();
      return bridge;
    } catch (RuntimeException e) {
      audio.close();
      throw e;
    }
  }

  /** The tools a call adds to its session: a WhatsApp caller can be texted; a softphone caller has no WhatsApp id. */
  private List<ToolHandler> callTools(CallContext context) {
    if (graph == null || !"whatsapp".equals(context.channel()) || context.callerWaId() == null) {
      return List.of();
    }
    return List.of(new WhatsAppMessageTool(graph, context.callerWaId(), "call " + context.callId()));
  }

  /** Bridges not closed yet. */
  public int openBridges() {
    return open.size();
  }

  public BridgeSettings settings() {
    return settings;
  }

  public RecordingSettings recording() {
    return recording;
  }

  /** The application is stopping: every bridge still open is closed (its socket and OpenAI session released). */
  @PreDestroy
  public void close() {
    for (RealtimeCallBridge bridge : Set.copyOf(open)) {
      try {
        bridge.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing the bridge of " + bridge.context().callId() + " failed", e);
      }
    }
    timer.shutdownNow();
    events.shutdown();
  }

  private synchronized void startMetrics() {
    if (metricsTask == null) {
      metricsTask = timer.scheduleWithFixedDelay(this::publishMetrics, METRICS_PERIOD_SECONDS, METRICS_PERIOD_SECONDS,
          TimeUnit.SECONDS);
    }
  }

  private void publishMetrics() {
    for (RealtimeCallBridge bridge : open) {
      try {
        bridge.publishAudioCounts();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "audio counters of " + bridge.context().callId() + " not published", e);
      }
    }
  }
}
