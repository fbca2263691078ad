package dev.wavoice.ops;

import dev.wavoice.AppExecutors;
import dev.wavoice.CallId;
import dev.wavoice.bridge.TranscriptLine;
import dev.wavoice.call.ActiveCall;
import dev.wavoice.call.CallRegistry;
import dev.wavoice.call.LiveCallEvents;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The console's live feed: every watcher (an open {@code GET /api/events}) gets the calls' state changes
 * and transcript lines as Server-Sent Events. A call never waits for a watcher: events go into the
 * watcher's bounded queue and are written on the managed executor; a watcher that falls 1000 events
 * behind, or whose connection is gone, is dropped. A comment every 15 s finds dead connections.
 */
@ApplicationScoped
public class ConsoleFeed {

  /** {@code event: state}: a call's state changed ({@code ENDED} when it is over). */
  public record StateEvent(String callId, String state) {}

  /** {@code event: transcript}: a final line, {@code speaker} {@code caller} or {@code bot}. */
  public record TranscriptEvent(String callId, String speaker, Instant at, String text) {}

  private static final Logger LOG = Logger.getLogger(ConsoleFeed.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create(new JsonbConfig().withNullValues(false));
  private static final int QUEUE = 1000;
  private static final long HEARTBEAT_SECONDS = 15;

  @Resource(lookup = AppExecutors.WORK) private ManagedExecutorService executor;
  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService scheduler;

  private LiveCallEvents live;
  private CallRegistry registry;
  private final Map<Watcher, Boolean> watchers = new ConcurrentHashMap<>();
  private ScheduledFuture<?> heartbeat;

  protected ConsoleFeed() {}

  @Inject
  public ConsoleFeed(LiveCallEvents live, CallRegistry registry) {
    this.live = live;
    this.registry = registry;
  }

  @PostConstruct
  void start() {
    heartbeat = scheduler.scheduleAtFixedRate(
        () -> watchers.keySet().forEach(w -> w.offer(w.sse.newEventBuilder().comment("heartbeat").build())),
        HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    watchers.keySet().forEach(Watcher::close);
  }

  /** Starts feeding this connection: first what is live now (states and transcripts so far), then changes. */
  public void watch(SseEventSink sink, Sse sse) {
    Watcher watcher = new Watcher(sink, sse);
    watchers.put(watcher, Boolean.TRUE);
    live.subscribe(watcher, (id, event) -> {
      if ("transcript".equals(event.kind())) {
        watcher.offer(transcript(sse, id, event.line()));
      } else {
        watcher.offer(state(sse, id, event.state()));
      }
    });
    for (ActiveCall call : registry.active()) {
      CallId id = call.id();
      watcher.offer(state(sse, id, call.view().state()));
      call.transcript().forEach(line -> watcher.offer(transcript(sse, id, line)));
    }
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

    private void drain() {
      try {
        OutboundSseEvent next;
        while ((next = queue.poll()) != null) {
          if (sink.isClosed()) {
            close();
            return;
          }
          sink.send(next).toCompletableFuture().join();
        }
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "a console watcher went away", e);
        close();
        return;
      } finally {
        draining.set(false);
      }
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        executor.execute(this::drain); // an event came in after the last poll
      }
    }

    void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      live.unsubscribe(this);
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
