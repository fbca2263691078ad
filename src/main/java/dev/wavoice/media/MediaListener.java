package dev.wavoice.media;

/**
 * What the media plane tells the call layer about one call's media. Called from Kurento's event threads,
 * possibly before {@link MediaGateway#answer} returns: implementations hand off quickly and never block.
 * After {@link MediaSession#close()} nothing more is reported.
 */
public interface MediaListener {

  /** ICE and DTLS are up on the WebRTC leg (media can flow): the moment to {@code accept}. Called at most once. */
  void mediaConnected();

  /**
   * The media of this call is gone for good (ICE or DTLS failed, an error event, Kurento restarted or
   * the link to it was lost). Called at most once; the call layer ends the call through its normal path.
   */
  void mediaFailed(MediaFailure failure);

  /** A state change on the pipeline (ICE, DTLS, media flow, errors), for logs and the call's timeline. */
  default void mediaEvent(MediaEvent event) {}

  /**
   * True when the peer on the WebRTC leg is WhatsApp (the default), false for a browser. WhatsApp's leg
   * gets an ECDSA DTLS certificate, as Meta's calling integration notes recommend; its fingerprint in the
   * SDP is SHA-256 all the same.
   */
  default boolean whatsAppPeer() {
    return true;
  }

  /**
   * True when this listener trickles Kurento's ICE candidates to its peer (a browser): the session then
   * also subscribes to them and reports each through {@link #localCandidate}. WhatsApp does not trickle,
   * so its calls skip that subscription.
   */
  default boolean tricklesCandidates() {
    return false;
  }

  /**
   * One of Kurento's ICE candidates, as found (only when {@link #tricklesCandidates()}). The answer from
   * {@link MediaGateway#answer} already carries every candidate gathered before it; a trickling peer may
   * get them again this way, which is harmless.
   */
  default void localCandidate(String candidate, String sdpMid, int sdpMLineIndex) {}
}
