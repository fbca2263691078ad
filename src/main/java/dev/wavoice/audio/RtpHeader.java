package dev.wavoice.audio;

/**
 * Reads and writes the RTP fixed header (RFC 3550 §5.1) in place, over {@code (byte[], offset)}: no
 * packet objects, so the hot path allocates nothing.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  defined by profile (X=1)     |        length (32-bit words)  |
 * |                        header extension                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Sequence numbers are returned as {@code int} in [0, 65535], timestamps and SSRCs as {@code long} in
 * [0, 2<sup>32</sup>).
 */
public final class RtpHeader {

  /** Length of the fixed header, without CSRCs or extension. */
  public static final int FIXED_LENGTH = 12;

  public static final int VERSION = 2;

  private RtpHeader() {}

  public static int version(byte[] buf, int off) {
    return (buf[off] & 0xC0) >>> 6;
  }

  public static boolean hasPadding(byte[] buf, int off) {
    return (buf[off] & 0x20) != 0;
  }

  public static boolean hasExtension(byte[] buf, int off) {
    return (buf[off] & 0x10) != 0;
  }

  public static int csrcCount(byte[] buf, int off) {
    return buf[off] & 0x0F;
  }

  public static boolean marker(byte[] buf, int off) {
    return (buf[off + 1] & 0x80) != 0;
  }

  public static int payloadType(byte[] buf, int off) {
    return buf[off + 1] & 0x7F;
  }

  public static int sequenceNumber(byte[] buf, int off) {
    return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
  }

  public static long timestamp(byte[] buf, int off) {
    return readUint32(buf, off + 4);
  }

  public static long ssrc(byte[] buf, int off) {
    return readUint32(buf, off + 8);
  }

  /**
   * Length of the whole header (fixed part, CSRCs and extension), or -1 when {@code len} bytes do not
   * hold a well-formed RTP version 2 header.
   */
  public static int headerLength(byte[] buf, int off, int len) {
    if (len < FIXED_LENGTH || version(buf, off) != VERSION) {
      return -1;
    }
    int length = FIXED_LENGTH + 4 * csrcCount(buf, off);
    if (hasExtension(buf, off)) {
      if (len < length + 4) {
        return -1;
      }
      int words = ((buf[off + length + 2] & 0xFF) << 8) | (buf[off + length + 3] & 0xFF);
      length += 4 + 4 * words;
    }
    return length <= len ? length : -1;
  }

  /**
   * Length of the payload (after the header, without padding), or -1 when the packet is malformed
   * (bad header, or a padding count larger than the payload).
   */
  public static int payloadLength(byte[] buf, int off, int len) {
    int header = headerLength(buf, off, len);
    if (header < 0) {
      return -1;
    }
    int payload = len - header;
    if (hasPadding(buf, off)) {
      int padding = payload > 0 ? buf[off + len - 1] & 0xFF : 0;
      if (padding == 0 || padding > payload) {
        return -1;
      }
      payload -= padding;
    }
    return payload;
  }

  /**
   * Writes a fixed header (V=2, no padding, no extension, no CSRCs) and returns its length,
   * {@link #FIXED_LENGTH}.
   */
  public static int write(byte[] buf, int off, boolean marker, int payloadType, int sequenceNumber,
      long timestamp, long ssrc) {
    buf[off] = (byte) (VERSION << 6);
    buf[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
    buf[off + 2] = (byte) (sequenceNumber >>> 8);
    buf[off + 3] = (byte) sequenceNumber;
    writeUint32(buf, off + 4, timestamp);
    writeUint32(buf, off + 8, ssrc);
    return FIXED_LENGTH;
  }

  /**
   * Signed distance from sequence number {@code b} to {@code a} across the 16-bit wrap: positive when
   * {@code a} is after {@code b}, in [-32768, 32767].
   */
  public static int sequenceDelta(int a, int b) {
    return (short) (a - b);
  }

  static long readUint32(byte[] buf, int off) {
    return ((long) (buf[off] & 0xFF) << 24) | ((buf[off + 1] & 0xFF) << 16)
        | ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
  }

  static void writeUint32(byte[] buf, int off, long value) {
    buf[off] = (byte) (value >>> 24);
    buf[off + 1] = (byte) (value >>> 16);
    buf[off + 2] = (byte) (value >>> 8);
    buf[off + 3] = (byte) value;
  }
}
