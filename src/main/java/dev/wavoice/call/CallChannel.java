package dev.wavoice.call;

import dev.wavoice.CallId;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * What differs between the ways a call reaches wavoice — WhatsApp incoming ({@link WhatsAppIncoming}),
 * WhatsApp outgoing ({@link WhatsAppOutgoing}), the browser softphone ({@link SoftphoneChannel}): how the
 * other side gets our answer, is accepted or dialled, and is told the end. The call core ({@link ActiveCall})
 * keeps everything else: states, deadlines, media, the bridge, the slot and the one end path. Called on the
 * call's executor, one at a time; a step that waits on the other side returns at once with a stage that
 * completes when it answered (so an end never waits for it).
 */
public sealed interface CallChannel permits CallChannel.Incoming, CallChannel.Outgoing {

  /** {@code whatsapp} or {@code softphone}: on the record, the console and the metrics. */
  String name();

  /** The other side trickles its ICE candidates (a browser) rather than putting them all in its offer. */
  boolean tricklesCandidates();

  /** The other side is a WhatsApp client (Meta's ICE-lite peer), whose SDP needs Meta's fixes. */
  boolean whatsAppPeer();

  /** The call exists, admitted or not, under this id. */
  default void created(CallId id) {}

  /** The call's state changed (see {@link ActiveCall.State}). */
  default void stateChanged(String state) {}

  /** One of Kurento's ICE candidates, for a side that trickles them. */
  default void localCandidate(String candidate, String sdpMid, int sdpMLineIndex) {}

  /**
   * wavoice ends a call the other side knows of: {@code reject} one it never accepted, {@code terminate}
   * one it did. Called after the call has released everything; it may wait on the other side.
   *
   * @throws ChannelFailure when the other side could not be told, with what the record must show
   */
  void hangUp(CallId id, boolean accepted);

  /** The call is over and its end published: the last thing the channel hears of it. */
  default void ended(EndReason reason, String detail) {}

  /** How a failure that came from the other side ends the call; null when it is not this channel's. */
  default ChannelFailure explain(CallId id, RuntimeException failure) {
    return null;
  }

  /** A call the other side made: it came with an SDP offer, which we answer. */
  non-sealed interface Incoming extends CallChannel {

    /**
     * Gives the other side our SDP answer; the stage fails with what went wrong. {@code stillWanted} turns
     * false once the call ended: a retry still waiting then is dropped, not sent.
     */
    CompletionStage<Void> answer(CallId id, String sdpAnswer, Duration budget, BooleanSupplier stillWanted);

    /**
     * True when the answer only rings (WhatsApp's {@code pre_accept}): {@link #accept} follows once media
     * connected (or after {@code wavoice.calls.accept-without-media-after-ms}). False when the answer
     * answers the call (the softphone's): the agent starts once media connected.
     */
    boolean provisionalAnswer();

    /** Accepts the call with the same SDP answer; only after a provisional answer. */
    CompletionStage<Void> accept(CallId id, String sdpAnswer, Duration budget, BooleanSupplier stillWanted);
  }

  /** A call wavoice places with an SDP offer; the other side's answer comes back later. */
  non-sealed interface Outgoing extends CallChannel {

    /** Places the call with our offer; returns the other side's id for it. Waits on the other side. */
    CallId dial(String sdpOffer);
  }
}
