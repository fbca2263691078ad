package dev.wavoice.call;

import dev.wavoice.CallId;

/**
 * The browser end of a softphone call, as the call layer sees it: where the SDP answer, Kurento's trickled
 * candidates, state changes and the end go. Called on the call's own executor, one at a time;
 * implementations send asynchronously and never block.
 */
public interface SoftphonePeer {

  /** The call exists (admitted or not): its id, for the console and the call record. */
  void created(CallId callId);

  /** The SDP answer to the browser's offer (it already holds every candidate Kurento gathered). */
  void answer(String sdp);

  /** One of Kurento's ICE candidates, trickled. */
  void candidate(String candidate, String sdpMid, int sdpMLineIndex);

  /** The call's state changed ({@code ANSWERED}, {@code ACTIVE}). */
  void state(String state);

  /** The call ended, with the reason and what happened; nothing follows. */
  void ended(EndReason reason, String detail);
}
