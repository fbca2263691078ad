package dev.wavoice.whatsapp;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How the webhook's deliveries are shared with other wavoice instances. On its own an instance remembers
 * deliveries itself and handles every event here; in a cluster the remembered keys are the cluster's and
 * an event about a call another instance holds is handed to that instance.
 */
public interface WebhookSharing {

  /** The delivery keys to de-duplicate against; {@code local} is this instance's own memory. */
  DeliveryDeduplicator.Keys deliveryKeys(DeliveryDeduplicator.Keys local);

  /**
   * Takes one event ({@link CallWebhookReceived}, {@link CallStatusReceived} or
   * {@link CallPermissionReplyReceived}) about call {@code callId} (null when the event names none) to
   * where it is handled; {@code here} fires it on this instance. Throws when it cannot be handed on, so
   * the delivery is forgotten and Meta asked to redeliver.
   */
  CompletionStage<?> route(String callId, Object event, Supplier<CompletionStage<?>> here);
}
