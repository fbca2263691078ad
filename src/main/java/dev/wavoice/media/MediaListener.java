package dev.wavoice.media;

/**
 * What the media plane tells the call layer about one call's media. Called from Kurento's event threads:
 * implementations hand off quickly and never block.
 */
public interface MediaListener {

  /** ICE and DTLS are up on the WebRTC leg (media can flow): the moment to {@code accept}. */
  void mediaConnected();

  /** The media of this call is gone for good (ICE failed, an error event, Kurento restarted, ...). */
  void mediaFailed(MediaFailure failure);
}
