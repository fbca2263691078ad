package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.ErrorInfo;
import dev.wavoice.realtime.RealtimeWire.Session;
import dev.wavoice.realtime.ServerEvent.ErrorEvent;
import dev.wavoice.realtime.ServerEvent.SessionCreated;
import dev.wavoice.realtime.ServerEvent.SessionUpdated;
import jakarta.json.bind.Jsonb;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket to OpenAI Realtime (GA): {@code <url>?model=<model>} with {@code Authorization: Bearer}
 * and no {@code OpenAI-Beta} header. It waits for {@code session.created}, sends the
 * {@code session.update}, and is ready only when {@code session.updated} echoes the requested input and
 * output formats. After that it hands every event to its {@link Handler}, and reports once how it ended
 * unless wavoice closed it. Text frames are reassembled; sends are serialised by an {@link EventSender}.
 */
final class RealtimeConnection implements WebSocket.Listener {

  private static final Logger LOG = Logger.getLogger(RealtimeConnection.class.getName());

  /** OpenAI's events are far smaller; a bigger message means something is wrong. */
  static final int MAX_MESSAGE_CHARS = 32 * 1024 * 1024;

  /** After our close frame, how long the server gets to answer before the socket is dropped. */
  private static final long CLOSE_GRACE_MS = 3_000;

  interface Handler {
    /** An event after the session was confirmed; called on the WebSocket's thread, in order. */
    void event(RealtimeConnection connection, ServerEvent event);

    /** The connection ended other than by {@link #close()}; called at most once, only after ready. */
    void ended(RealtimeConnection connection, RealtimeFailure failure);
  }

  private enum Phase { CONNECTING, AWAIT_CREATED, AWAIT_UPDATED, READY }

  private final RealtimeSettings settings;
  private final Session requested;
  private final Jsonb jsonb;
  private final ServerEventParser parser;
  private final ScheduledExecutorService timer;
  private final Handler handler;
  private final String label;
  private final CompletableFuture<RealtimeConnection> ready = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final AtomicLong eventSeq = new AtomicLong();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile WebSocket socket;
  private volatile EventSender sender;
  private volatile Phase phase = Phase.CONNECTING;
  private volatile boolean closedByUs;
  private volatile String sessionId;
  private volatile String sessionUpdateEventId;
  private volatile long readyAtNanos;
  /** The keepalive ping awaiting its pong (0: none); pings are numbered by the timer thread only. */
  private volatile long pingOutstanding;
  private long pingSeq;
  private volatile ScheduledFuture<?> keepalive;

  private RealtimeConnection(
      RealtimeSettings settings, Session requested, Jsonb jsonb, ScheduledExecutorService timer, Handler handler, String label) {
    this.settings = settings;
    this.requested = requested;
    this.jsonb = jsonb;
    this.parser = new ServerEventParser(jsonb);
    this.timer = timer;
    this.handler = handler;
    this.label = label;
  }

  /**
   * Opens and configures a session. The future completes when OpenAI confirmed the formats, or fails
   * with a {@link RealtimeException} saying why; either way within about twice the connect timeout.
   */
  static CompletableFuture<RealtimeConnection> open(
      HttpClient http, RealtimeSettings settings, Session requested, Jsonb jsonb, ScheduledExecutorService timer,
      Handler handler, String label) {
    var connection = new RealtimeConnection(settings, requested, jsonb, timer, handler, label);
    connection.connect(http);
    return connection.ready;
  }

  private void connect(HttpClient http) {
    long timeoutMs = settings.connectTimeout().toMillis();
    try {
      http.newWebSocketBuilder()
          .connectTimeout(settings.connectTimeout())
          .header("Authorization", "Bearer " + settings.apiKey())
          .buildAsync(settings.endpoint(), this)
          .whenComplete((ws, error) -> {
            if (error != null) {
              failOpen(handshakeFailure(error));
            }
          });
    } catch (RuntimeException refused) {
      failOpen(RealtimeFailure.of(RealtimeFailure.Kind.CONNECT_FAILED, "cannot open " + settings.url() + ": " + refused));
      return;
    }
    // the JDK bounds the handshake; this bounds handshake + session.created + session.updated
    timer.schedule(() -> {
      if (!ready.isDone()) {
        openFailed(RealtimeFailure.of(
            phase == Phase.CONNECTING ? RealtimeFailure.Kind.CONNECT_FAILED : RealtimeFailure.Kind.CONFIG_REJECTED,
            "OpenAI did not " + switch (phase) {
              case CONNECTING -> "accept the WebSocket";
              case AWAIT_CREATED -> "send session.created";
              default -> "confirm the session.update";
            } + " within " + 2 * timeoutMs + " ms"));
      }
    }, 2 * timeoutMs, TimeUnit.MILLISECONDS);
  }

