package dev.wavoice.ops;

import dev.wavoice.AppExecutors;
import dev.wavoice.CallId;
import dev.wavoice.bridge.TranscriptLine;
import dev.wavoice.call.ActiveCall;
import dev.wavoice.call.CallRegistry;
import dev.wavoice.call.CallView;
import dev.wavoice.call.LiveCallEvents;
import dev.wavoice.cluster.LiveCalls;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The console's live feed: every watcher (an open {@code GET /api/events}) gets the calls' state changes
 * and transcript lines as Server-Sent Events. A call never waits for a watcher: events go into the
 * watcher's bounded queue and are written on the managed executor, one at a time, and a write that has
 * not completed hands the rest to its completion instead of waiting for it. A watcher that falls
 * {@link #QUEUE} events behind, whose write has hung for {@link #STALLED} or whose connection is gone is
 * dropped. At most {@link #MAX_WATCHERS} watch at once: more are refused. A comment every 15 s finds dead
 * connections. In a cluster the feed carries the other members' calls too.
 */
@ApplicationScoped
public class ConsoleFeed {

  /** {@code event: state}: a call's state changed ({@code ENDED} when it is over). */
  public record StateEvent(String callId, String state) {}

  /** {@code event: transcript}: a final line, {@code speaker} {@code caller} or {@code bot}. */
  public record TranscriptEvent(String callId, String speaker, Instant at, String text) {}

  private static final Logger LOG = Logger.getLogger(ConsoleFeed.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create(new JsonbConfig().withNullValues(false));
  static final int QUEUE = 1000;
  /** Consoles are for a few operators; each watcher may hold a write in flight. */
  public static final int MAX_WATCHERS = 16;
  static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final String STALLED = "30 s";
  private static final long HEARTBEAT_SECONDS = 15;

  @Resource(lookup = AppExecutors.WORK) private ManagedExecutorService executor;
  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService scheduler;

  private LiveCallEvents live;
  private CallRegistry registry;
  /** Null outside a container (tests): this instance's calls only. */
  private LiveCalls cluster;
  private final Map<Watcher, Boolean> watchers = new ConcurrentHashMap<>();
  private ScheduledFuture<?> heartbeat;

  protected ConsoleFeed() {}

  @Inject
  public ConsoleFeed(LiveCallEvents live, CallRegistry registry) {
    this.live = live;
    this.registry = registry;
  }

  /** The other cluster members' calls (none when not clustered). */
  @Inject
  void cluster(LiveCalls cluster) {
    this.cluster = cluster;
  }

  /** Outside a container (tests): writes on this executor, no heartbeat. */
  ConsoleFeed(LiveCallEvents live, CallRegistry registry, ManagedExecutorService executor) {
    this(live, registry);
    this.executor = executor;
  }

  @PostConstruct
  void start() {
    heartbeat = scheduler.scheduleAtFixedRate(() -> watchers.keySet().forEach(w -> {
      if (w.stalled(System.nanoTime())) {
        LOG.warning("a console watcher's write hung for " + STALLED + "; dropping it");
        w.close();
      } else {
        w.offer(w.sse.newEventBuilder().comment("heartbeat").build());
      }
    }), HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    watchers.keySet().forEach(Watcher::close);
  }

  /**
   * Starts feeding this connection: first what is live now (states and transcripts so far), then changes.
   * False, with the sink untouched, when {@link #MAX_WATCHERS} already watch.
   */
  public boolean watch(SseEventSink sink, Sse sse) {
    Watcher watcher = new Watcher(sink, sse);
    synchronized (watchers) {
      if (watchers.size() >= MAX_WATCHERS) {
        return false;
      }
      watchers.put(watcher, Boolean.TRUE);
    }
    // at once, so the response starts now: the console knows it is connected before any call happens
    watcher.offer(sse.newEventBuilder().comment("connected").build());
    BiConsumer<CallId, LiveCallEvents.LiveEvent> feed = (id, event) -> {
      if ("transcript".equals(event.kind())) {
        watcher.offer(transcript(sse, id, event.line()));
      } else {
        watcher.offer(state(sse, id, event.state()));
      }
    };
    live.subscribe(watcher, feed);
    if (cluster != null) {
      cluster.watch(watcher, feed);
    }
    for (ActiveCall call : registry.active()) {
      CallId id = call.id();
      watcher.offer(state(sse, id, call.view().state()));
      call.transcript().forEach(line -> watcher.offer(transcript(sse, id, line)));
    }
    if (cluster != null) {
      // the other members' calls: their state now, their transcript from here on
      for (CallView call : cluster.elsewhere()) {
        watcher.offer(state(sse, new CallId(call.callId()), call.state()));
      }
    }
    return true;
  }

  int watchers() {
    return watchers.size();
  }

  private static OutboundSseEvent state(Sse sse, CallId id, String state) {
    return sse.newEventBuilder().name("state").data(JSON.toJson(new StateEvent(id.value(), state))).build();
  }

  private static OutboundSseEvent transcript(Sse sse, CallId id, TranscriptLine line) {
    return sse.newEventBuilder().name("transcript")
        .data(JSON.toJson(new TranscriptEvent(id.value(), line.speaker(), line.at(), line.text()))).build();
  }

  /** One connection: its queue, written in order by at most one task at a time. */
  private final class Watcher {

    private final SseEventSink sink;
    private final Sse sse;
    private final BlockingQueue<OutboundSseEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** {@link System#nanoTime()} when the write in flight began; 0 when none is. */
    private volatile long writingSince;

    Watcher(SseEventSink sink, Sse sse) {
      this.sink = sink;
      this.sse = sse;
    }

    void offer(OutboundSseEvent event) {
      if (closed.get()) {
        return;
      }
      if (!queue.offer(event)) {
        LOG.warning("a console watcher fell " + QUEUE + " events behind; dropping it");
        close();
        return;
      }
      if (draining.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
    }

    /** Writes what is queued; a write that has not completed continues the drain when it does, holding no thread. */
    private void drain() {
      OutboundSseEvent next;
      while ((next = queue.poll()) != null) {
        CompletableFuture<?> sent;
        try {
          if (sink.isClosed()) {
            close();
            return;
          }
          sent = sink.send(next).toCompletableFuture();
        } catch (RuntimeException e) {
          gone(e);
          return;
        }
        if (!sent.isDone()) {
          writingSince = System.nanoTime();
          sent.whenComplete((done, failure) -> {
            writingSince = 0;
            if (failure != null) {
              gone(failure);
            } else {
              executor.execute(this::drain); // still marked draining: no other drain starts meanwhile
            }
          });
          return;
        }
        if (sent.isCompletedExceptionally()) {
          close();
          return;
        }
      }
      draining.set(false);
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        executor.execute(this::drain); // an event came in after the last poll
      }
    }

    boolean stalled(long nowNanos) {
      long since = writingSince;
      return since != 0 && nowNanos - since > STALLED_NANOS;
    }

    private void gone(Throwable why) {
      LOG.log(Level.FINE, "a console watcher went away", why);
      close();
    }

    void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      live.unsubscribe(this);
      if (cluster != null) {
        cluster.unwatch(this);
      }
      watchers.remove(this);
      queue.clear();
      try {
        sink.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "closing a console watcher failed", e);
      }
    }
  }
}
