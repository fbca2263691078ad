package dev.wavoice.media;

/** Building or negotiating a call's media failed; nothing of it is left on Kurento. */
public class MediaException extends RuntimeException {

  public enum Reason {
    /** No Kurento Media Server is connected. */
    KMS_UNAVAILABLE,
    /** The remote SDP could not be used (parse error, no audio, no Opus, ...). */
    BAD_SDP,
    /** ICE candidates were not gathered within the deadline. */
    GATHERING_TIMEOUT,
    /** Kurento refused a request or did not answer in time. */
    KMS_ERROR
  }

  private final Reason reason;

  public MediaException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public MediaException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
