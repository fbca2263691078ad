package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.testkit.kurento.SdpFixtures;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The RTP leg's offer as wavoice writes it, and Kurento 7.3.0's real answers to it. */
class RtpLegSdpTest {

  @Test
  void thePcmuOfferNamesOurSocketAndExactlyOneCodec() {
    RtpLeg leg = new RtpLeg(new InetSocketAddress("127.0.0.1", 31000), AudioCodec.PCMU, 3_000_000_000L);
    assertThat(RtpLegSdp.offer(leg)).isEqualTo("v=0\r\n"
        + "o=- 3000000000 0 IN IP4 127.0.0.1\r\n"
        + "s=wavoice\r\n"
        + "c=IN IP4 127.0.0.1\r\n"
        + "t=0 0\r\n"
        + "m=audio 31000 RTP/AVP 0\r\n"
        + "a=rtpmap:0 PCMU/8000\r\n"
        + "a=ptime:20\r\n"
        + "a=sendrecv\r\n"
        + "a=ssrc:3000000000 cname:wavoice\r\n");
  }

  @Test
  void theOpusOfferUsesTheCodecsPayloadType() {
    RtpLeg leg = new RtpLeg(new InetSocketAddress("127.0.0.1", 31002), AudioCodec.OPUS, 42);
    String offer = RtpLegSdp.offer(leg);
    assertThat(offer).contains("\r\nm=audio 31002 RTP/AVP 111\r\n", "\r\na=rtpmap:111 opus/48000/2\r\n", "a=ssrc:42 cname:");
    assertThat(offer.lines().filter(l -> l.startsWith("a=rtpmap:")).count()).isOne();
  }

  @Test
  void anIpv6SocketIsWrittenAsIp6() {
    RtpLeg leg = new RtpLeg(new InetSocketAddress("::1", 31004), AudioCodec.PCMU, 7);
    assertThat(RtpLegSdp.offer(leg)).contains("c=IN IP6 0:0:0:0:0:0:0:1\r\n");
  }

  @Test
  void kurentosPortIsReadFromItsRealAnswers() {
    assertThat(RtpLegSdp.answered(SdpFixtures.kmsRtpAnswerPcmu(), AudioCodec.PCMU).port()).isEqualTo(45076);
    assertThat(RtpLegSdp.answered(SdpFixtures.kmsRtpAnswerOpus(), AudioCodec.OPUS).port()).isEqualTo(45122);
  }

  @Test
  void kurentosAddressIsReadFromTheAnswersConnectionLineWithoutANameLookup() throws Exception {
    // Kurento names the machine's first non-loopback address there
    assertThat(RtpLegSdp.answered(SdpFixtures.kmsRtpAnswerPcmu(), AudioCodec.PCMU).address())
        .contains(java.net.InetAddress.getByName("192.0.2.2"));
    String wildcard = SdpFixtures.kmsRtpAnswerPcmu().replace("c=IN IP4 192.0.2.2", "c=IN IP4 0.0.0.0");
    assertThat(RtpLegSdp.answered(wildcard, AudioCodec.PCMU).address()).isEmpty();
    String named = SdpFixtures.kmsRtpAnswerPcmu().replace("c=IN IP4 192.0.2.2", "c=IN IP4 kms.example.invalid");
    assertThat(RtpLegSdp.answered(named, AudioCodec.PCMU).address()).isEmpty();
    String ipv6 = SdpFixtures.kmsRtpAnswerPcmu().replace("c=IN IP4 192.0.2.2", "c=IN IP6 2001:db8::5");
    assertThat(RtpLegSdp.answered(ipv6, AudioCodec.PCMU).address()).contains(java.net.InetAddress.getByName("2001:db8::5"));
  }

  @Test
  void anAnswerWithAnotherCodecOrARejectedSectionIsAKurentoError() {
    assertThatThrownBy(() -> RtpLegSdp.answered(SdpFixtures.kmsRtpAnswerPcmu(), AudioCodec.OPUS))
        .isInstanceOf(MediaException.class).hasMessageContaining("opus/48000/2")
        .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.KMS_ERROR));
    String rejected = SdpFixtures.kmsRtpAnswerPcmu().replace("m=audio 45076 ", "m=audio 0 ");
    assertThatThrownBy(() -> RtpLegSdp.answered(rejected, AudioCodec.PCMU)).isInstanceOf(MediaException.class)
        .hasMessageContaining("port 0");
    String renamed = SdpFixtures.kmsRtpAnswerPcmu().replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:0 PCMA/8000");
    assertThatThrownBy(() -> RtpLegSdp.answered(renamed, AudioCodec.PCMU)).isInstanceOf(MediaException.class)
        .hasMessageContaining("PCMA/8000");
    assertThatThrownBy(() -> RtpLegSdp.answered("not sdp", AudioCodec.PCMU)).isInstanceOf(MediaException.class)
        .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.KMS_ERROR));
  }
}
