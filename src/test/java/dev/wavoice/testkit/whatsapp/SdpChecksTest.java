package dev.wavoice.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/** The answer rules refuse what they name, so the tests that find no problem mean something. */
class SdpChecksTest {

  static final String OFFER = Fixtures.whatsapp("whatsapp-offer.sdp");
  static final String ANSWER = String.join("\r\n",
      "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE audio",
      "m=audio 40002 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1",
      "a=candidate:1 1 UDP 2015363327 127.0.0.1 40002 typ host",
      "a=ice-ufrag:Xk9f", "a=ice-pwd:Bf8sD0aJ2kLq9wErTy6uIo3p",
      "a=fingerprint:sha-256 1B:B6:2E:53:8A:6C:64:1D:8C:7A:19:C2:57:5E:9F:10:8D:22:A4:51:33:0E:6F:71:2C:90:43:B8:15:D0:8A:88",
      "a=setup:active", "a=mid:audio", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
      "a=fmtp:111 minptime=20;useinbandfec=1", "a=ssrc:1234 cname:wavoice", "");

  @Test
  void aGoodAnswerPasses() {
    assertThat(SdpChecks.ourAnswerTo(OFFER, ANSWER)).isEmpty();
    assertThat(SdpChecks.ourAnswerTo(Fixtures.whatsapp("whatsapp-offer-3484.sdp"), ANSWER)).isEmpty();
  }

  @Test
  void whatMetaRefusesIsNamed() {
    assertThat(SdpChecks.answer(ANSWER.replace("a=setup:active", "a=setup:passive"))).anyMatch(p -> p.contains("a=setup:active"));
    assertThat(SdpChecks.answer(ANSWER.replace("t=0 0\r\n", "t=0 0\r\na=ice-lite\r\n"))).anyMatch(p -> p.contains("ICE-lite"));
    assertThat(SdpChecks.answer(ANSWER.replace("a=rtcp-mux\r\n", ""))).anyMatch(p -> p.contains("rtcp-mux"));
    assertThat(SdpChecks.answer(ANSWER + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n")).anyMatch(p -> p.contains("only audio"));
    assertThat(SdpChecks.fingerprintProblems(ANSWER.replace("sha-256", "sha-384"))).singleElement().asString().contains("sha-384");
    assertThat(SdpChecks.fingerprintProblems(ANSWER)).isEmpty();
  }

  @Test
  void theAnswerMustFitTheOffer() {
    assertThat(SdpChecks.answerTo(OFFER, ANSWER.replace("a=mid:audio", "a=mid:0"))).anyMatch(p -> p.contains("a=mid"));
    assertThat(SdpChecks.answerTo(OFFER, ANSWER.replace("BUNDLE audio", "BUNDLE 0"))).anyMatch(p -> p.contains("BUNDLE"));
    assertThat(SdpChecks.answerTo(OFFER, ANSWER.replace("SAVPF 111", "SAVPF 109").replace(":111 ", ":109 ")))
        .anyMatch(p -> p.contains("payload type 111")).anyMatch(p -> p.contains("payload type 109 was not in the offer"));
  }

  @Test
  void ourAnswerCarriesItsCandidatesAndNoHeaderExtensions() {
    String noCandidates = ANSWER.replace("a=candidate:1 1 UDP 2015363327 127.0.0.1 40002 typ host\r\n", "");
    assertThat(SdpChecks.answerTo(OFFER, noCandidates)).as("Meta's own sample answer has none").isEmpty();
    assertThat(SdpChecks.ourAnswerTo(OFFER, noCandidates)).anyMatch(p -> p.contains("no trickle"));
    assertThat(SdpChecks.ourAnswerTo(OFFER, ANSWER.replace(" UDP 2015363327", " TCP 2015363327"))).anyMatch(p -> p.contains("only UDP"));
    assertThat(SdpChecks.ourAnswerTo(OFFER, ANSWER.replace("m=audio 40002", "m=audio 40004"))).anyMatch(p -> p.contains("m= port"));
    assertThat(SdpChecks.ourAnswerTo(OFFER, ANSWER + "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"))
        .anyMatch(p -> p.contains("header extensions"));
  }
}
