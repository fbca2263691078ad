package dev.wavoice.audio;

/**
 * Where the RTP leg reports a datagram it dropped because it did not come from the call's RtpEndpoint.
 * Called on the receive threads, only for dropped datagrams.
 */
public interface ForeignPackets {

  /** Why a datagram was dropped; {@link #tag()} is the metric's {@code reason}. */
  enum Reason {
    /** On either socket before wavoice knew Kurento's end (its SDP answer). */
    EARLY("early"),
    /** On the RTP socket from another address or port than the RtpEndpoint's. */
    RTP_SOURCE("rtp_source"),
    /** On the RTP socket from the RtpEndpoint's address and port, with another SSRC than the one latched. */
    RTP_SSRC("rtp_ssrc"),
    /** On the RTCP socket from another address or port than the RtpEndpoint's RTCP. */
    RTCP_SOURCE("rtcp_source");

    private final String tag;

    Reason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  ForeignPackets NONE = reason -> {};

  void dropped(Reason reason);
}
