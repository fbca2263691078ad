package dev.wavoice.audio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Sends our RTCP to Kurento's RTCP port (its RTP port + 1) every few seconds: a compound packet of a
 * sender report (with a reception report block for Kurento's stream once we receive it) and an SDES
 * CNAME (RFC 3550 §6.1). Kurento ends RTCP at each leg, so these keep the RtpEndpoint's own view honest
 * (it reports {@code MediaStateChanged(CONNECTED)} only with RTCP). The interval is randomised to
 * 0.5–1.5 × the configured one (§6.2) so calls do not report in step. Sent from the pacer thread right
 * after an RTP frame; a BYE is sent when the call closes.
 */
final class RtcpReporter {

  private final long ssrc;
  private final byte[] cname;
  private final DatagramChannel channel;
  private final ReceptionStatistics reception;
  private final Clock wallClock;
  private final long intervalNanos;
  private final RandomGenerator random;
  private final byte[] packet = new byte[RtpSocketPair.MAX_DATAGRAM_BYTES];
  private final ByteBuffer wire = ByteBuffer.allocateDirect(RtpSocketPair.MAX_DATAGRAM_BYTES);

  private volatile InetSocketAddress target;
  private boolean scheduled;
  private long nextReportNanos;
  private long lastRtpTimestamp;
  private long packetCount;
  private long octetCount;

  private volatile long reportsSent;

  RtcpReporter(long ssrc, String cname, DatagramChannel channel, ReceptionStatistics reception, Clock wallClock,
      long intervalNanos, RandomGenerator random) {
    this.ssrc = ssrc;
    this.cname = cname.getBytes(StandardCharsets.UTF_8);
    this.channel = channel;
    this.reception = reception;
    this.wallClock = wallClock;
    this.intervalNanos = intervalNanos;
    this.random = random;
  }

  void pointAt(InetSocketAddress rtcpTarget) {
    this.target = rtcpTarget;
  }

  /** After each RTP packet: remembers the sender state, and reports when the interval is up. */
  synchronized void onRtpSent(long nowNanos, long rtpTimestamp, long packets, long octets) {
    lastRtpTimestamp = rtpTimestamp;
    packetCount = packets;
    octetCount = octets;
    if (!scheduled) {
      // the first report after half an interval (RFC 3550 §6.2: the initial interval is halved)
      nextReportNanos = nowNanos + randomised(intervalNanos / 2);
      scheduled = true;
      return;
    }
    if (nowNanos - nextReportNanos >= 0) {
      send(nowNanos, false);
      nextReportNanos = nowNanos + randomised(intervalNanos);
    }
  }

  /** The call is over: a last report with a BYE. */
  synchronized void sendBye(long nowNanos) {
    if (packetCount > 0) {
      send(nowNanos, true);
    }
  }

  long reportsSent() {
    return reportsSent;
  }

  private void send(long nowNanos, boolean bye) {
    InetSocketAddress to = target;
    if (to == null) {
      return;
    }
    Instant now = wallClock.instant();
    long ntpSeconds = now.getEpochSecond() + RtcpPackets.NTP_UNIX_OFFSET_SECONDS;
    long ntpFraction = ((long) now.getNano() << 32) / 1_000_000_000L;
    int length = RtcpPackets.writeSenderReport(packet, 0, ssrc, ntpSeconds, ntpFraction, lastRtpTimestamp,
        packetCount, octetCount, reception.reportBlock(nowNanos));
    length += RtcpPackets.writeSdesCname(packet, length, ssrc, cname);
    if (bye) {
      length += RtcpPackets.writeBye(packet, length, ssrc);
    }
    wire.clear();
    wire.put(packet, 0, length).flip();
    try {
      channel.send(wire, to);
      reportsSent++;
    } catch (IOException e) {
      // best effort: the next report goes out in a few seconds; RTP send failures are counted
    }
  }

  private long randomised(long nanos) {
    return (long) (nanos * (0.5 + random.nextDouble()));
  }
}