  private RealtimeFailure handshakeFailure(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof WebSocketHandshakeException refused) {
      int status = refused.getResponse().statusCode();
      return RealtimeFailure.of(
          status == 401 || status == 403 ? RealtimeFailure.Kind.AUTH_REJECTED : RealtimeFailure.Kind.CONNECT_FAILED,
          "OpenAI refused the WebSocket upgrade with HTTP " + status);
    }
    return RealtimeFailure.of(RealtimeFailure.Kind.CONNECT_FAILED,
        "cannot connect to " + settings.url() + ": " + cause);
  }

  // ---- what the session uses

  String sessionId() {
    return sessionId;
  }

  String label() {
    return label + (sessionId == null ? "" : " " + sessionId);
  }

  long readyAtNanos() {
    return readyAtNanos;
  }

  boolean isOpen() {
    return !ended.get();
  }

  /** Builds an event with a fresh {@code event_id} of ours, queues it and returns the id (null if closed). */
  String send(Function<String, ClientEvent> build) {
    EventSender out = sender;
    if (out == null || ended.get()) {
      return null;
    }
    String eventId = "wv_" + eventSeq.incrementAndGet();
    ClientEvent event = build.apply(eventId);
    return out.send(jsonb.toJson(event)) ? eventId : null;
  }

  /** Closes by our choice (normal close after what is queued): nothing is reported. */
  void close() {
    closedByUs = true;
    stopKeepalive();
    if (ended.compareAndSet(false, true)) {
      EventSender out = sender;
      if (out != null) {
        out.close();
      }
      WebSocket ws = socket;
      if (ws != null) {
        timer.schedule(ws::abort, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
      }
    }
    if (!ready.isDone()) {
      ready.completeExceptionally(new RealtimeException(
          RealtimeFailure.of(RealtimeFailure.Kind.CONNECT_FAILED, "closed before the session was ready")));
    }
  }

  /** Ends the connection because of a failure found above it (e.g. a fatal error): reported once. */
  void fail(RealtimeFailure failure) {
    if (phase != Phase.READY) {
      failOpen(failure);
    } else {
      end(failure);
    }
  }

  // ---- WebSocket.Listener (one thread at a time, in order)

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    if (ended.get()) {
      // the opening already failed (deadline) or was closed while the handshake was on its way
      webSocket.abort();
      return;
    }
    sender = new EventSender(webSocket, this::sendFailed);
    phase = Phase.AWAIT_CREATED;
    LOG.fine(() -> label + ": WebSocket open to " + settings.url());
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (partial.length() > MAX_MESSAGE_CHARS) {
      partial.setLength(0);
      fail(RealtimeFailure.of(RealtimeFailure.Kind.TRANSPORT,
          "OpenAI sent a message of more than " + MAX_MESSAGE_CHARS + " characters"));
      return null;
    }
    if (last) {
      String message = partial.toString();
      partial.setLength(0);
      try {
        receive(message);
      } catch (RuntimeException bug) {
        LOG.log(Level.WARNING, label() + ": handling an OpenAI event failed", bug);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
    LOG.fine(() -> label() + ": ignored a binary frame (OpenAI Realtime speaks text)");
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, java.nio.ByteBuffer message) {
    pingOutstanding = 0;
    webSocket.request(1);
    return null;
  }

  /**
   * A peer that went away without a FIN (a dead route, a crashed host, a frozen server) sends nothing,
   * and the JDK client does not always report a cut: a ping goes out every {@code interval}, and a pong
   * not back within {@code timeout} of it ends the connection. One ping at a time.
   */
  private void keepalive() {
    WebSocket ws = socket;
    if (ended.get() || ws == null) {
      stopKeepalive();
      return;
    }
    if (pingOutstanding != 0) {
      return; // its deadline is armed
    }
    long ping = ++pingSeq;
    pingOutstanding = ping;
    try {
      ws.sendPing(java.nio.ByteBuffer.wrap(PING));
    } catch (IllegalStateException busy) {
      // the previous control frame is still going out: this tick sends nothing
      pingOutstanding = 0;
      return;
    }
    long timeoutMs = settings.keepalive().timeout().toMillis();
    timer.schedule(() -> {
      if (pingOutstanding == ping) {
        fail(RealtimeFailure.of(RealtimeFailure.Kind.TRANSPORT,
            "OpenAI did not answer a WebSocket ping within " + timeoutMs + " ms"));
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static final byte[] PING = {'w', 'v'};

  private void stopKeepalive() {
    ScheduledFuture<?> task = keepalive;
    if (task != null) {
      task.cancel(false);
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    if (closedByUs) {
      ended.set(true);
      LOG.fine(() -> label() + ": closed (" + statusCode + ")");
      return null;
    }
    fail(RealtimeErrors.closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    if (closedByUs) {
      return;
    }
    fail(RealtimeFailure.of(phase == Phase.CONNECTING ? RealtimeFailure.Kind.CONNECT_FAILED : RealtimeFailure.Kind.TRANSPORT,
        "the connection to OpenAI broke: " + error));
  }

  // ---- events

  private void receive(String message) {
    switch (parser.parse(message)) {
      case ServerEventParser.Known known -> handle(known.event());
      case ServerEventParser.Unknown unknown -> LOG.fine(() -> label() + ": ignored event type " + unknown.type());
      // the message itself may hold what the caller said: only the reason is logged
      case ServerEventParser.Malformed malformed -> LOG.warning(() -> label() + ": ignored an event: " + malformed.reason());
    }
  }

  private void handle(ServerEvent event) {
    switch (phase) {
      case CONNECTING, AWAIT_CREATED -> {
        if (event instanceof SessionCreated created) {
          sessionId = created.session() == null ? null : created.session().id();
          sessionUpdateEventId = send(id -> new ClientEvent.SessionUpdate(id, requested));
          phase = Phase.AWAIT_UPDATED;
        } else if (event instanceof ErrorEvent error) {
          openingError(error.error());
        } else {
          LOG.fine(() -> label() + ": ignored " + event.getClass().getSimpleName() + " before session.created");
        }
      }
      case AWAIT_UPDATED -> {
        if (event instanceof SessionUpdated updated) {
          String mismatch = formatMismatch(updated.session());
          if (mismatch != null) {
            failOpen(RealtimeFailure.of(RealtimeFailure.Kind.FORMAT_MISMATCH, mismatch));
            return;
          }
          phase = Phase.READY;
          readyAtNanos = System.nanoTime();
          if (!ready.complete(this)) {
            // too late: the opening already failed (deadline) or was closed
            abort();
            return;
          }
          long everyMs = settings.keepalive().interval().toMillis();
          keepalive = timer.scheduleAtFixedRate(this::keepalive, everyMs, everyMs, TimeUnit.MILLISECONDS);
          LOG.info(() -> label() + ": session ready, " + requested.inputFormat() + " both ways, model " + settings.model());
        } else if (event instanceof ErrorEvent error) {
          openingError(error.error());
        } else {
          LOG.fine(() -> label() + ": ignored " + event.getClass().getSimpleName() + " before session.updated");
        }
      }
      case READY -> {
        if (event instanceof SessionUpdated updated) {
          String mismatch = formatMismatch(updated.session());
          if (mismatch != null) {
            end(RealtimeFailure.of(RealtimeFailure.Kind.FORMAT_MISMATCH, mismatch));
            return;
          }
        }
        if (event instanceof ErrorEvent error && RealtimeErrors.severity(error.error()) == RealtimeErrors.Severity.FATAL) {
          LOG.warning(() -> label() + ": OpenAI error " + RealtimeErrors.describe(error.error()) + "; the session ends");
          end(RealtimeErrors.failure(error.error()));
          return;
        }
        handler.event(this, event);
      }
    }
  }

  private void openingError(ErrorInfo error) {
    if (error == null) {
      return;
    }
    if (RealtimeErrors.severity(error) == RealtimeErrors.Severity.FATAL) {
      failOpen(RealtimeErrors.failure(error));
    } else if (phase == Phase.AWAIT_UPDATED) {
      failOpen(new RealtimeFailure(RealtimeFailure.Kind.CONFIG_REJECTED,
          "OpenAI refused the session configuration: " + RealtimeErrors.describe(error), -1, error.code()));
    } else {
      LOG.warning(() -> label() + ": OpenAI error before session.created: " + RealtimeErrors.describe(error));
    }
  }

  /** Null when {@code session.updated} echoes both requested formats, else what differs. */
  private String formatMismatch(Session confirmed) {
    var wantIn = requested.inputFormat();
    var wantOut = requested.outputFormat();
    var gotIn = confirmed == null ? null : confirmed.inputFormat();
    var gotOut = confirmed == null ? null : confirmed.outputFormat();
    if (wantIn.sameAs(gotIn) && wantOut.sameAs(gotOut)) {
      return null;
    }
    return "session.updated confirmed input " + gotIn + " and output " + gotOut + ", but wavoice asked for input "
        + wantIn + " and output " + wantOut + "; audio would be garbled, so the session is not used";
  }

  private void failOpen(RealtimeFailure failure) {
    if (!openFailed(failure) && phase == Phase.READY) {
      end(failure);
    }
  }

  /** Fails the opening unless it already completed (atomically: the deadline timer races the events). */
  private boolean openFailed(RealtimeFailure failure) {
    if (!ready.completeExceptionally(new RealtimeException(failure))) {
      return false;
    }
    ended.set(true);
    LOG.warning(() -> label() + ": could not open the OpenAI session: " + failure);
    abort();
    return true;
  }

  private void end(RealtimeFailure failure) {
    if (ended.compareAndSet(false, true)) {
      LOG.warning(() -> label() + ": OpenAI session ended: " + failure);
      stopKeepalive();
      abort();
      if (!closedByUs) {
        handler.ended(this, failure);
      }
    }
  }

  private void sendFailed(Throwable cause) {
    fail(RealtimeFailure.of(RealtimeFailure.Kind.TRANSPORT, "sending to OpenAI failed: " + cause));
  }

  private void abort() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
  }
}
