package dev.wavoice.audio;

/**
 * What we received from Kurento's stream, for the report block of our RTCP sender reports: sequence
 * tracking with wrap-around (RFC 3550 A.1), expected and lost packets (A.3) and interarrival jitter
 * (A.8). Updated by the receive thread per packet and by the RTCP receive thread per sender report;
 * read by the pacer thread every few seconds. Guarded by its own monitor (uncontended).
 */
final class ReceptionStatistics {

  private static final int MAX_DROPOUT = 3000;
  private static final int MAX_MISORDER = 100;
  private static final int SEQ_MOD = 1 << 16;

  private final int clockRate;

  private boolean initialized;
  private long ssrc;
  private int maxSeq;
  private long cycles;
  private long baseSeq;
  private int badSeq = -1;
  private long received;
  private long expectedPrior;
  private long receivedPrior;
  private long firstArrivalNanos;
  private long lastTransit;
  private long jitterQ4; // jitter × 16, per A.8
  private long lastSrSsrc = -1;
  private long lastSrNtpMiddle;
  private long lastSrArrivalNanos;

  ReceptionStatistics(int clockRate) {
    this.clockRate = clockRate;
  }

  synchronized void onPacket(long packetSsrc, int seq, long rtpTimestamp, long arrivalNanos) {
    if (!initialized || packetSsrc != ssrc) {
      start(packetSsrc, seq, arrivalNanos);
    } else {
      int udelta = (seq - maxSeq) & 0xFFFF;
      if (udelta < MAX_DROPOUT) {
        if (seq < maxSeq) {
          cycles += SEQ_MOD; // wrapped
        }
        maxSeq = seq;
      } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
        if (seq != badSeq) {
          badSeq = (seq + 1) & 0xFFFF; // a big jump: believe it only when the next packet follows it
          return;
        }
        start(packetSsrc, seq, arrivalNanos);
      }
      // else: a duplicate or reordered packet, counted as received
    }
    received++;
    long arrival = (arrivalNanos - firstArrivalNanos) * clockRate / 1_000_000_000L;
    long transit = (arrival - rtpTimestamp) & 0xFFFFFFFFL;
    if (received > 1) {
      long d = Math.abs((int) (transit - lastTransit)); // 32-bit wrap-safe difference
      jitterQ4 += d - ((jitterQ4 + 8) >> 4);
    }
    lastTransit = transit;
  }

  /**
   * Remembers the NTP time of a sender report, for LSR/DLSR. Kept per sender SSRC: the report may be
   * read (on the RTCP thread) before that source's first RTP packet (on the RTP thread).
   */
  synchronized void onSenderReport(long senderSsrc, long ntpSeconds, long ntpFraction, long arrivalNanos) {
    lastSrSsrc = senderSsrc;
    lastSrNtpMiddle = ((ntpSeconds & 0xFFFF) << 16) | (ntpFraction >>> 16);
    lastSrArrivalNanos = arrivalNanos;
  }

  /** The report block as of now, or {@code null} when nothing was received yet. Starts a new interval. */
  synchronized ReportBlock reportBlock(long nowNanos) {
    if (!initialized || received == 0) {
      return null;
    }
    long extendedMax = cycles + maxSeq;
    long expected = extendedMax - baseSeq + 1;
    long lost = Math.max(-0x800000L, Math.min(0x7FFFFFL, expected - received));
    long expectedInterval = expected - expectedPrior;
    long receivedInterval = received - receivedPrior;
    expectedPrior = expected;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
    boolean haveSr = lastSrSsrc == ssrc;
    long lsr = haveSr ? lastSrNtpMiddle : 0;
    long dlsr = haveSr ? (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L : 0;
    return new ReportBlock(ssrc, Math.min(fraction, 255), (int) lost, extendedMax & 0xFFFFFFFFL,
        jitterQ4 >> 4, lsr, dlsr & 0xFFFFFFFFL);
  }

  synchronized long jitterSamples() {
    return jitterQ4 >> 4;
  }

  private void start(long packetSsrc, int seq, long arrivalNanos) {
    initialized = true;
    ssrc = packetSsrc;
    baseSeq = seq;
    maxSeq = seq;
    cycles = 0;
    badSeq = -1;
    received = 0;
    expectedPrior = 0;
    receivedPrior = 0;
    firstArrivalNanos = arrivalNanos;
    jitterQ4 = 0;
  }
}
