package dev.wavoice.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import dev.wavoice.AppExecutors;
import dev.wavoice.CallId;
import dev.wavoice.bridge.TranscriptLine;
import dev.wavoice.call.ActiveCall;
import dev.wavoice.call.CallRecordStore;
import dev.wavoice.call.CallRegistry;
import dev.wavoice.call.CallView;
import dev.wavoice.call.LiveCallEvents;
import dev.wavoice.call.LiveCallEvents.LiveEvent;
import dev.wavoice.cluster.GridMessages.LiveCall;
import dev.wavoice.cluster.GridMessages.Relayed;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's live calls: each member publishes its own calls (who holds each one, for the hand-off of
 * webhooks and hang-ups, and the call as operators see it) into a grid map and relays their live events
 * to the other members' consoles. The entries follow the calls' state changes and are refreshed every
 * {@value #REFRESH_SECONDS} s, which also removes any entry a missed change left behind. Not clustered,
 * it does nothing and the cluster is this instance alone.
 */
@ApplicationScoped
public class LiveCalls {

  static final long REFRESH_SECONDS = 2;
  private static final Logger LOG = Logger.getLogger(LiveCalls.class.getName());

  @Resource(lookup = AppExecutors.TIMERS) private ManagedScheduledExecutorService timers;

  private Grid grid;
  private CallRegistry registry;
  private LiveCallEvents live;
  private String instance;
  private IMap<String, String> calls;
  private ITopic<String> events;
  private UUID eventListener;
  private ScheduledFuture<?> refresh;
  private final Map<Object, BiConsumer<CallId, LiveEvent>> watchers = new ConcurrentHashMap<>();

  protected LiveCalls() {}

  @Inject
  public LiveCalls(Grid grid, CallRegistry registry, LiveCallEvents live, CallRecordStore records) {
    this.grid = grid;
    this.registry = registry;
    this.live = live;
    this.instance = records.instance();
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    grid.hazelcast().ifPresent(hz -> {
      calls = hz.getMap(GridMessages.LIVE_CALLS);
      events = hz.getTopic(GridMessages.LIVE_EVENTS);
      eventListener = events.addMessageListener(m -> relayed(m.getMessageObject()));
      live.subscribe(this, this::changed);
      refresh = timers.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    });
  }

  @PreDestroy
  void stop() {
    if (refresh != null) {
      refresh.cancel(false);
      live.unsubscribe(this);
      try {
        events.removeMessageListener(eventListener);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "the grid is gone already", e);
      }
    }
  }

  /** The member that holds this call, when some member does. */
  public Optional<String> ownerOf(String callId) {
    if (calls == null) {
      return registry.find(new CallId(callId)).map(c -> grid.localMember());
    }
    return Optional.ofNullable(calls.get(callId)).map(LiveCalls::owner);
  }

  /** The live calls the other members hold. */
  public List<CallView> elsewhere() {
    if (calls == null) {
      return List.of();
    }
    String self = grid.localMember();
    List<CallView> views = new ArrayList<>();
    for (String json : calls.values()) {
      LiveCall call = GridMessages.read(json, LiveCall.class);
      if (!self.equals(call.owner())) {
        views.add(call.view());
      }
    }
    return views;
  }

  /** How many calls the whole cluster holds (this instance's own count when not clustered). */
  public int clusterCount() {
    return calls == null ? registry.count() : calls.size();
  }

  /** The calls a lost member held, which the survivors close; their entries are removed. */
  List<String> forgetMember(String member) {
    if (calls == null) {
      return List.of();
    }
    List<String> held = new ArrayList<>();
    for (Map.Entry<String, String> e : calls.entrySet()) {
      if (member.equals(owner(e.getValue()))) {
        held.add(e.getKey());
        calls.delete(e.getKey());
      }
    }
    return held;
  }

  /** True when a member of the grid holds this call now. */
  boolean heldByAMember(String callId, Set<String> members) {
    return ownerOf(callId).filter(members::contains).isPresent();
  }

  /** Gives {@code watcher} the live events of the calls the other members hold, until {@link #unwatch}. */
  public void watch(Object key, BiConsumer<CallId, LiveEvent> watcher) {
    watchers.put(key, watcher);
  }

  public void unwatch(Object key) {
    watchers.remove(key);
  }

  /** A change of one of this member's calls (on the call's thread: the grid calls here do not wait). */
  private void changed(CallId id, LiveEvent event) {
    String self = grid.localMember();
    if ("state".equals(event.kind())) {
      if ("ENDED".equals(event.state())) {
        calls.removeAsync(id.value());
      } else {
        registry.find(id).ifPresent(c -> publish(c, self));
      }
      events.publishAsync(GridMessages.json(new Relayed(self, id.value(), "state", event.state(), null, null, null, false)));
    } else if (event.line() != null) {
      TranscriptLine line = event.line();
      events.publishAsync(GridMessages.json(new Relayed(self, id.value(), "transcript", null, line.speaker(), line.at(),
          line.text(), line.interrupted())));
    }
  }

  /** The member named in a live-call entry of the grid. */
  private static String owner(String liveCallJson) {
    return GridMessages.read(liveCallJson, LiveCall.class).owner();
  }

  private void publish(ActiveCall call, String self) {
    calls.setAsync(call.id().value(), GridMessages.json(new LiveCall(self, instance, call.view())));
  }

  private void refresh() {
    try {
      String self = grid.localMember();
      registry.active().forEach(c -> publish(c, self));
      for (Map.Entry<String, String> e : calls.entrySet()) {
        // gone, or known by another id now (an outgoing call once Meta gave it its id)
        boolean current = registry.find(new CallId(e.getKey())).filter(c -> c.id().value().equals(e.getKey())).isPresent();
        if (!current && self.equals(owner(e.getValue()))) {
          calls.delete(e.getKey());
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "refreshing this member's live calls in the grid failed; tried again in " + REFRESH_SECONDS + " s", e);
    }
  }

  /** A live event from the grid (on the grid's event thread): for the watchers here, unless it is ours. */
  private void relayed(String json) {
    Relayed event;
    try {
      event = GridMessages.read(json, Relayed.class);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a live event from the grid could not be read; ignored", e);
      return;
    }
    if (grid.localMember().equals(event.from())) {
      return;
    }
    CallId id = new CallId(event.callId());
    LiveEvent live = "transcript".equals(event.kind())
        ? new LiveEvent(id, "transcript", null, new TranscriptLine(event.speaker(), event.at(), event.text(), event.interrupted()))
        : new LiveEvent(id, "state", event.state(), null);
    watchers.values().forEach(w -> {
      try {
        w.accept(id, live);
      } catch (RuntimeException ignored) {
        // a broken watcher must not affect the others
      }
    });
  }
}
