package dev.wavoice.audio;

import java.nio.charset.StandardCharsets;

/**
 * Writes and walks RTCP compound packets (RFC 3550 §6) in place over {@code (byte[], offset)}. Every
 * RTCP packet starts with this header; {@code length} is the packet's size in 32-bit words minus one:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Sender report (PT 200), after the header; then {@code count} {@link ReportBlock}s:
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * A receiver report (PT 201) has only the reporter's SSRC before its blocks. SDES (PT 202) has
 * {@code count} chunks: an SSRC, then items {@code type, length, text} (CNAME is type 1), ended by a
 * zero octet and padded to a 32-bit boundary. BYE (PT 203) lists {@code count} SSRCs.
 */
public final class RtcpPackets {

  public static final int SR = 200;
  public static final int RR = 201;
  public static final int SDES = 202;
  public static final int BYE = 203;
  public static final int APP = 204;
  public static final int SDES_CNAME = 1;

  public static final int HEADER_LENGTH = 4;
  /** Header, sender SSRC and sender info. */
  public static final int SR_FIXED_LENGTH = 28;
  public static final int RR_FIXED_LENGTH = 8;

  /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
  public static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

  /** Receives each packet of a compound packet; {@code len} covers the whole packet with its header. */
  public interface Visitor {
    void onPacket(int packetType, int count, byte[] buf, int off, int len);
  }

  private RtcpPackets() {}

  /** Writes a sender report with one report block, or none when {@code block} is null; returns its length. */
  public static int writeSenderReport(byte[] buf, int off, long ssrc, long ntpSeconds, long ntpFraction,
      long rtpTimestamp, long packetCount, long octetCount, ReportBlock block) {
    int blocks = block == null ? 0 : 1;
    int length = SR_FIXED_LENGTH + blocks * ReportBlock.LENGTH;
    writeHeader(buf, off, blocks, SR, length);
    RtpHeader.writeUint32(buf, off + 4, ssrc);
    RtpHeader.writeUint32(buf, off + 8, ntpSeconds);
    RtpHeader.writeUint32(buf, off + 12, ntpFraction);
    RtpHeader.writeUint32(buf, off + 16, rtpTimestamp);
    RtpHeader.writeUint32(buf, off + 20, packetCount);
    RtpHeader.writeUint32(buf, off + 24, octetCount);
    if (block != null) {
      block.write(buf, off + SR_FIXED_LENGTH);
    }
    return length;
  }

  /** Writes a receiver report with one report block, or none when {@code block} is null; returns its length. */
  public static int writeReceiverReport(byte[] buf, int off, long ssrc, ReportBlock block) {
    int blocks = block == null ? 0 : 1;
    int length = RR_FIXED_LENGTH + blocks * ReportBlock.LENGTH;
    writeHeader(buf, off, blocks, RR, length);
    RtpHeader.writeUint32(buf, off + 4, ssrc);
    if (block != null) {
      block.write(buf, off + RR_FIXED_LENGTH);
    }
    return length;
  }

  /** Writes an SDES packet with one chunk holding a CNAME item (at most 255 bytes); returns its length. */
  public static int writeSdesCname(byte[] buf, int off, long ssrc, byte[] cname) {
    if (cname.length > 255) {
      throw new IllegalArgumentException("CNAME longer than 255 bytes");
    }
    int chunk = 4 + 2 + cname.length + 1; // SSRC, type + length, text, END
    int padded = (chunk + 3) & ~3;
    int length = HEADER_LENGTH + padded;
    writeHeader(buf, off, 1, SDES, length);
    RtpHeader.writeUint32(buf, off + 4, ssrc);
    buf[off + 8] = SDES_CNAME;
    buf[off + 9] = (byte) cname.length;
    System.arraycopy(cname, 0, buf, off + 10, cname.length);
    java.util.Arrays.fill(buf, off + 10 + cname.length, off + length, (byte) 0); // END and padding
    return length;
  }

  /** Writes a BYE for one SSRC, without a reason; returns its length. */
  public static int writeBye(byte[] buf, int off, long ssrc) {
    writeHeader(buf, off, 1, BYE, 8);
    RtpHeader.writeUint32(buf, off + 4, ssrc);
    return 8;
  }

  /**
   * Walks a compound packet and hands each packet to {@code visitor}. Returns the number of packets, or
   * -1 when the datagram is not well-formed RTCP (wrong version, a length running past the end, or a
   * first packet that is not SR or RR, which RFC 3550 §6.1 requires); packets before the fault have
   * been visited.
   */
  public static int walk(byte[] buf, int off, int len, Visitor visitor) {
    int at = off;
    int end = off + len;
    int packets = 0;
    while (at < end) {
      if (end - at < HEADER_LENGTH || (buf[at] & 0xC0) != 0x80) {
        return -1;
      }
      int type = buf[at + 1] & 0xFF;
      if (packets == 0 && type != SR && type != RR) {
        return -1;
      }
      int length = 4 * ((((buf[at + 2] & 0xFF) << 8) | (buf[at + 3] & 0xFF)) + 1);
      if (length > end - at) {
        return -1;
      }
      visitor.onPacket(type, buf[at] & 0x1F, buf, at, length);
      packets++;
      at += length;
    }
    return packets == 0 ? -1 : packets;
  }

  public static long ssrc(byte[] buf, int packetOff) {
    return RtpHeader.readUint32(buf, packetOff + 4);
  }

  public static long senderNtpSeconds(byte[] buf, int srOff) {
    return RtpHeader.readUint32(buf, srOff + 8);
  }

  public static long senderNtpFraction(byte[] buf, int srOff) {
    return RtpHeader.readUint32(buf, srOff + 12);
  }

  public static long senderRtpTimestamp(byte[] buf, int srOff) {
    return RtpHeader.readUint32(buf, srOff + 16);
  }

  public static long senderPacketCount(byte[] buf, int srOff) {
    return RtpHeader.readUint32(buf, srOff + 20);
  }

  public static long senderOctetCount(byte[] buf, int srOff) {
    return RtpHeader.readUint32(buf, srOff + 24);
  }

  /** The {@code index}-th report block of an SR or RR packet at {@code packetOff}. */
  public static ReportBlock reportBlock(byte[] buf, int packetOff, int packetType, int index) {
    int first = packetOff + (packetType == SR ? SR_FIXED_LENGTH : RR_FIXED_LENGTH);
    return ReportBlock.read(buf, first + index * ReportBlock.LENGTH);
  }

  /** The CNAME of the first chunk of an SDES packet, or null if it has none. */
  public static String firstCname(byte[] buf, int packetOff, int len) {
    int at = packetOff + 8;
    int end = packetOff + len;
    while (at + 2 <= end && buf[at] != 0) {
      int itemLength = buf[at + 1] & 0xFF;
      if (at + 2 + itemLength > end) {
        return null;
      }
      if (buf[at] == SDES_CNAME) {
        return new String(buf, at + 2, itemLength, StandardCharsets.UTF_8);
      }
      at += 2 + itemLength;
    }
    return null;
  }

  private static void writeHeader(byte[] buf, int off, int count, int packetType, int lengthBytes) {
    buf[off] = (byte) (0x80 | (count & 0x1F));
    buf[off + 1] = (byte) packetType;
    int words = lengthBytes / 4 - 1;
    buf[off + 2] = (byte) (words >>> 8);
    buf[off + 3] = (byte) words;
  }
}
