package dev.wavoice.media;

/**
 * One state change of a call's media as Kurento reports it, for logs and the call's timeline. The call
 * layer acts on {@link MediaListener#mediaConnected()} and {@link MediaListener#mediaFailed}, not on these.
 *
 * @param leg which part of the pipeline reported it
 * @param kind what changed
 * @param state the new state as Kurento names it (e.g. {@code CONNECTED}, {@code FLOWING}), or the error type
 * @param detail more about it (component, candidates, error description), may be empty
 */
public record MediaEvent(Leg leg, Kind kind, String state, String detail) {

  public enum Leg {
    /** The WebRtcEndpoint facing WhatsApp. */
    WEBRTC,
    /** The RtpEndpoint facing wavoice's audio plane. */
    RTP,
    /** The pipeline itself. */
    PIPELINE
  }

  public enum Kind {
    ICE_COMPONENT,
    ICE_CANDIDATE_PAIR,
    DTLS,
    MEDIA_FLOW_IN,
    MEDIA_FLOW_OUT,
    ERROR
  }
}
