package dev.wavoice.testkit.openai;

import dev.wavoice.testkit.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

/**
 * A strict stand-in for OpenAI Realtime (GA) over WebSocket, on loopback. It accepts
 * {@code /v1/realtime?model=...} with {@code Authorization: Bearer <key>}; a wrong key gets OpenAI's
 * {@code invalid_api_key} error and a close, an {@code OpenAI-Beta} header or a beta-shaped session
 * gets {@code beta_api_shape_disabled} and close code 4000, another path is refused (HTTP 404). Every
 * client event is validated against OpenAI's published schema (see {@link RealtimeSchema}) and against
 * the session's state; every {@code error} event the client's own doing draws (a schema violation, a
 * beta shape, an unknown type, a response already active, a truncate past the audio, ...) is recorded as
 * a violation, which {@link #assertNoViolations()} turns into a test failure. Errors a test scripts (a
 * server error step, a session expiry, the response race it set up) are sent but are no violation. The double's own
 * events are validated before they are sent. Each connection is a {@link DoubleSession} that plays
 * scripted {@link Turn}s and records everything.
 *
 * <p>Next to the WebSocket, on its own port, a small HTTP server answers what OpenAI's REST API answers
 * to {@code GET /v1/models/<model>} (see {@link ModelsEndpoint}): the cheap question whether a key is
 * accepted and a model available.
 *
 * <p>It runs in the test JVM or in its own process ({@link OpenAiRealtimeDoubleMain}).
 */
public final class OpenAiRealtimeDouble implements AutoCloseable {

  public static final String PATH = "/v1/realtime";

  /** Something a client did that OpenAI would refuse (or a bug of the double's own). */
  public record Violation(int session, String eventType, String problem) {}

  private final String apiKey;
  private final Server server;
  private final List<DoubleSession> sessions = new CopyOnWriteArrayList<>();
  private final List<Violation> violations = new CopyOnWriteArrayList<>();
  private final Deque<Turn> turns = new ConcurrentLinkedDeque<>();
  private final Deque<Consumer<DoubleSession>> nextSessionSetups = new ConcurrentLinkedDeque<>();
  private final AtomicInteger sessionCount = new AtomicInteger();
  private final Deque<UpgradeRefusal> refusals = new ConcurrentLinkedDeque<>();
  private final List<UpgradeRefusal> refused = new CopyOnWriteArrayList<>();
  private volatile Consumer<DoubleSession> everySessionSetup = s -> {};
  private final ModelsEndpoint models;

