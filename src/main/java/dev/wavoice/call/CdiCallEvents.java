package dev.wavoice.call;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The application's {@link CallEventPublisher}: fires each event to its synchronous CDI observers (the
 * record writer, the metrics, the live feed, in that order by priority). An observer that throws is
 * logged here: the call that published goes on.
 */
@ApplicationScoped
public class CdiCallEvents implements CallEventPublisher {

  private static final Logger LOG = Logger.getLogger(CdiCallEvents.class.getName());

  /** Observer priorities: the record first, so what is counted and shown is already written. */
  public static final int RECORDS = 100;
  public static final int METRICS = 200;
  public static final int LIVE = 300;

  private Event<CallEvent> events;

  protected CdiCallEvents() {}

  @Inject
  public CdiCallEvents(Event<CallEvent> events) {
    this.events = events;
  }

  @Override
  public void publish(CallEvent event) {
    try {
      events.fire(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "an observer of " + event.getClass().getSimpleName() + " of call " + event.callId()
          + " failed; the call goes on", e);
    }
  }
}
