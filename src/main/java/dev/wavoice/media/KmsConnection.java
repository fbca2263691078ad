package dev.wavoice.media;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kurento.client.KurentoClient;
import org.kurento.client.KurentoClientBuilder;

/**
 * The link to one Kurento Media Server and the calls living on it.
 *
 * <ul>
 *   <li>Connects in the background and retries with exponential backoff: kurento-client's first
 *       connect does not retry by itself, and the app must start while KMS is down.
 *   <li>Once connected, kurento-client reconnects by itself after a dropped socket. If KMS restarted
 *       meanwhile ({@code reconnected(false)}), every object on it is gone: every call on it gets
 *       {@link MediaFailure.Kind#KMS_RESTARTED}.
 *   <li>A cheap request ({@code getServerManager().getInfo()}) every ping interval keeps the link
 *       honest: kurento-client does not restart its own heartbeat after a reconnect. After
 *       {@value #LOST_AFTER_FAILED_PINGS} failed pings in a row the link counts as lost: its calls fail,
 *       the client is destroyed and a new one connects with backoff.
 * </ul>
 */
final class KmsConnection {

  static final int LOST_AFTER_FAILED_PINGS = 3;

  /** What readiness and operators see for one KMS. */
  enum State { CONNECTING, CONNECTED, RECONNECTING, CLOSED }

  private static final Logger LOG = Logger.getLogger(KmsConnection.class.getName());

  private final URI url;
  private final String displayUrl;
  private final KurentoSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Consumer<KmsConnection> onConnected;
  private final MediaMetrics metrics;
  private final Set<KurentoMediaSession> sessions = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();

  // guarded by lock
  private KurentoClient client;
  private Object generation;
  /** The attempt whose link dropped before it was taken into use (KMS went down during the handshake). */
  private Object droppedBeforeUse;
  private State state = State.CONNECTING;
  private Duration nextRetry;
  private int failedPings;
  private int failedConnects;
  private String lastProblem = "";
  private String version = "";
  private ScheduledFuture<?> retry;
  private ScheduledFuture<?> ping;

  KmsConnection(URI url, KurentoSettings settings, ScheduledExecutorService scheduler, Consumer<KmsConnection> onConnected,
      MediaMetrics metrics) {
    this.metrics = metrics;
    this.url = url;
    this.displayUrl = KurentoSettings.display(url);
    this.settings = settings;
    this.scheduler = scheduler;
    this.onConnected = onConnected;
    this.nextRetry = settings.retryMin();
  }

  /** Starts connecting in the background; returns at once. */
  void start() {
    synchronized (lock) {
      long pingMs = settings.pingInterval().toMillis();
      ping = scheduler.scheduleWithFixedDelay(this::ping, pingMs, pingMs, TimeUnit.MILLISECONDS);
      retry = scheduler.schedule(this::connect, 0, TimeUnit.MILLISECONDS);
    }
  }

  URI url() {
    return url;
  }

  String displayUrl() {
    return displayUrl;
  }

  State state() {
    synchronized (lock) {
      return state;
    }
  }

  String lastProblem() {
    synchronized (lock) {
      return lastProblem;
    }
  }

  /** The version the server reported in its last answer to {@code getInfo}; empty before the first. */
  String version() {
    synchronized (lock) {
      return version;
    }
  }

  /** The client while the link is up (connected, not reconnecting). */
  Optional<KurentoClient> client() {
    synchronized (lock) {
      return state == State.CONNECTED ? Optional.ofNullable(client) : Optional.empty();
    }
  }

  /** True while {@code c} is this KMS's current, connected client: objects made through it still exist. */
  boolean isLive(KurentoClient c) {
    synchronized (lock) {
      return c != null && c == client && state == State.CONNECTED;
    }
  }

  int openSessions() {
    return sessions.size();
  }

  List<KurentoMediaSession> sessions() {
    return List.copyOf(sessions);
  }

  void register(KurentoMediaSession session) {
    sessions.add(session);
  }

  void unregister(KurentoMediaSession session) {
    sessions.remove(session);
  }

  // ---- connecting

  private void connect() {
    Object attempt = new Object();
    synchronized (lock) {
      if (state == State.CLOSED || client != null) {
        return;
      }
      generation = attempt;
    }
    KurentoClient connected;
    try {
      connected = new KurentoClientBuilder()
          .setKmsWsUri(url.toString())
          .setConnectionTimeout(settings.connectTimeout().toMillis())
          .onReconnecting(() -> reconnecting(attempt))
          .onReconnected(sameServer -> reconnected(attempt, sameServer))
          .onDisconnected(() -> lost(attempt, "the link to Kurento closed"))
          .onConnectionFailed(() -> lost(attempt, "reconnecting to Kurento failed"))
          .connect();
    } catch (RuntimeException e) {
      Duration delay;
      int failures;
      synchronized (lock) {
        if (state == State.CLOSED) {
          return;
        }
        lastProblem = "cannot connect: " + rootMessage(e);
        failures = ++failedConnects;
        delay = scheduleRetry();
      }
      Level level = failures == 1 || failures % 20 == 0 ? Level.WARNING : Level.FINE;
      LOG.log(level, () -> "Kurento at " + displayUrl + " is not reachable (" + rootMessage(e) + "); attempt " + failures
          + ", next in " + delay.toMillis() + " ms");
      return;
    }
    String reported = serverVersion(connected);
    boolean keep;
    synchronized (lock) {
      boolean dropped = droppedBeforeUse == attempt;
      keep = state != State.CLOSED && generation == attempt && !dropped;
      if (dropped && state != State.CLOSED && generation == attempt) {
        // the link closed while connecting: this client is dead, connect anew
        generation = null;
        lastProblem = "the link closed while connecting";
        scheduleRetry();
      }
      if (keep) {
        client = connected;
        state = State.CONNECTED;
        version = reported;
        nextRetry = settings.retryMin();
        failedPings = 0;
        failedConnects = 0;
        lastProblem = "";
      }
    }
    if (!keep) {
      connected.destroy();
      return;
    }
    LOG.info(() -> "connected to Kurento at " + displayUrl + (reported.isEmpty() ? "" : " (version " + reported + ")"));
    onConnected.accept(this);
  }

