package dev.wavoice.audio;

/**
 * Reads what Kurento sends to our RTCP port: counts the packets by type, remembers the NTP time of its
 * sender reports (for the LSR/DLSR of our report block), and keeps its latest report about our stream.
 * Runs on the call's RTCP receive thread.
 */
final class RtcpReceiver implements DatagramReceiver.Handler, RtcpPackets.Visitor {

  private final long localSsrc;
  private final int clockRate;
  private final ReceptionStatistics reception;
  private final MonotonicClock clock;
  private long arrivalNanos;

  // single writer (the RTCP receive thread); volatile so stats readers see them
  private volatile long compounds;
  private volatile long malformed;
  private volatile long senderReports;
  private volatile long receiverReports;
  private volatile long sdes;
  private volatile long byes;
  private volatile long other;
  private volatile int remoteFractionLost;
  private volatile long remoteCumulativeLost;
  private volatile long remoteJitterSamples;

  RtcpReceiver(long localSsrc, int clockRate, ReceptionStatistics reception, MonotonicClock clock) {
    this.localSsrc = localSsrc;
    this.clockRate = clockRate;
    this.reception = reception;
    this.clock = clock;
  }

  @Override
  public void onDatagram(byte[] buf, int len) {
    arrivalNanos = clock.nanoTime();
    if (RtcpPackets.walk(buf, 0, len, this) < 0) {
      malformed++;
    } else {
      compounds++;
    }
  }

  @Override
  public void onPacket(int packetType, int count, byte[] buf, int off, int len) {
    switch (packetType) {
      case RtcpPackets.SR -> {
        if (len < RtcpPackets.SR_FIXED_LENGTH + count * ReportBlock.LENGTH) {
          return;
        }
        senderReports++;
        reception.onSenderReport(RtcpPackets.ssrc(buf, off), RtcpPackets.senderNtpSeconds(buf, off), RtcpPackets.senderNtpFraction(buf, off), arrivalNanos);
        readBlocks(packetType, count, buf, off);
      }
      case RtcpPackets.RR -> {
        if (len < RtcpPackets.RR_FIXED_LENGTH + count * ReportBlock.LENGTH) {
          return;
        }
        receiverReports++;
        readBlocks(packetType, count, buf, off);
      }
      case RtcpPackets.SDES -> sdes++;
      case RtcpPackets.BYE -> byes++;
      default -> other++; // APP, feedback (RFC 4585) and the like
    }
  }

  RtcpStats stats(RtcpReporter reporter) {
    return new RtcpStats(reporter.reportsSent(), compounds, malformed, senderReports, receiverReports, sdes, byes, other,
        remoteFractionLost, remoteCumulativeLost, remoteJitterSamples * 1_000_000 / clockRate);
  }

  private void readBlocks(int packetType, int count, byte[] buf, int off) {
    for (int i = 0; i < count; i++) {
      ReportBlock block = RtcpPackets.reportBlock(buf, off, packetType, i);
      if (block.ssrc() == localSsrc) {
        remoteFractionLost = block.fractionLost();
        remoteCumulativeLost = block.cumulativeLost();
        remoteJitterSamples = block.jitter();
      }
    }
  }
}
