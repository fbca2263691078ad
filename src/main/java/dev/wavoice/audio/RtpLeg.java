package dev.wavoice.audio;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * wavoice's end of the plain-RTP leg: the UDP address its RTP socket is bound to (RTCP on port + 1), the
 * one codec it speaks, and its SSRC. The media plane writes the RtpEndpoint's SDP offer from it.
 */
public record RtpLeg(InetSocketAddress local, AudioCodec codec, long ssrc) {

  public RtpLeg {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(codec, "codec");
  }
}
