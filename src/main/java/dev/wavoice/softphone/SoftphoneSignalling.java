package dev.wavoice.softphone;

import dev.wavoice.call.ActiveCall;
import dev.wavoice.call.CallOrchestrator;
import dev.wavoice.call.EndReason;
import dev.wavoice.ops.AdminToken;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The softphone's signalling at {@code /softphone/signal} (JSON messages, {@link SignalMessage}). The
 * first message must be {@code auth} with the admin token (browsers cannot set headers on a WebSocket,
 * and a token in the URL would end up in logs); a wrong token closes the socket with 4401, no token
 * configured with 4403, and a socket that has not signed in within {@link #SIGN_IN_TIMEOUT} is closed with
 * 1008 (policy violation): an idle socket holds nothing. Then {@code offer} starts one call through the
 * call layer; the browser trickles its candidates (at most {@link #MAX_EARLY_CANDIDATES} are held before
 * the offer is handled) and may {@code hangup}; closing the socket hangs up too. One call per socket.
 *
 * <p>The container makes one instance per connection, so the fields are that connection's state; its
 * messages arrive one at a time. Field injection: endpoints are made by the WebSocket container.
 */
@ServerEndpoint("/softphone/signal")
public class SoftphoneSignalling {

  private static final Logger LOG = Logger.getLogger(SoftphoneSignalling.class.getName());
  static final Jsonb JSON = JsonbBuilder.create(new JsonbConfig().withNullValues(false));
  /** An SDP offer with its candidates is a few kB; this leaves room and refuses floods. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024;
  static final short UNAUTHORIZED = 4401;
  static final short DISABLED = 4403;
  /** A browser signs in with its first message, right after the socket opens; this is generous. */
  static final Duration SIGN_IN_TIMEOUT = Duration.ofSeconds(10);
  /** A browser gathers a handful per network interface; more before the offer is a flood. */
  static final int MAX_EARLY_CANDIDATES = 32;

  @Inject CallOrchestrator calls;
  @Inject AdminToken token;
  @Inject SignInDeadlines deadlines;

  private volatile boolean authorized;
  private ScheduledFuture<?> signInDeadline;
  private BrowserPeer peer;
  private ActiveCall call;
  /** Candidates that came before the offer was handled (the browser may gather faster than it sends). */
  private final List<SignalMessage.Candidate> early = new ArrayList<>();

  @OnOpen
  public void open(Session session) {
    session.setMaxTextMessageBufferSize(MAX_MESSAGE_BYTES);
    signInDeadline = deadlines.after(SIGN_IN_TIMEOUT, () -> {
      if (!authorized && session.isOpen()) {
        close(session, CloseReason.CloseCodes.VIOLATED_POLICY,
            "sign in within " + SIGN_IN_TIMEOUT.toSeconds() + " s: the first message must be auth with the admin token");
      }
    });
  }

  @OnMessage
  public void message(Session session, String text) {
    SignalMessage message;
    try {
      message = JSON.fromJson(text, SignalMessage.class);
    } catch (JsonbException e) {
      reply(session, SignalMessage.error("bad_message", "not a signalling message (JSON with a type): " + e.getMessage()));
      return;
    }
    if (message == null || message.type() == null) {
      reply(session, SignalMessage.error("bad_message", "a signalling message needs a type"));
      return;
    }
    if (!authorized && !"auth".equals(message.type())) {
      close(session, UNAUTHORIZED, "sign in first: the first message must be auth with the admin token");
      return;
    }
    switch (message.type()) {
      case "auth" -> auth(session, message.token());
      case "offer" -> offer(session, message.sdp());
      case "candidate" -> candidate(session, message.candidate());
      case "hangup" -> hangUp("the softphone hung up");
      default -> reply(session, SignalMessage.error("bad_message", "unknown message type '" + message.type() + "'"));
    }
  }

  private void auth(Session session, String token) {
    switch (this.token.check(token)) {
      case OK -> {
        authorized = true;
        signInDeadline.cancel(false);
        reply(session, SignalMessage.of("ready"));
      }
      case DISABLED -> close(session, DISABLED, "the softphone is disabled: set " + AdminToken.KEY);
      case WRONG -> {
        LOG.warning("softphone refused: wrong admin token");
        close(session, UNAUTHORIZED, "wrong admin token");
      }
    }
  }

  private void offer(Session session, String sdp) {
    if (call != null) {
      reply(session, SignalMessage.error("bad_message", "this connection already has a call; open a new one for the next call"));
      return;
    }
    if (sdp == null || sdp.isBlank()) {
      reply(session, SignalMessage.error("bad_message", "offer needs the SDP offer in 'sdp'"));
      return;
    }
    peer = new BrowserPeer(session);
    call = calls.softphone(sdp, peer);
    early.forEach(c -> call.remoteCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
    early.clear();
  }

  private void candidate(Session session, SignalMessage.Candidate candidate) {
    if (candidate == null || candidate.candidate() == null || candidate.sdpMLineIndex() == null) {
      reply(session, SignalMessage.error("bad_message", "candidate needs candidate.candidate and candidate.sdpMLineIndex"));
      return;
    }
    if (candidate.candidate().isBlank()) {
      return; // end of candidates: nothing to tell Kurento
    }
    if (call == null) {
      if (early.size() >= MAX_EARLY_CANDIDATES) {
        reply(session, SignalMessage.error("bad_message", "more than " + MAX_EARLY_CANDIDATES + " candidates before the offer"));
        return;
      }
      early.add(candidate);
    } else {
      call.remoteCandidate(candidate.candidate(), candidate.sdpMid(), candidate.sdpMLineIndex());
    }
  }

  private void hangUp(String detail) {
    if (call != null) {
      call.hangUp(EndReason.REMOTE_TERMINATE, detail);
    }
  }

  @OnClose
  public void closed(Session session, CloseReason reason) {
    if (signInDeadline != null) {
      signInDeadline.cancel(false);
    }
    if (peer != null) {
      peer.closed();
    }
    hangUp("the softphone's connection closed");
  }

  @OnError
  public void error(Session session, Throwable failure) {
    LOG.log(Level.FINE, "softphone connection failed", failure);
  }

  static void reply(Session session, SignalMessage message) {
    if (session.isOpen()) {
      session.getAsyncRemote().sendText(JSON.toJson(message));
    }
  }

  /** Says why in an error message (the page shows it), then closes with the same reason. */
  private static void close(Session session, short code, String why) {
    close(session, CloseReason.CloseCodes.getCloseCode(code), why);
  }

  private static void close(Session session, CloseReason.CloseCode code, String why) {
    reply(session, SignalMessage.error(code.getCode() == DISABLED ? "disabled" : "unauthorized", why));
    try {
      session.close(new CloseReason(code, why));
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing a softphone connection failed", e);
    }
  }
}
