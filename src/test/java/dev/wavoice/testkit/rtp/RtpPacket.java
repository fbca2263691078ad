package dev.wavoice.testkit.rtp;

/** One RTP packet (RFC 3550 fixed header, no extensions expected) as a test received it. */
public record RtpPacket(int payloadType, int sequence, long timestamp, long ssrc, boolean marker, byte[] payload, long arrivalNanos) {

  /** Parses a datagram; null if it is not RTP version 2 (e.g. RTCP on the same port is filtered by the caller). */
  public static RtpPacket parse(byte[] data, int length, long arrivalNanos) {
    if (length < 12 || (data[0] & 0xC0) != 0x80) {
      return null;
    }
    int csrc = data[0] & 0x0F;
    boolean extension = (data[0] & 0x10) != 0;
    int offset = 12 + 4 * csrc;
    if (extension && length >= offset + 4) {
      offset += 4 + 4 * (((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF));
    }
    int end = length;
    if ((data[0] & 0x20) != 0) {
      end -= data[length - 1] & 0xFF;
    }
    if (offset > end) {
      return null;
    }
    int pt = data[1] & 0x7F;
    if (pt >= 72 && pt <= 76) {
      return null; // RTCP
    }
    byte[] payload = java.util.Arrays.copyOfRange(data, offset, end);
    return new RtpPacket(pt, ((data[2] & 0xFF) << 8) | (data[3] & 0xFF), readInt(data, 4), readInt(data, 8),
        (data[1] & 0x80) != 0, payload, arrivalNanos);
  }

  /** Writes a 12-byte header plus payload. */
  public static byte[] build(int payloadType, int sequence, long timestamp, long ssrc, boolean marker, byte[] payload) {
    byte[] out = new byte[12 + payload.length];
    out[0] = (byte) 0x80;
    out[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
    out[2] = (byte) (sequence >> 8);
    out[3] = (byte) sequence;
    writeInt(out, 4, timestamp);
    writeInt(out, 8, ssrc);
    System.arraycopy(payload, 0, out, 12, payload.length);
    return out;
  }

  private static long readInt(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
  }

  private static void writeInt(byte[] b, int at, long v) {
    b[at] = (byte) (v >> 24);
    b[at + 1] = (byte) (v >> 16);
    b[at + 2] = (byte) (v >> 8);
    b[at + 3] = (byte) v;
  }
}
