package dev.wavoice.audio;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * wavoice's end of the plain-RTP leg: the address Kurento sends RTP to (its RTP socket's port at the
 * advertised address; RTCP on port + 1), the one codec it speaks, and its SSRC. The media plane writes
 * the RtpEndpoint's SDP offer from it.
 */
public record RtpLeg(InetSocketAddress address, AudioCodec codec, long ssrc) {

  public RtpLeg {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(codec, "codec");
  }
}
