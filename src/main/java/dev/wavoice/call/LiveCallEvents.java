package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.bridge.TranscriptLine;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Live happenings of calls (state changes, transcript lines, the end) for whoever watches: observes the
 * call core's {@link CallEvent}s and hands them to its subscribers (the operator console). Publishing never
 * blocks the call: subscribers must hand off quickly.
 */
@ApplicationScoped
public class LiveCallEvents {

  /** A change worth showing live: {@code kind} is {@code state} or {@code transcript}. */
  public record LiveEvent(CallId callId, String kind, String state, TranscriptLine line) {}

  private final Map<Object, BiConsumer<CallId, LiveEvent>> subscribers = new ConcurrentHashMap<>();

  public void subscribe(Object key, BiConsumer<CallId, LiveEvent> subscriber) {
    subscribers.put(key, subscriber);
  }

  public void unsubscribe(Object key) {
    subscribers.remove(key);
  }

  void stateChanged(@Observes @Priority(CdiCallEvents.LIVE) CallEvent.StateChanged e) {
    publish(new LiveEvent(e.callId(), "state", e.state(), null));
  }

  void transcriptLine(@Observes @Priority(CdiCallEvents.LIVE) CallEvent.TranscriptLineHeard e) {
    publish(new LiveEvent(e.callId(), "transcript", null, e.line()));
  }

  void ended(@Observes @Priority(CdiCallEvents.LIVE) CallEvent.Ended e) {
    publish(new LiveEvent(e.callId(), "state", ActiveCall.State.ENDED.name(), null));
  }

  private void publish(LiveEvent event) {
    subscribers.values().forEach(s -> {
      try {
        s.accept(event.callId(), event);
      } catch (RuntimeException ignored) {
        // a broken watcher must not affect the call
      }
    });
  }
}
