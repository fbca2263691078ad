package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpPacketsTest {

  record Seen(int type, int count, int off, int len) {}

  static List<Seen> walk(byte[] buf, int len, int[] result) {
    List<Seen> seen = new ArrayList<>();
    result[0] = RtcpPackets.walk(buf, 0, len, (type, count, b, off, l) -> seen.add(new Seen(type, count, off, l)));
    return seen;
  }

  @Test
  void aSenderReportCompoundParsesBack() {
    byte[] buf = new byte[200];
    ReportBlock block = new ReportBlock(0x11223344L, 25, -3, 70_000, 12, 0x56789ABCL, 32768);
    int len = RtcpPackets.writeSenderReport(buf, 0, 0xCAFEBABEL, 3_900_000_000L, 0x80000000L, 123_456, 500, 80_000, block);
    assertThat(len).isEqualTo(52);
    len += RtcpPackets.writeSdesCname(buf, len, 0xCAFEBABEL, "wavoice-cafebabe".getBytes(StandardCharsets.UTF_8));
    assertThat(len % 4).isZero();

    int[] result = new int[1];
    List<Seen> seen = walk(buf, len, result);
    assertThat(result[0]).isEqualTo(2);
    assertThat(seen).extracting(Seen::type).containsExactly(RtcpPackets.SR, RtcpPackets.SDES);
    assertThat(seen.get(0).count()).isEqualTo(1);
    // the length field: (bytes / 4) - 1
    assertThat(((buf[2] & 0xFF) << 8 | (buf[3] & 0xFF))).isEqualTo(52 / 4 - 1);
    assertThat(buf[0] & 0xC0).isEqualTo(0x80);

    assertThat(RtcpPackets.ssrc(buf, 0)).isEqualTo(0xCAFEBABEL);
    assertThat(RtcpPackets.senderNtpSeconds(buf, 0)).isEqualTo(3_900_000_000L);
    assertThat(RtcpPackets.senderNtpFraction(buf, 0)).isEqualTo(0x80000000L);
    assertThat(RtcpPackets.senderRtpTimestamp(buf, 0)).isEqualTo(123_456);
    assertThat(RtcpPackets.senderPacketCount(buf, 0)).isEqualTo(500);
    assertThat(RtcpPackets.senderOctetCount(buf, 0)).isEqualTo(80_000);
    assertThat(RtcpPackets.reportBlock(buf, 0, RtcpPackets.SR, 0)).isEqualTo(block);

    Seen sdes = seen.get(1);
    assertThat(RtcpPackets.firstCname(buf, sdes.off(), sdes.len())).isEqualTo("wavoice-cafebabe");
    // the SDES chunk ends with a zero octet inside the packet
    assertThat(buf[sdes.off() + sdes.len() - 1]).isZero();
  }

  @Test
  void receiverReportAndByeParseBack() {
    byte[] buf = new byte[100];
    int len = RtcpPackets.writeReceiverReport(buf, 0, 7, null);
    len += RtcpPackets.writeSdesCname(buf, len, 7, "abc".getBytes(StandardCharsets.UTF_8));
    len += RtcpPackets.writeBye(buf, len, 7);
    int[] result = new int[1];
    List<Seen> seen = walk(buf, len, result);
    assertThat(result[0]).isEqualTo(3);
    assertThat(seen).extracting(Seen::type).containsExactly(RtcpPackets.RR, RtcpPackets.SDES, RtcpPackets.BYE);
    assertThat(seen.get(0).len()).isEqualTo(8);
    assertThat(seen.get(1).len()).isEqualTo(16); // header 4 + (SSRC 4 + type 1 + length 1 + "abc" 3 + END 1) padded to 12
    assertThat(RtcpPackets.firstCname(buf, seen.get(1).off(), seen.get(1).len())).isEqualTo("abc");
  }

  @Test
  void refusesWhatIsNotRtcp() {
    byte[] buf = new byte[100];
    int len = RtcpPackets.writeSenderReport(buf, 0, 1, 2, 3, 4, 5, 6, null);
    int[] result = new int[1];

    walk(buf, len - 4, result); // length runs past the end
    assertThat(result[0]).isEqualTo(-1);

    byte[] rtp = new byte[40];
    RtpHeader.write(rtp, 0, false, 0, 1, 2, 3); // RTP PT 0 is not an RTCP type
    walk(rtp, 40, result);
    assertThat(result[0]).isEqualTo(-1);

    byte[] sdesFirst = new byte[20];
    int n = RtcpPackets.writeSdesCname(sdesFirst, 0, 1, "x".getBytes(StandardCharsets.UTF_8));
    walk(sdesFirst, n, result); // a compound must start with SR or RR
    assertThat(result[0]).isEqualTo(-1);

    walk(buf, 0, result);
    assertThat(result[0]).isEqualTo(-1);
  }
}