  /** Asks the server for its version once it is connected; empty when it does not say. */
  private String serverVersion(KurentoClient c) {
    try {
      String v = c.getServerManager().getInfo().getVersion();
      return v == null ? "" : v;
    } catch (RuntimeException e) {
      LOG.fine(() -> "Kurento at " + displayUrl + " did not tell its version: " + rootMessage(e));
      return "";
    }
  }

  /** Must hold lock. */
  private Duration scheduleRetry() {
    Duration delay = nextRetry;
    Duration doubled = nextRetry.multipliedBy(2);
    nextRetry = doubled.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : doubled;
    try {
      retry = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.fine(() -> "not retrying Kurento at " + displayUrl + ": the scheduler is shut down");
    }
    return delay;
  }

  private void reconnecting(Object attempt) {
    synchronized (lock) {
      if (droppedWhileConnecting(attempt)) {
        return;
      }
      if (generation != attempt || client == null || state == State.CLOSED) {
        return;
      }
      state = State.RECONNECTING;
      lastProblem = "the link dropped; reconnecting";
    }
    LOG.warning(() -> "the link to Kurento at " + displayUrl + " dropped; kurento-client is reconnecting");
  }

  private void reconnected(Object attempt, boolean sameServer) {
    synchronized (lock) {
      if (generation != attempt || client == null || state == State.CLOSED) {
        return;
      }
      state = State.CONNECTED;
      failedPings = 0;
      lastProblem = sameServer ? "" : "Kurento restarted";
    }
    metrics.reconnected(!sameServer);
    if (sameServer) {
      LOG.info(() -> "reconnected to Kurento at " + displayUrl + "; its pipelines are intact");
    } else {
      LOG.warning(() -> "Kurento at " + displayUrl + " restarted: every pipeline on it is gone");
      failAll("Kurento at " + displayUrl + " restarted: every pipeline on it is gone");
    }
    onConnected.accept(this);
  }

  /** Marks the attempt still connecting (its client not yet in use) as dropped; call with the lock held. */
  private boolean droppedWhileConnecting(Object attempt) {
    if (generation == attempt && client == null && state != State.CLOSED) {
      droppedBeforeUse = attempt;
      return true;
    }
    return false;
  }

  /** The link is gone for good: fail its calls, drop the client, connect anew with backoff. */
  private void lost(Object attempt, String why) {
    KurentoClient old;
    synchronized (lock) {
      if (droppedWhileConnecting(attempt)) {
        return;
      }
      if (generation != attempt || client == null || state == State.CLOSED) {
        return;
      }
      old = client;
      client = null;
      generation = null;
      state = State.CONNECTING;
      lastProblem = why;
      scheduleRetry();
    }
    LOG.warning(() -> "lost Kurento at " + displayUrl + ": " + why);
    failAll("lost the link to Kurento at " + displayUrl + ": " + why);
    destroyQuietly(old);
  }

  private void failAll(String detail) {
    MediaFailure failure = new MediaFailure(MediaFailure.Kind.KMS_RESTARTED, detail);
    for (KurentoMediaSession session : List.copyOf(sessions)) {
      sessions.remove(session);
      session.fail(failure);
    }
  }

  private void ping() {
    KurentoClient c;
    Object attempt;
    synchronized (lock) {
      c = client;
      attempt = generation;
    }
    if (c == null) {
      return;
    }
    try {
      String reported = c.getServerManager().getInfo().getVersion();
      synchronized (lock) {
        if (generation == attempt) {
          failedPings = 0;
          if (reported != null) {
            version = reported; // a restarted server may be a new version
          }
        }
      }
    } catch (RuntimeException e) {
      int failures;
      synchronized (lock) {
        if (generation != attempt) {
          return;
        }
        failures = ++failedPings;
        lastProblem = "ping failed: " + rootMessage(e);
      }
      LOG.warning(() -> "Kurento at " + displayUrl + " did not answer a ping (" + failures + " in a row): " + rootMessage(e));
      if (failures >= LOST_AFTER_FAILED_PINGS) {
        lost(attempt, "no answer to " + failures + " pings in a row");
      }
    }
  }

  /** Stops retrying and pinging and destroys the client, which closes its Kurento session (its objects go with it). */
  void close() {
    KurentoClient old;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      old = client;
      client = null;
      generation = null;
      if (retry != null) {
        retry.cancel(false);
      }
      if (ping != null) {
        ping.cancel(false);
      }
    }
    destroyQuietly(old);
  }

  private void destroyQuietly(KurentoClient c) {
    if (c == null) {
      return;
    }
    try {
      c.destroy();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "destroying the client of Kurento at " + displayUrl + " failed", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
