package dev.wavoice.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import dev.wavoice.AppExecutors;
import dev.wavoice.CallId;
import dev.wavoice.call.CallOrchestrator;
import dev.wavoice.cluster.GridMessages.HandOff;
import dev.wavoice.whatsapp.CallPermissionReplyReceived;
import dev.wavoice.whatsapp.CallStatusReceived;
import dev.wavoice.whatsapp.CallWebhookReceived;
import dev.wavoice.whatsapp.DeliveryDeduplicator;
import dev.wavoice.whatsapp.WebhookSharing;
import dev.wavoice.whatsapp.WhatsAppConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Webhooks and hang-ups in a cluster. De-duplication is the cluster's: a delivery key is remembered in a
 * grid map for the de-duplication window, so Meta's redelivery to another member starts nothing. An
 * event about a call another member holds (a {@code terminate}, a status, an outgoing call's answer) is
 * handed to that member over a grid topic and handled there once; an event whose call no member holds
 * yet (a {@code terminate} overtaking its {@code connect}, an outgoing call whose id Meta has just
 * given, a permission reply, which names no call) goes to every member, and only the one holding the
 * call or request acts on it. A {@code connect} that starts a call is handled where it arrived: that
 * member then holds the call. Not clustered, everything is handled here.
 */
@ApplicationScoped
public class HandOffs implements WebhookSharing {

  private static final Logger LOG = Logger.getLogger(HandOffs.class.getName());

  @Resource(lookup = AppExecutors.WORK) private ManagedExecutorService executor;

  private Grid grid;
  private LiveCalls live;
  private CallOrchestrator orchestrator;
  private Duration window;
  private Event<CallWebhookReceived> calls;
  private Event<CallStatusReceived> statuses;
  private Event<CallPermissionReplyReceived> permissionReplies;
  private ITopic<String> topic;
  private UUID listener;

  protected HandOffs() {}

  @Inject
  public HandOffs(Grid grid, LiveCalls live, CallOrchestrator orchestrator, WhatsAppConfig whatsapp,
      Event<CallWebhookReceived> calls, Event<CallStatusReceived> statuses,
      Event<CallPermissionReplyReceived> permissionReplies) {
    this.grid = grid;
    this.live = live;
    this.orchestrator = orchestrator;
    this.window = whatsapp.webhook().dedupWindow();
    this.calls = calls;
    this.statuses = statuses;
    this.permissionReplies = permissionReplies;
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    grid.hazelcast().ifPresent(hz -> {
      topic = hz.getTopic(GridMessages.HAND_OFFS);
      listener = topic.addMessageListener(m -> received(m.getMessageObject()));
    });
  }

  @PreDestroy
  void stop() {
    if (topic != null) {
      try {
        topic.removeMessageListener(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "the grid is gone already", e);
      }
    }
  }

  @Override
  public DeliveryDeduplicator.Keys deliveryKeys(DeliveryDeduplicator.Keys local) {
    Optional<IMap<String, String>> seen = grid.hazelcast().map(hz -> hz.getMap(GridMessages.DELIVERIES));
    if (seen.isEmpty()) {
      return local;
    }
    IMap<String, String> keys = seen.get();
    String self = grid.localMember();
    return new DeliveryDeduplicator.Keys() {
      @Override
      public boolean firstDelivery(String key) {
        // the entry expires with the window, as the local memory forgets
        return keys.putIfAbsent(key, self, window.toMillis(), TimeUnit.MILLISECONDS) == null;
      }

      @Override
      public void forget(String key) {
        keys.delete(key);
      }
    };
  }

  @Override
  public CompletionStage<?> route(String callId, Object event, Supplier<CompletionStage<?>> here) {
    if (topic == null) {
      return here.get();
    }
    String self = grid.localMember();
    Optional<String> owner = callId == null ? Optional.empty() : live.ownerOf(callId);
    if (owner.filter(self::equals).isPresent() || owner.isEmpty() && startsCall(event)) {
      return here.get();
    }
    String to = owner.filter(grid::isMember).orElse(GridMessages.EVERYONE);
    String kind = switch (event) {
      case CallWebhookReceived e -> "call";
      case CallStatusReceived e -> "status";
      case CallPermissionReplyReceived e -> "permission";
      default -> throw new IllegalArgumentException("not a webhook event: " + event.getClass().getName());
    };
    LOG.info(() -> "webhook " + kind + (callId == null ? "" : " of call " + callId) + " handed to "
        + (GridMessages.EVERYONE.equals(to) ? "every member" : "member " + to + ", which holds the call"));
    return publish(new HandOff(self, to, kind, callId, GridMessages.json(event)));
  }

  /**
   * Hangs up a call another member holds: true when one does (its hang-up is then under way there),
   * false when no member holds it.
   */
  public boolean hangUpElsewhere(CallId id) {
    if (topic == null) {
      return false;
    }
    String self = grid.localMember();
    Optional<String> owner = live.ownerOf(id.value()).filter(o -> !o.equals(self)).filter(grid::isMember);
    owner.ifPresent(o -> publish(new HandOff(self, o, "hangup", id.value(), null)));
    return owner.isPresent();
  }

  /** A user's {@code connect}: whoever takes it holds the call. */
  private static boolean startsCall(Object event) {
    return event instanceof CallWebhookReceived e && e.call().isConnect() && !e.call().isBusinessInitiated();
  }

  /** Publishes a hand-off; the grid refusing it on the spot throws, so the webhook asks Meta to redeliver. */
  private CompletionStage<?> publish(HandOff handOff) {
    return topic.publishAsync(GridMessages.json(handOff));
  }

  private static void logFailure(CompletionStage<?> handled, HandOff handOff) {
    handled.whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.log(Level.WARNING, "handling of webhook " + handOff.kind() + " of call " + handOff.callId() + " handed over by member "
            + handOff.from() + " failed", failure);
      }
    });
  }

  /** A hand-off from the grid (on the grid's event thread): handled here when it is for this member. */
  private void received(String json) {
    HandOff handOff;
    try {
      handOff = GridMessages.read(json, HandOff.class);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a hand-off from the grid could not be read; ignored", e);
      return;
    }
    if (!grid.localMember().equals(handOff.to()) && !GridMessages.EVERYONE.equals(handOff.to())) {
      return;
    }
    NotificationOptions options = NotificationOptions.ofExecutor(executor);
    try {
      switch (handOff.kind()) {
        case "call" -> logFailure(calls.fireAsync(GridMessages.read(handOff.body(), CallWebhookReceived.class), options), handOff);
        case "status" -> logFailure(statuses.fireAsync(GridMessages.read(handOff.body(), CallStatusReceived.class), options), handOff);
        case "permission" -> logFailure(permissionReplies.fireAsync(
            GridMessages.read(handOff.body(), CallPermissionReplyReceived.class), options), handOff);
        case "hangup" -> executor.execute(() -> {
          if (!orchestrator.hangUp(new CallId(handOff.callId()))) {
            LOG.info(() -> "hang-up of call " + handOff.callId() + " from member " + handOff.from() + ": the call is not live here");
          }
        });
        default -> LOG.warning(() -> "hand-off of kind '" + handOff.kind() + "' from member " + handOff.from() + " ignored");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "hand-off " + handOff.kind() + " of call " + handOff.callId() + " from member " + handOff.from()
          + " could not be handled", e);
    }
  }
}
