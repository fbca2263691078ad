package dev.wavoice.call;

import dev.wavoice.CallId;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live calls, by call id. An outgoing call is known under a local id until Meta gives it its own,
 * then under both. Admission against the capacity limit is atomic, so concurrent connects never exceed it.
 */
@ApplicationScoped
public class CallRegistry {

  private final Map<CallId, ActiveCall> calls = new ConcurrentHashMap<>();

  /** Registers the call if fewer than {@code max} calls are live; false when full. */
  synchronized boolean tryAdmit(CallId id, ActiveCall call, int max) {
    if (count() >= max) {
      return false;
    }
    calls.put(id, call);
    notifyAll();
    return true;
  }

  /** Makes the call known under another id too (Meta's id of an outgoing call). */
  synchronized void alias(CallId id, ActiveCall call) {
    calls.put(id, call);
    notifyAll();
  }

  synchronized void remove(ActiveCall call) {
    calls.values().removeIf(c -> c == call);
  }

  public Optional<ActiveCall> find(CallId id) {
    return Optional.ofNullable(calls.get(id));
  }

  /**
   * Waits a little for a call to become known: Meta may deliver the answer of an outgoing call before
   * the reply to our {@code connect} has told us its id.
   */
  synchronized Optional<ActiveCall> await(CallId id, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!calls.containsKey(id)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.of(calls.get(id));
  }

  public List<ActiveCall> active() {
    return List.copyOf(new LinkedHashSet<>(calls.values()));
  }

  public int count() {
    return (int) calls.values().stream().distinct().count();
  }
}
