package dev.wavoice.audio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The far end of a call's RTP leg, Kurento's RtpEndpoint: where wavoice sends RTP and RTCP, and what it
 * accepts back. Kurento sends from the sockets it receives on, so a datagram is the RtpEndpoint's when
 * its source port is that of the target (RTP or RTCP) and its source address one of {@code sourceAddresses}
 * (the address wavoice sends to, always included, and the one Kurento's SDP answer names).
 */
public record RtpRemote(InetSocketAddress rtp, InetSocketAddress rtcp, Set<InetAddress> sourceAddresses) {

  public RtpRemote {
    requireResolved(rtp, "RTP");
    requireResolved(rtcp, "RTCP");
    Set<InetAddress> sources = new HashSet<>(Objects.requireNonNull(sourceAddresses, "sourceAddresses"));
    sources.add(rtp.getAddress());
    sources.add(rtcp.getAddress());
    sourceAddresses = Set.copyOf(sources);
  }

  /** Kurento at {@code rtp}, RTCP on the port above, accepted only from that address. */
  public static RtpRemote at(InetSocketAddress rtp) {
    requireResolved(rtp, "RTP");
    return new RtpRemote(rtp, new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1), Set.of());
  }

  boolean isRtpSource(InetSocketAddress from) {
    return from.getPort() == rtp.getPort() && sourceAddresses.contains(from.getAddress());
  }

  boolean isRtcpSource(InetSocketAddress from) {
    return from.getPort() == rtcp.getPort() && sourceAddresses.contains(from.getAddress());
  }

  private static void requireResolved(InetSocketAddress target, String what) {
    Objects.requireNonNull(target, what + " target");
    if (target.isUnresolved()) {
      throw new IllegalArgumentException(what + " target " + target + " is not resolved");
    }
  }
}
