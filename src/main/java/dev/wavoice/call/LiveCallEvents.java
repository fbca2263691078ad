package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.bridge.TranscriptLine;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Live happenings of calls (state changes, transcript lines) for whoever watches: the operator console
 * subscribes here. Publishing never blocks the call: subscribers must hand off quickly.
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

  void state(CallId callId, String state) {
    publish(new LiveEvent(callId, "state", state, null));
  }

  void transcript(CallId callId, TranscriptLine line) {
    publish(new LiveEvent(callId, "transcript", null, line));
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
