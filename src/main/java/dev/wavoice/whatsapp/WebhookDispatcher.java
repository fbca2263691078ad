package dev.wavoice.whatsapp;

import dev.wavoice.RegisteredMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;

/**
 * Turns a verified webhook body into CDI events, handed to the webhook's own threads ({@link WebhookWork})
 * and fired there, so the webhook answers at once and its request thread does no more than hand over. Each (call id, event), (call id, status) or message id is fired once
 * within the de-duplication window, counted as seen only once a thread has taken it; fields other than {@code calls} and permission replies are ignored.
 * Calls webhooks for another phone number than ours are acknowledged and counted, never dispatched.
 * In a cluster the de-duplication is the cluster's and an event about a call another member holds is
 * handed to it ({@link WebhookSharing}).
 */
@ApplicationScoped
public class WebhookDispatcher {

  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());
  private static final int MAX_REMEMBERED = 100_000;

  /** Observers run on the thread that fires: the webhook thread that took the event. */
  private static final NotificationOptions ON_THIS_THREAD = NotificationOptions.ofExecutor(Runnable::run);

  private WebhookWork work;
  private Event<CallWebhookReceived> calls;
  private Event<CallStatusReceived> statuses;
  private Event<CallPermissionReplyReceived> permissionReplies;
  private WhatsAppConfig config;
  private Clock clock;
  private RegisteredMetrics metrics;
  private DeliveryDeduplicator dedup;
  private OtherNumberCalls otherNumbers;
  /** Null outside a container (tests): everything is remembered and handled here. */
  private WebhookSharing sharing;

  protected WebhookDispatcher() {}

  @Inject
  public WebhookDispatcher(
      WebhookWork work,
      Event<CallWebhookReceived> calls,
      Event<CallStatusReceived> statuses,
      Event<CallPermissionReplyReceived> permissionReplies,
      WhatsAppConfig config,
      RegisteredMetrics metrics,
      Clock clock) {
    this.work = work;
    this.calls = calls;
    this.statuses = statuses;
    this.permissionReplies = permissionReplies;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Other instances to share deliveries with (the cluster's, which on its own shares nothing). */
  @Inject
  void share(WebhookSharing sharing) {
    this.sharing = sharing;
  }

  @PostConstruct
  void init() {
    Counter ignored = metrics.counter(Metadata.builder().withName("wavoice_webhook_other_number_calls")
        .withDescription("call webhook events (calls and statuses) for another phone number id than ours: acknowledged, not answered")
        .build());
    init(ignored::inc);
  }

  /** The state of a dispatcher; {@code otherNumberCall} counts calls webhooks for another phone number. */
  void init(Runnable otherNumberCall) {
    DeliveryDeduplicator.Keys local = new DeliveryDeduplicator.LocalKeys(clock, config.webhook().dedupWindow(), MAX_REMEMBERED);
    dedup = new DeliveryDeduplicator(sharing == null ? local : sharing.deliveryKeys(local));
    otherNumbers = new OtherNumberCalls(config.graph().phoneNumberId(), otherNumberCall, clock);
  }

  /**
   * Fires one event per new call, status or permission reply in the payload; returns how many. When a
   * firing is refused (no thread takes it), the others still go, that delivery is not remembered, and
   * {@link DeliveryDeduplicator.HandOffRefused} is thrown at the end so the webhook asks Meta to redeliver.
   */
  public int dispatch(WebhookPayload payload) {
    Instant receivedAt = clock.instant();
    Dispatch dispatch = new Dispatch();
    for (WebhookPayload.Entry entry : payload.entry()) {
      for (WebhookPayload.Change change : entry.changes()) {
        if (change == null || change.value() == null) {
          continue;
        }
        dispatch(entry.id(), change.field(), change.value(), receivedAt, dispatch);
      }
    }
    if (dispatch.refused != null) {
      throw dispatch.refused;
    }
    return dispatch.fired;
  }

  /** What one payload's dispatch did so far. */
  private static final class Dispatch {
    int fired;
    DeliveryDeduplicator.HandOffRefused refused;
  }

  private void dispatch(String wabaId, String field, WebhookPayload.Value value, Instant receivedAt, Dispatch dispatch) {
    WebhookPayload.Metadata metadata = value.metadata();
    WebhookSource source =
        new WebhookSource(
            wabaId,
            metadata == null ? null : metadata.phoneNumberId(),
            metadata == null ? null : metadata.displayPhoneNumber(),
            value.contacts(),
            value.errors());
    if ("calls".equals(field)) {
      for (WebhookCall call : value.calls()) {
        if (call != null && call.id() != null && !otherNumbers.ignore(source.phoneNumberId(), call.id())) {
          handOff(dispatch, "call|" + call.id() + "|" + call.event(), "call " + call.id(),
              () -> route(call.id(), new CallWebhookReceived(source, call, receivedAt), calls));
        }
      }
      for (CallStatus status : value.statuses()) {
        if (status != null && status.id() != null && !otherNumbers.ignore(source.phoneNumberId(), status.id())) {
          handOff(dispatch, "status|" + status.id() + "|" + status.status(), "status " + status.id(),
              () -> route(status.id(), new CallStatusReceived(source, status), statuses));
        }
      }
    } else if ("messages".equals(field)) {
      for (InboundMessage message : value.messages()) {
        if (message != null && message.isCallPermissionReply() && message.id() != null) {
          handOff(dispatch, "message|" + message.id(), "permission reply " + message.id(),
              () -> route(null, new CallPermissionReplyReceived(source, message), permissionReplies));
        }
      }
    } else {
      LOG.fine(() -> "webhook field '" + field + "' is not handled; ignored");
    }
  }

  private void handOff(Dispatch dispatch, String key, String what, Supplier<CompletionStage<?>> fire) {
    try {
      if (dedup.handOffOnce(key, () -> log(fire.get(), what))) {
        dispatch.fired++;
      }
    } catch (DeliveryDeduplicator.HandOffRefused refused) {
      LOG.log(Level.WARNING, "webhook " + what + " was not taken for processing; Meta is asked to redeliver it", refused);
      if (dispatch.refused == null) {
        dispatch.refused = refused;
      }
    }
  }

  /** Fires the event here, or hands it to the instance that holds the call. */
  private <T> CompletionStage<?> route(String callId, T event, Event<T> here) {
    return sharing == null
        ? fireHere(event, here)
        : sharing.route(callId, event, () -> fireHere(event, here));
  }

  /**
   * Hands the event to a webhook thread, which fires it; throws {@link java.util.concurrent.RejectedExecutionException}
   * when no thread takes it. The stage completes once its observers have run.
   */
  private <T> CompletionStage<?> fireHere(T event, Event<T> here) {
    // supplyAsync hands the task to work.execute on this thread, so a refusal is thrown here
    return CompletableFuture.supplyAsync(() -> here.fireAsync(event, ON_THIS_THREAD), work).thenCompose(fired -> fired);
  }

  private static CompletionStage<?> log(CompletionStage<?> delivery, String what) {
    return delivery.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            LOG.log(Level.WARNING, "handling of webhook " + what + " failed", failure);
          }
        });
  }
}
