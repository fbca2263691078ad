package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceGateTest {

  static final InetAddress SENT_TO = address("127.0.0.1");
  static final InetAddress ANSWERED = address("192.0.2.2");
  static final RtpRemote KURENTO = new RtpRemote(new InetSocketAddress(SENT_TO, 40_010),
      new InetSocketAddress(SENT_TO, 40_011), Set.of(ANSWERED));

  final List<ForeignPackets.Reason> drops = new ArrayList<>();
  final SourceGate rtp = SourceGate.forRtp(drops::add, "rtp");
  final SourceGate rtcp = SourceGate.forRtcp(drops::add, "rtcp");

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] rtp(long ssrc) {
    return RtpPacket.build(0, 1, 160, ssrc, new byte[160]);
  }

  boolean admitsRtp(InetAddress from, int port, long ssrc) {
    byte[] packet = rtp(ssrc);
    return rtp.admits(new InetSocketAddress(from, port), packet, packet.length);
  }

  @Test
  void nothingIsAdmittedBeforeKurentosEndIsKnown() {
    assertThat(admitsRtp(SENT_TO, 40_010, 7)).isFalse();
    assertThat(rtcp.admits(new InetSocketAddress(SENT_TO, 40_011), new byte[8], 8)).isFalse();
    assertThat(drops).containsExactly(ForeignPackets.Reason.EARLY, ForeignPackets.Reason.EARLY);
  }

  @Test
  void rtpIsAdmittedFromKurentosPortAtTheAddressWeSendToOrTheOneItsAnswerNamed() {
    rtp.expect(KURENTO);
    assertThat(admitsRtp(SENT_TO, 40_010, 7)).isTrue();
    assertThat(admitsRtp(ANSWERED, 40_010, 7)).isTrue();
    assertThat(drops).isEmpty();
    assertThat(rtp.dropped()).isZero();
  }

  @Test
  void rtpFromAnotherPortOrAddressIsDroppedAndCounted() {
    rtp.expect(KURENTO);
    assertThat(admitsRtp(SENT_TO, 40_012, 7)).as("another port of the same host").isFalse();
    assertThat(admitsRtp(SENT_TO, 40_011, 7)).as("Kurento's RTCP port").isFalse();
    assertThat(admitsRtp(address("192.0.2.9"), 40_010, 7)).as("another host, Kurento's port").isFalse();
    assertThat(drops).containsOnly(ForeignPackets.Reason.RTP_SOURCE).hasSize(3);
    assertThat(rtp.dropped()).isEqualTo(3);
    // a source that was refused latches nothing: Kurento's first packet still sets the SSRC
    assertThat(admitsRtp(SENT_TO, 40_010, 9)).isTrue();
    assertThat(admitsRtp(SENT_TO, 40_010, 7)).isFalse();
  }

  @Test
  void theFirstValidPacketLatchesTheSsrcAndAnotherSsrcIsDroppedEvenFromKurentosAddress() {
    rtp.expect(KURENTO);
    assertThat(admitsRtp(SENT_TO, 40_010, 0xCAFEL)).isTrue();
    assertThat(admitsRtp(SENT_TO, 40_010, 0xBEEFL)).isFalse();
    assertThat(admitsRtp(ANSWERED, 40_010, 0xBEEFL)).isFalse();
    assertThat(admitsRtp(SENT_TO, 40_010, 0xCAFEL)).as("the latched stream goes on").isTrue();
    assertThat(drops).containsExactly(ForeignPackets.Reason.RTP_SSRC, ForeignPackets.Reason.RTP_SSRC);
  }

  @Test
  void aDatagramThatIsNotRtpLatchesNothingAndIsLeftToTheReceivePathToCount() {
    rtp.expect(KURENTO);
    byte[] junk = {1, 2, 3};
    assertThat(rtp.admits(new InetSocketAddress(SENT_TO, 40_010), junk, junk.length)).isTrue();
    assertThat(admitsRtp(SENT_TO, 40_010, 0xCAFEL)).isTrue();
    assertThat(admitsRtp(SENT_TO, 40_010, 0xBEEFL)).isFalse();
  }

  @Test
  void rtcpIsAdmittedOnlyFromKurentosRtcpPort() {
    rtcp.expect(KURENTO);
    assertThat(rtcp.admits(new InetSocketAddress(SENT_TO, 40_011), new byte[8], 8)).isTrue();
    assertThat(rtcp.admits(new InetSocketAddress(ANSWERED, 40_011), new byte[8], 8)).isTrue();
    assertThat(rtcp.admits(new InetSocketAddress(SENT_TO, 40_010), new byte[8], 8)).isFalse();
    assertThat(rtcp.admits(new InetSocketAddress(address("192.0.2.9"), 40_011), new byte[8], 8)).isFalse();
    assertThat(drops).containsExactly(ForeignPackets.Reason.RTCP_SOURCE, ForeignPackets.Reason.RTCP_SOURCE);
  }

  @Test
  void kurentoAtOneAddressIsAcceptedFromThatAddressOnly() {
    RtpRemote at = RtpRemote.at(new InetSocketAddress(SENT_TO, 40_010));
    assertThat(at.rtcp()).isEqualTo(new InetSocketAddress(SENT_TO, 40_011));
    assertThat(at.sourceAddresses()).containsExactly(SENT_TO);
  }
}
