package dev.wavoice.call;

import dev.wavoice.CallId;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live calls, by call id. An outgoing call is known under a local id until Meta gives it its own,
 * then under both. Admission against the capacity limit is atomic, so concurrent connects never exceed it.
 * It also remembers the ids Meta terminated (the last {@value #TERMINATED_REMEMBERED}): webhooks can arrive
 * out of order, and a connect whose terminate was handled first must start nothing. Remembering and
 * admitting are atomic together, so a terminate racing its connect either finds the call or stops it.
 */
@ApplicationScoped
public class CallRegistry {

  /** Far more than the calls of the few minutes in which Meta's deliveries can overtake each other. */
  static final int TERMINATED_REMEMBERED = 10_000;

  /** What became of a connect's admission. */
  enum Admission { ADMITTED, FULL, TERMINATED }

  private final Map<CallId, ActiveCall> calls = new ConcurrentHashMap<>();
  /** Guarded by this; insertion order, the oldest forgotten first. */
  private final Map<CallId, Boolean> terminated = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<CallId, Boolean> eldest) {
      return size() > TERMINATED_REMEMBERED;
    }
  };

  /**
   * Admits an incoming call unless Meta already terminated its id or {@code max} calls are live. Checked
   * first for a terminated id, so a call the caller already left is never refused to Meta.
   */
  synchronized Admission admit(CallId id, ActiveCall call, int max) {
    if (terminated.containsKey(id)) {
      return Admission.TERMINATED;
    }
    return tryAdmit(id, call, max) ? Admission.ADMITTED : Admission.FULL;
  }

  /** True when Meta terminated this id (within memory). */
  synchronized boolean wasTerminated(CallId id) {
    return terminated.containsKey(id);
  }

  /** Meta terminated this id: remembers it, and returns the call if it is live. */
  synchronized Optional<ActiveCall> terminated(CallId id) {
    terminated.put(id, Boolean.TRUE);
    return find(id);
  }

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
