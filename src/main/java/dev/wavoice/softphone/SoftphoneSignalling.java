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
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The softphone's signalling at {@code /softphone/signal} (JSON messages, {@link SignalMessage}). The
 * first message must be {@code auth} with the admin token (browsers cannot set headers on a WebSocket,
 * and a token in the URL would end up in logs); a wrong token closes the socket with 4401, no token
 * configured with 4403. Then {@code offer} starts one call through the call layer; the browser trickles
 * its candidates and may {@code hangup}; closing the socket hangs up too. One call per socket.
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

  @Inject CallOrchestrator calls;
  @Inject Config config;

  private boolean authorized;
  private BrowserPeer peer;
  private ActiveCall call;
  /** Candidates that came before the offer was handled (the browser may gather faster than it sends). */
  private final List<SignalMessage.Candidate> early = new ArrayList<>();

  @OnOpen
  public void open(Session session) {
    session.setMaxTextMessageBufferSize(MAX_MESSAGE_BYTES);
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
    switch (AdminToken.check(config, token)) {
      case OK -> {
        authorized = true;
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
    reply(session, SignalMessage.error(code == DISABLED ? "disabled" : "unauthorized", why));
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), why));
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing a softphone connection failed", e);
    }
  }
}
