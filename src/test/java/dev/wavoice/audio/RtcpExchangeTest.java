package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RTCP with the fake Kurento over loopback: our reports are well-formed and true, theirs are counted. */
class RtcpExchangeTest {

  record Packet(int type, int count, int off, int len) {}

  final AudioHarness harness = new AudioHarness(Duration.ofMillis(100));

  @AfterEach
  void close() {
    harness.close();
  }

  static List<Packet> parse(byte[] datagram) {
    List<Packet> packets = new ArrayList<>();
    int n = RtcpPackets.walk(datagram, 0, datagram.length, (type, count, buf, off, len) -> packets.add(new Packet(type, count, off, len)));
    assertThat(n).as("well-formed compound RTCP").isEqualTo(packets.size()).isPositive();
    return packets;
  }

  /** Ticks until the call has sent {@code reports} RTCP reports; returns the last RTP packet sent. */
  RtpPacket tickUntilReports(CallAudio audio, long reports) {
    RtpPacket last = null;
    for (int i = 0; i < 50 && audio.stats().rtcp().reportsSent() < reports; i++) {
      last = harness.tick();
    }
    assertThat(audio.stats().rtcp().reportsSent()).isEqualTo(reports);
    return last;
  }

  @Test
  void sendsSenderReportsWithAReceptionBlockAndCname() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    InetSocketAddress us = audio.localAddress();
    for (int seq = 10; seq < 20; seq++) {
      if (seq != 15) {
        harness.kms.sendRtp(us, 0, seq, 160L * seq, new byte[160]);
      }
    }
    Await.until(Duration.ofSeconds(5), "Kurento's packets received", () -> audio.stats().inbound().packets() == 9);

    RtpPacket lastRtp = tickUntilReports(audio, 1);
    byte[] report = harness.kms.receiveRtcp();

    List<Packet> packets = parse(report);
    assertThat(packets).extracting(Packet::type).containsExactly(RtcpPackets.SR, RtcpPackets.SDES);
    Packet sr = packets.get(0);
    assertThat(RtcpPackets.ssrc(report, sr.off())).isEqualTo(audio.ssrc());
    long packetsSent = audio.stats().outbound().silenceFramesSent();
    assertThat(RtcpPackets.senderPacketCount(report, sr.off())).isEqualTo(packetsSent);
    assertThat(RtcpPackets.senderOctetCount(report, sr.off())).isEqualTo(160 * packetsSent);
    assertThat(RtcpPackets.senderRtpTimestamp(report, sr.off())).isEqualTo(lastRtp.timestamp());
    long ntpNow = System.currentTimeMillis() / 1000 + RtcpPackets.NTP_UNIX_OFFSET_SECONDS;
    assertThat(RtcpPackets.senderNtpSeconds(report, sr.off())).isBetween(ntpNow - 5, ntpNow + 1);

    assertThat(sr.count()).isEqualTo(1);
    ReportBlock block = RtcpPackets.reportBlock(report, sr.off(), RtcpPackets.SR, 0);
    assertThat(block.ssrc()).isEqualTo(FakeKms.SSRC);
    assertThat(block.extendedHighestSequence()).isEqualTo(19);
    assertThat(block.cumulativeLost()).isEqualTo(1);
    assertThat(block.fractionLost()).isEqualTo(256 / 10);
    assertThat(block.lastSenderReport()).isZero();

    Packet sdes = packets.get(1);
    assertThat(RtcpPackets.ssrc(report, sdes.off())).isEqualTo(audio.ssrc());
    assertThat(RtcpPackets.firstCname(report, sdes.off(), sdes.len())).isEqualTo(audio.cname());
  }

  @Test
  void countsWhatKurentoSendsAndEchoesItsSenderReportTime() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    harness.kms.sendRtp(audio.localAddress(), 0, 1, 0, new byte[160]);
    Await.until(Duration.ofSeconds(5), "Kurento's packet received", () -> audio.stats().inbound().packets() == 1);
    InetSocketAddress ourRtcp = new InetSocketAddress(audio.localAddress().getAddress(), audio.localAddress().getPort() + 1);

    byte[] theirs = new byte[200];
    ReportBlock aboutUs = new ReportBlock(audio.ssrc(), 12, 3, 500, 80, 0, 0);
    int len = RtcpPackets.writeSenderReport(theirs, 0, FakeKms.SSRC, 0x0000_1234L, 0x5678_0000L, 0, 10, 1600, aboutUs);
    len += RtcpPackets.writeSdesCname(theirs, len, FakeKms.SSRC, "kms".getBytes(StandardCharsets.UTF_8));
    harness.kms.sendRtcp(ourRtcp, java.util.Arrays.copyOf(theirs, len));
    harness.kms.sendRtcp(ourRtcp, new byte[] {0x12, 0x34}); // not RTCP

    RtcpStats stats = Await.value(Duration.ofSeconds(5), "Kurento's RTCP counted",
        () -> audio.stats().rtcp().malformedReceived() == 1 && audio.stats().rtcp().compoundsReceived() == 1 ? audio.stats().rtcp() : null);
    assertThat(stats.senderReports()).isEqualTo(1);
    assertThat(stats.sdes()).isEqualTo(1);
    assertThat(stats.remoteFractionLost()).isEqualTo(12);
    assertThat(stats.remoteCumulativeLost()).isEqualTo(3);
    assertThat(stats.remoteJitterMicros()).isEqualTo(10_000); // 80 samples at 8 kHz

    tickUntilReports(audio, 1);
    byte[] report = harness.kms.receiveRtcp();
    assertThat(parse(report).get(0).count()).isEqualTo(1);
    ReportBlock block = RtcpPackets.reportBlock(report, 0, RtcpPackets.SR, 0);
    assertThat(block.ssrc()).isEqualTo(FakeKms.SSRC);
    assertThat(block.lastSenderReport()).isEqualTo(0x1234_5678L); // middle 32 bits of their NTP time
  }

  @Test
  void closingSendsABye() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    harness.tick();
    audio.close();
    List<Packet> packets = parse(harness.kms.receiveRtcp());
    assertThat(packets).extracting(Packet::type).containsExactly(RtcpPackets.SR, RtcpPackets.SDES, RtcpPackets.BYE);
  }

  @Test
  void rtcpGoesWhereTheAnswerSaysWhenItNamesAPort() throws Exception {
    try (FakeKms other = new FakeKms()) {
      CallAudio audio = harness.plane.open(new dev.wavoice.CallId("wacid.rtcp-port"), AudioCodec.PCMU);
      try {
        InetSocketAddress otherRtcp = new InetSocketAddress(other.rtpTarget().getAddress(), other.rtpTarget().getPort() + 1);
        audio.start(new RtpRemote(harness.kms.rtpTarget(), otherRtcp, java.util.Set.of()));
        harness.tick();
        audio.close();
        List<Packet> packets = parse(other.receiveRtcp());
        assertThat(packets).extracting(Packet::type).contains(RtcpPackets.BYE);
      } finally {
        audio.close();
      }
    }
  }
}
