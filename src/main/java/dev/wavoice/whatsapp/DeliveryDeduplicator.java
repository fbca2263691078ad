package dev.wavoice.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers delivery keys (e.g. call id + event) for a bounded window, so that Meta's redeliveries are
 * dispatched once. Bounded in size too: past {@code maxEntries} the oldest keys are forgotten first.
 */
public final class DeliveryDeduplicator {

  private final Clock clock;
  private final Duration window;
  private final int maxEntries;
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();

  public DeliveryDeduplicator(Clock clock, Duration window, int maxEntries) {
    this.clock = clock;
    this.window = window;
    this.maxEntries = maxEntries;
  }

  /** True the first time a key is offered within the window; false for a repeat. */
  public boolean firstDelivery(String key) {
    Instant now = clock.instant();
    Instant[] previous = new Instant[1];
    seen.compute(
        key,
        (k, at) -> {
          previous[0] = at;
          return (at != null && at.plus(window).isAfter(now)) ? at : now;
        });
    boolean first = previous[0] == null || !previous[0].plus(window).isAfter(now);
    if (first && seen.size() > maxEntries) {
      prune(now);
    }
    return first;
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
