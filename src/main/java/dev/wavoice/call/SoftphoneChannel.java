package dev.wavoice.call;

import dev.wavoice.CallId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.function.BooleanSupplier;

/**
 * A call from the browser softphone: no Meta. Our answer goes to the browser and answers the call; the
 * browser hears the states, Kurento's trickled candidates and the end through its {@link SoftphonePeer}.
 * A failing browser link never breaks the call.
 */
final class SoftphoneChannel implements CallChannel.Incoming {

  private static final Logger LOG = Logger.getLogger(SoftphoneChannel.class.getName());

  private final SoftphonePeer peer;
  private volatile CallId id;

  SoftphoneChannel(SoftphonePeer peer) {
    this.peer = peer;
  }

  @Override
  public String name() {
    return CallOrchestrator.SOFTPHONE;
  }

  @Override
  public boolean tricklesCandidates() {
    return true;
  }

  @Override
  public boolean whatsAppPeer() {
    return false;
  }

  @Override
  public void created(CallId callId) {
    id = callId;
    tell(p -> p.created(callId));
  }

  @Override
  public CompletionStage<Void> answer(CallId callId, String sdpAnswer, Duration budget, BooleanSupplier stillWanted) {
    tell(p -> p.answer(sdpAnswer)); // sent without waiting: it is done at once
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean provisionalAnswer() {
    return false;
  }

  @Override
  public CompletionStage<Void> accept(CallId callId, String sdpAnswer, Duration budget, BooleanSupplier stillWanted) {
    return CompletableFuture.completedFuture(null); // the answer answered the call
  }

  @Override
  public void stateChanged(String state) {
    tell(p -> p.state(state));
  }

  @Override
  public void localCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
    tell(p -> p.candidate(candidate, sdpMid, sdpMLineIndex));
  }

  /** The browser learns every end from {@link #ended}, whoever ended the call. */
  @Override
  public void hangUp(CallId callId, boolean accepted) {}

  @Override
  public void ended(EndReason reason, String detail) {
    tell(p -> p.ended(reason, detail));
  }

  private void tell(Consumer<SoftphonePeer> message) {
    try {
      message.accept(peer);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "call " + id + ": telling the softphone failed", e);
    }
  }
}
