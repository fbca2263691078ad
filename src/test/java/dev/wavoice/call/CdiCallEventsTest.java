package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.wavoice.CallId;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The application's publisher hands each event to CDI and keeps an observer's failure from the call. */
class CdiCallEventsTest {

  @Test
  void anObserverThatThrowsNeverReachesTheCall() {
    List<CallEvent> fired = new ArrayList<>();
    CdiCallEvents events = new CdiCallEvents(new Fired(e -> {
      fired.add(e);
      throw new IllegalStateException("the database is away");
    }));
    CallEvent event = new CallEvent.StateChanged(new CallId("wacid.publisher"), "ACTIVE");

    assertThatCode(() -> events.publish(event)).doesNotThrowAnyException();
    assertThat(fired).containsExactly(event);
  }

  /** CDI's event, firing synchronously into one observer. */
  private record Fired(java.util.function.Consumer<CallEvent> observer) implements Event<CallEvent> {

    @Override
    public void fire(CallEvent event) {
      observer.accept(event);
    }

    @Override
    public <U extends CallEvent> CompletionStage<U> fireAsync(U event) {
      throw new UnsupportedOperationException("the call's events are synchronous");
    }

    @Override
    public <U extends CallEvent> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
      throw new UnsupportedOperationException("the call's events are synchronous");
    }

    @Override
    public Event<CallEvent> select(Annotation... qualifiers) {
      return this;
    }

    @Override
    public <U extends CallEvent> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends CallEvent> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }
  }
}