  private OpenAiRealtimeDouble(String apiKey, int port) {
    this.apiKey = apiKey;
    RealtimeSchema.get();
    this.server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server.setReuseAddr(true);
    server.setConnectionLostTimeout(0);
    server.start();
    try {
      if (!server.started.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the OpenAI double did not start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (server.failure != null) {
      throw new IllegalStateException("the OpenAI double could not start", server.failure);
    }
    models = new ModelsEndpoint(apiKey);
  }

  /** Starts on a free loopback port, accepting {@code apiKey}. */
  public static OpenAiRealtimeDouble start(String apiKey) {
    return new OpenAiRealtimeDouble(apiKey, 0);
  }

  public static OpenAiRealtimeDouble start(String apiKey, int port) {
    return new OpenAiRealtimeDouble(apiKey, port);
  }

  public int port() {
    return server.getPort();
  }

  /** {@code ws://127.0.0.1:<port>/v1/realtime}: what {@code wavoice.openai.url} is set to. */
  public String url() {
    return "ws://127.0.0.1:" + port() + PATH;
  }

  String apiKey() {
    return apiKey;
  }

  /** {@code http://127.0.0.1:<port>/v1}: OpenAI's REST API base ({@code wavoice.openai.api-url}). */
  public String apiUrl() {
    return models.baseUrl();
  }

  /** The REST endpoint: its requests, and failures a test can queue. */
  public ModelsEndpoint models() {
    return models;
  }

  // ---- scripting

  /** A response for whichever session answers next (after that session's own queue). */
  public OpenAiRealtimeDouble enqueue(Turn turn) {
    turns.add(turn);
    return this;
  }

  Turn nextTurn() {
    return turns.poll();
  }

  /** Applied to the next session before it sends {@code session.created} (e.g. {@code DoubleSession::mismatchFormats}). */
  public OpenAiRealtimeDouble configureNextSession(Consumer<DoubleSession> setup) {
    nextSessionSetups.add(setup);
    return this;
  }

  /**
   * The next {@code count} WebSocket upgrades are answered with {@code refusal} (an HTTP error, no
   * session) instead of 101, as OpenAI answers a revoked key, a rate limit or an outage.
   */
  public OpenAiRealtimeDouble refuseNextUpgrades(int count, UpgradeRefusal refusal) {
    for (int i = 0; i < count; i++) {
      refusals.add(refusal);
    }
    return this;
  }

  /** The upgrades refused so far, in order. */
  public List<UpgradeRefusal> refusedUpgrades() {
    return List.copyOf(refused);
  }

  /** Drops refusals not yet used (a test class leaves none behind for the next). */
  public void clearRefusals() {
    refusals.clear();
  }

  /** Applied to every new session first. */
  public OpenAiRealtimeDouble configureEverySession(Consumer<DoubleSession> setup) {
    everySessionSetup = setup;
    return this;
  }

  // ---- what happened

  public List<DoubleSession> sessions() {
    return List.copyOf(sessions);
  }

  /** Waits for the {@code index}-th (0-based) session to have connected. */
  public DoubleSession awaitSession(int index, Duration deadline) {
    return Await.value(deadline, "OpenAI double session " + index, () -> sessions.size() > index ? sessions.get(index) : null);
  }

  public DoubleSession lastSession() {
    return sessions.isEmpty() ? null : sessions.get(sessions.size() - 1);
  }

  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  public void clearViolations() {
    violations.clear();
  }

  /**
   * Fails the test when any client event broke OpenAI's rules or drew one of OpenAI's errors (or the
   * double's own event was invalid). What it reports is taken off the list, so the next test of a shared
   * double starts clean.
   */
  public void assertNoViolations() {
    List<Violation> seen = List.copyOf(violations);
    violations.removeAll(seen);
    if (!seen.isEmpty()) {
      StringBuilder text = new StringBuilder("the OpenAI double saw events OpenAI would refuse:");
      for (Violation v : seen) {
        text.append("\n  session ").append(v.session()).append(' ').append(v.eventType()).append(": ").append(v.problem());
      }
      throw new AssertionError(text.toString());
    }
  }

  void violation(DoubleSession session, String eventType, String problem) {
    violations.add(new Violation(session.index(), eventType, problem));
  }

  /** Wakes the server's selector so a closed connection is really let go. */
  void wake(WebSocket connection) {
    server.onWriteDemand(connection);
  }

  @Override
  public void close() {
    models.close();
    try {
      server.stop(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sessions.forEach(DoubleSession::shutdown);
  }

  // ---- the WebSocket server

  private final class Server extends WebSocketServer {

    final CountDownLatch started = new CountDownLatch(1);
    volatile Exception failure;

    Server(InetSocketAddress address) {
      super(address);
      setWebSocketFactory(new OrderedEndOfStream(this, this::queue, () -> {
        UpgradeRefusal refusal = refusals.poll();
        if (refusal != null) {
          refused.add(refusal);
        }
        return refusal;
      }));
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
        throws InvalidDataException {
      Map<String, String> headers = new LinkedHashMap<>();
      for (Iterator<String> names = request.iterateHttpFields(); names.hasNext(); ) {
        String name = names.next();
        headers.put(name, request.getFieldValue(name));
      }
      Handshake handshake = Handshake.of(request.getResourceDescriptor(), headers);
      if (!PATH.equals(handshake.path())) {
        violations.add(new Violation(-1, "handshake", "path " + handshake.path() + " is not " + PATH));
        throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "no such path");
      }
      conn.setAttachment(handshake);
      return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake request) {
      Handshake handshake = conn.getAttachment();
      DoubleSession session = new DoubleSession(OpenAiRealtimeDouble.this, conn, handshake, sessionCount.getAndIncrement());
      everySessionSetup.accept(session);
      Consumer<DoubleSession> setup = nextSessionSetups.poll();
      if (setup != null) {
        setup.accept(session);
      }
      conn.setAttachment(session);
      sessions.add(session);
      session.opened();
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      if (conn.getAttachment() instanceof DoubleSession session) {
        session.message(message);
      }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
      if (conn.getAttachment() instanceof DoubleSession session) {
        violation(session, "binary", "a binary frame: OpenAI Realtime takes JSON text frames");
      }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      if (conn.getAttachment() instanceof DoubleSession session) {
        session.closedByPeer(code);
      }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
      if (conn == null) {
        failure = ex;
        started.countDown();
      }
    }

    @Override
    public void onWebsocketPing(WebSocket conn, org.java_websocket.framing.Framedata ping) {
      if (conn.getAttachment() instanceof DoubleSession session) {
        if (session.frozen()) {
          return;
        }
        session.pinged();
      }
      super.onWebsocketPing(conn, ping);
    }

    @Override
    public void onStart() {
      started.countDown();
    }
  }

  /** For diagnostics: the types each session received. */
  public List<List<String>> receivedTypes() {
    List<List<String>> all = new ArrayList<>();
    sessions.forEach(s -> all.add(s.receivedTypes()));
    return all;
  }
}
