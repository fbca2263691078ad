package dev.wavoice.audio;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.logging.Logger;

/**
 * Admits to one socket of a call only what the call's RtpEndpoint sends: from its address and port (see
 * {@link RtpRemote}) and, on the RTP socket, with one SSRC, latched from the first valid RTP packet from
 * that source. Anything else is dropped and counted: without it anyone who can reach the port speaks into
 * the call. Checked on the socket's receive thread; {@link #expect} comes from the call's thread.
 */
final class SourceGate {

  private static final Logger LOG = Logger.getLogger(SourceGate.class.getName());

  private final boolean rtp;
  private final ForeignPackets counter;
  private final String name;
  private volatile RtpRemote remote;
  // receive thread only
  private boolean latched;
  private long ssrc;
  private boolean warned;
  private volatile long dropped;

  private SourceGate(boolean rtp, ForeignPackets counter, String name) {
    this.rtp = rtp;
    this.counter = counter;
    this.name = name;
  }

  static SourceGate forRtp(ForeignPackets counter, String name) {
    return new SourceGate(true, counter, name);
  }

  static SourceGate forRtcp(ForeignPackets counter, String name) {
    return new SourceGate(false, counter, name);
  }

  /** Kurento's end is known: from now on its datagrams are admitted. */
  void expect(RtpRemote remote) {
    this.remote = remote;
  }

  /** True when the datagram is the RtpEndpoint's; otherwise it is counted as dropped. */
  boolean admits(SocketAddress from, byte[] buf, int len) {
    RtpRemote known = remote;
    if (known == null) {
      return drop(ForeignPackets.Reason.EARLY, from);
    }
    InetSocketAddress source = (InetSocketAddress) from;
    if (!(rtp ? known.isRtpSource(source) : known.isRtcpSource(source))) {
      return drop(rtp ? ForeignPackets.Reason.RTP_SOURCE : ForeignPackets.Reason.RTCP_SOURCE, from);
    }
    if (rtp && RtpHeader.payloadLength(buf, 0, len) >= 0) { // what is not RTP at all the receive path counts
      long packetSsrc = RtpHeader.ssrc(buf, 0);
      if (!latched) {
        latched = true;
        ssrc = packetSsrc;
      } else if (packetSsrc != ssrc) {
        return drop(ForeignPackets.Reason.RTP_SSRC, from);
      }
    }
    return true;
  }

  /** Datagrams dropped so far. */
  long dropped() {
    return dropped;
  }

  private boolean drop(ForeignPackets.Reason reason, SocketAddress from) {
    dropped++;
    counter.dropped(reason);
    if (!warned && reason != ForeignPackets.Reason.EARLY) { // once per socket: shows a misconfigured leg without flooding the log
      warned = true;
      RtpRemote known = remote;
      LOG.warning(() -> name + ": dropped a datagram from " + from + " (" + reason.tag() + "); the RtpEndpoint is "
          + (known == null ? "not known yet" : known) + "; further drops are only counted");
    }
    return false;
  }
}
