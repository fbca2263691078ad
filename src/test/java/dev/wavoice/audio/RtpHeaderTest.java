package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtpHeaderTest {

  @Test
  void writesAndReadsEveryField() {
    byte[] buf = new byte[40];
    int length = RtpHeader.write(buf, 4, true, 111, 65535, 0xFFFFFFF0L, 0xDEADBEEFL);

    assertThat(length).isEqualTo(RtpHeader.FIXED_LENGTH);
    assertThat(RtpHeader.version(buf, 4)).isEqualTo(2);
    assertThat(RtpHeader.hasPadding(buf, 4)).isFalse();
    assertThat(RtpHeader.hasExtension(buf, 4)).isFalse();
    assertThat(RtpHeader.csrcCount(buf, 4)).isZero();
    assertThat(RtpHeader.marker(buf, 4)).isTrue();
    assertThat(RtpHeader.payloadType(buf, 4)).isEqualTo(111);
    assertThat(RtpHeader.sequenceNumber(buf, 4)).isEqualTo(65535);
    assertThat(RtpHeader.timestamp(buf, 4)).isEqualTo(0xFFFFFFF0L);
    assertThat(RtpHeader.ssrc(buf, 4)).isEqualTo(0xDEADBEEFL);
    assertThat(RtpHeader.headerLength(buf, 4, 12 + 20)).isEqualTo(12);
    assertThat(RtpHeader.payloadLength(buf, 4, 12 + 20)).isEqualTo(20);
  }

  @Test
  void matchesTheRfcBitLayout() {
    byte[] buf = new byte[12];
    RtpHeader.write(buf, 0, false, 0, 0x1234, 0x01020304L, 0x0A0B0C0DL);
    assertThat(buf).containsExactly(0x80, 0x00, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04, 0x0A, 0x0B, 0x0C, 0x0D);
  }

  @Test
  void accountsForCsrcsExtensionAndPadding() {
    byte[] buf = new byte[100];
    RtpHeader.write(buf, 0, false, 0, 1, 2, 3);
    buf[0] = (byte) (0x80 | 0x20 | 0x10 | 2); // padding, extension, two CSRCs
    int extension = 12 + 8;
    buf[extension + 2] = 0;
    buf[extension + 3] = 1; // one 32-bit word of extension data
    int header = 12 + 8 + 4 + 4;
    int len = header + 10 + 3;
    buf[len - 1] = 3; // three bytes of padding

    assertThat(RtpHeader.headerLength(buf, 0, len)).isEqualTo(header);
    assertThat(RtpHeader.payloadLength(buf, 0, len)).isEqualTo(10);
  }

  @Test
  void refusesMalformedPackets() {
    byte[] buf = new byte[20];
    RtpHeader.write(buf, 0, false, 0, 1, 2, 3);
    assertThat(RtpHeader.headerLength(buf, 0, 11)).isEqualTo(-1);

    buf[0] = (byte) 0x40; // version 1
    assertThat(RtpHeader.payloadLength(buf, 0, 20)).isEqualTo(-1);

    buf[0] = (byte) (0x80 | 15); // 15 CSRCs do not fit in 20 bytes
    assertThat(RtpHeader.payloadLength(buf, 0, 20)).isEqualTo(-1);

    buf[0] = (byte) (0x80 | 0x20); // padding count larger than the payload
    buf[19] = 9;
    assertThat(RtpHeader.payloadLength(buf, 0, 20)).isEqualTo(-1);
    buf[19] = 0; // a padding count of zero is invalid too
    assertThat(RtpHeader.payloadLength(buf, 0, 20)).isEqualTo(-1);
  }

  @Test
  void sequenceDeltaCrossesTheWrap() {
    assertThat(RtpHeader.sequenceDelta(0, 65535)).isEqualTo(1);
    assertThat(RtpHeader.sequenceDelta(65535, 0)).isEqualTo(-1);
    assertThat(RtpHeader.sequenceDelta(5, 65530)).isEqualTo(11);
    assertThat(RtpHeader.sequenceDelta(100, 100)).isZero();
  }
}
