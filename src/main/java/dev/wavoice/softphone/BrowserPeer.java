package dev.wavoice.softphone;

import dev.wavoice.CallId;
import dev.wavoice.call.EndReason;
import dev.wavoice.call.SoftphonePeer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The call layer's messages for one browser, sent on its signalling WebSocket without blocking the call. */
final class BrowserPeer implements SoftphonePeer {

  private static final Logger LOG = Logger.getLogger(BrowserPeer.class.getName());

  private final Session session;
  private volatile boolean closed;

  BrowserPeer(Session session) {
    this.session = session;
  }

  @Override
  public void created(CallId callId) {
    send(SignalMessage.callCreated(callId.value()));
  }

  @Override
  public void answer(String sdp) {
    send(SignalMessage.answer(sdp));
  }

  @Override
  public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {
    send(SignalMessage.candidate(new SignalMessage.Candidate(candidate, sdpMid, sdpMLineIndex)));
  }

  @Override
  public void state(String state) {
    send(SignalMessage.state(state));
  }

  @Override
  public void ended(EndReason reason, String detail) {
    send(SignalMessage.ended(reason.name(), detail), this::close);
  }

  void closed() {
    closed = true;
  }

  private void send(SignalMessage message) {
    send(message, () -> { });
  }

  /** Sends without waiting (the container queues the writes), then runs {@code after} once it is written. */
  private synchronized void send(SignalMessage message, Runnable after) {
    if (closed || !session.isOpen()) {
      return;
    }
    session.getAsyncRemote().sendText(SoftphoneSignalling.JSON.toJson(message), result -> after.run());
  }

  private void close() {
    if (closed || !session.isOpen()) {
      return;
    }
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "call ended"));
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the softphone's connection failed", e);
    }
  }
}
