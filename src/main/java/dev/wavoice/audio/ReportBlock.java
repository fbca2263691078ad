package dev.wavoice.audio;

/**
 * One RTCP reception report block (RFC 3550 §6.4.1): what the reporter received from source
 * {@code ssrc}.
 *
 * <pre>
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param fractionLost lost fraction since the previous report, in 1/256
 * @param cumulativeLost packets lost since the start (24-bit signed; duplicates can make it negative)
 * @param jitter interarrival jitter in RTP timestamp units
 * @param lastSenderReport middle 32 bits of the NTP time of the last SR received from the source, 0 if none
 * @param delaySinceLastSenderReport in units of 1/65536 s, 0 if no SR was received
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
    long jitter, long lastSenderReport, long delaySinceLastSenderReport) {

  public static final int LENGTH = 24;

  int write(byte[] buf, int off) {
    RtpHeader.writeUint32(buf, off, ssrc);
    buf[off + 4] = (byte) fractionLost;
    buf[off + 5] = (byte) (cumulativeLost >> 16);
    buf[off + 6] = (byte) (cumulativeLost >> 8);
    buf[off + 7] = (byte) cumulativeLost;
    RtpHeader.writeUint32(buf, off + 8, extendedHighestSequence);
    RtpHeader.writeUint32(buf, off + 12, jitter);
    RtpHeader.writeUint32(buf, off + 16, lastSenderReport);
    RtpHeader.writeUint32(buf, off + 20, delaySinceLastSenderReport);
    return LENGTH;
  }

  static ReportBlock read(byte[] buf, int off) {
    int lost24 = ((buf[off + 5] & 0xFF) << 16) | ((buf[off + 6] & 0xFF) << 8) | (buf[off + 7] & 0xFF);
    int cumulativeLost = (lost24 << 8) >> 8; // sign-extend 24 bits
    return new ReportBlock(RtpHeader.readUint32(buf, off), buf[off + 4] & 0xFF, cumulativeLost,
        RtpHeader.readUint32(buf, off + 8), RtpHeader.readUint32(buf, off + 12),
        RtpHeader.readUint32(buf, off + 16), RtpHeader.readUint32(buf, off + 20));
  }
}
