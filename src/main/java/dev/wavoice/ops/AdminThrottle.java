package dev.wavoice.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing of the admin token: after {@link #MAX_FAILURES} wrong tokens from one client
 * (remote address) within {@link #WINDOW}, that client is refused for {@link #BLOCK} without its token
 * being looked at — a right guess during the block would not tell. A right token clears the client's
 * count. Memory is bounded: at most {@link #MAX_CLIENTS} clients are tracked; beyond that the newcomers
 * share one count, so a flood from many addresses is throttled as one.
 */
@ApplicationScoped
public class AdminThrottle {

  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final Duration BLOCK = Duration.ofMinutes(1);
  static final int MAX_CLIENTS = 10_000;
  /** The shared count of clients that arrive while the table is full. */
  static final String OVERFLOW = "(others)";

  /** One client's wrong tokens: when its window began, how many, and until when it is refused. */
  private record Strikes(Instant windowStart, int count, Instant blockedUntil) {}

  private Clock clock;
  private final Map<String, Strikes> clients = new ConcurrentHashMap<>();

  protected AdminThrottle() {}

  @Inject
  public AdminThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long this client must wait before its token is checked again; empty when it may try now. */
  public Optional<Duration> retryAfter(String client) {
    Strikes strikes = clients.get(key(client));
    Instant now = clock.instant();
    if (strikes == null || strikes.blockedUntil() == null || !now.isBefore(strikes.blockedUntil())) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, strikes.blockedUntil()));
  }

  /** A wrong token from this client; blocks it once it has {@link #MAX_FAILURES} within the window. */
  public void failed(String client) {
    Instant now = clock.instant();
    clients.compute(key(client), (k, old) -> {
      Strikes fresh = old == null || !now.isBefore(old.windowStart().plus(WINDOW))
          ? new Strikes(now, 1, null)
          : new Strikes(old.windowStart(), old.count() + 1, old.blockedUntil());
      return fresh.count() >= MAX_FAILURES ? new Strikes(now, 0, now.plus(BLOCK)) : fresh;
    });
  }

  /** The right token: the client starts afresh. */
  public void succeeded(String client) {
    clients.remove(client);
  }

  int tracked() {
    return clients.size();
  }

  private String key(String client) {
    if (clients.containsKey(client) || clients.size() < MAX_CLIENTS) {
      return client;
    }
    Instant now = clock.instant();
    clients.entrySet().removeIf(e -> expired(e.getValue(), now));
    return clients.size() < MAX_CLIENTS ? client : OVERFLOW;
  }

  private static boolean expired(Strikes strikes, Instant now) {
    boolean blocked = strikes.blockedUntil() != null && now.isBefore(strikes.blockedUntil());
    return !blocked && !now.isBefore(strikes.windowStart().plus(WINDOW));
  }
}
