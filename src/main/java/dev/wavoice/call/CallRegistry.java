package dev.wavoice.call;

import dev.wavoice.CallId;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
  /** Guarded by this: who waits for an id to become known ({@link #whenKnown}). */
  private final Map<CallId, List<CompletableFuture<Optional<ActiveCall>>>> waiters = new HashMap<>();
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
  boolean tryAdmit(CallId id, ActiveCall call, int max) {
    synchronized (this) {
      if (count() >= max) {
        return false;
      }
      calls.put(id, call);
    }
    known(id, call);
    return true;
  }

  /** Makes the call known under another id too (Meta's id of an outgoing call). */
  void alias(CallId id, ActiveCall call) {
    calls.put(id, call);
    known(id, call);
  }

  synchronized void remove(ActiveCall call) {
    calls.values().removeIf(c -> c == call);
  }

  public Optional<ActiveCall> find(CallId id) {
    return Optional.ofNullable(calls.get(id));
  }

  /**
   * The call once it is known, or empty after {@code deadline}: Meta may deliver the answer of an
   * outgoing call before the reply to our {@code connect} has told us its id. Nothing waits on a thread:
   * the stage completes on the thread that makes the id known (or on the JDK's timer when none does).
   */
  synchronized CompletableFuture<Optional<ActiveCall>> whenKnown(CallId id, Duration deadline) {
    ActiveCall known = calls.get(id);
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known));
    }
    CompletableFuture<Optional<ActiveCall>> waiter = new CompletableFuture<>();
    waiters.computeIfAbsent(id, k -> new ArrayList<>()).add(waiter);
    waiter.completeOnTimeout(Optional.empty(), deadline.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((call, failure) -> forget(id, waiter));
    return waiter;
  }

  private synchronized void forget(CallId id, CompletableFuture<Optional<ActiveCall>> waiter) {
    List<CompletableFuture<Optional<ActiveCall>>> waiting = waiters.get(id);
    if (waiting != null && waiting.remove(waiter) && waiting.isEmpty()) {
      waiters.remove(id);
    }
  }

  /** Completes who waits for {@code id}, outside the lock where the caller holds none. */
  private void known(CallId id, ActiveCall call) {
    List<CompletableFuture<Optional<ActiveCall>>> waiting;
    synchronized (this) {
      waiting = waiters.remove(id);
    }
    if (waiting != null) {
      waiting.forEach(w -> w.complete(Optional.of(call)));
    }
  }

  public List<ActiveCall> active() {
    return List.copyOf(new LinkedHashSet<>(calls.values()));
  }

  public int count() {
    return (int) calls.values().stream().distinct().count();
  }
}
