package dev.wavoice.call;

/**
 * Where a call core publishes its life. Publishing returns once the observers have taken the event; an
 * observer's failure is logged by the publisher and never reaches the call.
 */
@FunctionalInterface
public interface CallEventPublisher {

  void publish(CallEvent event);
}
