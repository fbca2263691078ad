package dev.wavoice.media;

/** Why a call's media failed; {@code kind} goes into the call record as the end reason. */
public record MediaFailure(Kind kind, String detail) {

  public enum Kind {
    /** ICE failed or the WebRTC connection was lost. */
    ICE_FAILED,
    /** DTLS failed. */
    DTLS_FAILED,
    /** Kurento sent an Error event for the pipeline or an endpoint. */
    KMS_ERROR,
    /** The Kurento Media Server restarted (every pipeline on it is gone) or the link to it was lost for good. */
    KMS_RESTARTED
  }
}
