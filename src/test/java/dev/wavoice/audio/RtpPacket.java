package dev.wavoice.audio;

import java.util.Arrays;

/** A received RTP packet, parsed for assertions (test code may allocate per packet). */
record RtpPacket(int payloadType, boolean marker, int sequenceNumber, long timestamp, long ssrc, byte[] payload) {

  static RtpPacket parse(byte[] buf, int len) {
    int header = RtpHeader.headerLength(buf, 0, len);
    int payload = RtpHeader.payloadLength(buf, 0, len);
    if (header < 0 || payload < 0) {
      throw new AssertionError("not an RTP packet: " + len + " bytes");
    }
    return new RtpPacket(RtpHeader.payloadType(buf, 0), RtpHeader.marker(buf, 0), RtpHeader.sequenceNumber(buf, 0),
        RtpHeader.timestamp(buf, 0), RtpHeader.ssrc(buf, 0), Arrays.copyOfRange(buf, header, header + payload));
  }

  static byte[] build(int payloadType, int sequenceNumber, long timestamp, long ssrc, byte[] payload) {
    byte[] packet = new byte[RtpHeader.FIXED_LENGTH + payload.length];
    RtpHeader.write(packet, 0, false, payloadType, sequenceNumber, timestamp, ssrc);
    System.arraycopy(payload, 0, packet, RtpHeader.FIXED_LENGTH, payload.length);
    return packet;
  }
}
