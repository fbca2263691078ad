package dev.wavoice.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Remembers delivery keys (e.g. call id + event) for a bounded window, so that Meta's redeliveries are
 * dispatched once. Bounded in size too: past {@code maxEntries} the oldest keys are forgotten first.
 * A key counts as seen only once its delivery has been taken for processing: a hand-off that is refused
 * forgets it again, so Meta's redelivery of it is processed. The keys live in this instance's memory
 * ({@link LocalKeys}) or, in a cluster, in a memory all members share.
 */
public final class DeliveryDeduplicator {

  /** Where seen keys are remembered: this instance's memory, or one shared by a cluster. */
  public interface Keys {
    /** True the first time a key is offered within the window; false for a repeat. */
    boolean firstDelivery(String key);

    /** Forgets a key, so its next delivery counts as the first. */
    void forget(String key);
  }

  private final Keys keys;

  public DeliveryDeduplicator(Clock clock, Duration window, int maxEntries) {
    this(new LocalKeys(clock, window, maxEntries));
  }

  public DeliveryDeduplicator(Keys keys) {
    this.keys = keys;
  }

  /** True the first time a key is offered within the window; false for a repeat. */
  public boolean firstDelivery(String key) {
    return keys.firstDelivery(key);
  }

  /**
   * Hands a delivery off once: false for a repeat (nothing handed off), true once {@code handOff} took it.
   * A hand-off that throws, or whose stage fails because no thread would take it, forgets the key; a
   * refusal on the spot is rethrown as {@link HandOffRefused} so the webhook can ask Meta to redeliver.
   */
  public boolean handOffOnce(String key, Supplier<? extends CompletionStage<?>> handOff) {
    if (!firstDelivery(key)) {
      return false;
    }
    CompletionStage<?> taken;
    try {
      taken = handOff.get();
    } catch (RuntimeException refused) {
      forget(key);
      throw new HandOffRefused(key, refused);
    }
    taken.whenComplete((ok, failure) -> {
      if (failure != null && refusedByExecutor(failure)) {
        forget(key);
      }
    });
    return true;
  }

  /** Forgets a key, so its next delivery counts as the first. */
  public void forget(String key) {
    keys.forget(key);
  }

  private static boolean refusedByExecutor(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RejectedExecutionException) {
        return true;
      }
    }
    return false;
  }

  /** A delivery no thread took: not remembered, so its redelivery is processed. */
  public static final class HandOffRefused extends RuntimeException {
    HandOffRefused(String key, Throwable cause) {
      super("delivery " + key + " was not taken for processing: " + cause, cause);
    }
  }

  int size() {
    return keys instanceof LocalKeys local ? local.size() : -1;
  }

  /** This instance's memory of keys, bounded in time and size. */
  public static final class LocalKeys implements Keys {

    private final Clock clock;
    private final Duration window;
    private final int maxEntries;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    public LocalKeys(Clock clock, Duration window, int maxEntries) {
      this.clock = clock;
      this.window = window;
      this.maxEntries = maxEntries;
    }

    @Override
    public boolean firstDelivery(String key) {
      Instant now = clock.instant();
      boolean[] fresh = new boolean[1];
      seen.compute(
          key,
          (k, at) -> {
            fresh[0] = at == null || !at.plus(window).isAfter(now);
            return fresh[0] ? now : at;
          });
      boolean first = fresh[0];
      if (first && seen.size() > maxEntries) {
        prune(now);
      }
      return first;
    }

    @Override
    public void forget(String key) {
      seen.remove(key);
    }

    int size() {
      return seen.size();
    }

    private void prune(Instant now) {
      seen.values().removeIf(at -> !at.plus(window).isAfter(now));
      Iterator<Map.Entry<String, Instant>> oldest =
          seen.entrySet().stream().sorted(Map.Entry.comparingByValue()).iterator();
      while (seen.size() > maxEntries && oldest.hasNext()) {
        seen.remove(oldest.next().getKey());
      }
    }
  }
}
