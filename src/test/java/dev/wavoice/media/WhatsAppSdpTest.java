package dev.wavoice.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.kurento.SdpFixtures;
import dev.wavoice.testkit.whatsapp.SdpChecks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SDP rewrites on real SDPs: WhatsApp's offer, Kurento 7.3.0's offer and answer, the test caller's offer. */
class WhatsAppSdpTest {

  static final String WHATSAPP = SdpFixtures.whatsappOffer();
  static final String KMS_OFFER = SdpFixtures.kmsOffer();
  static final String CALLER = SdpFixtures.callerOffer();

  static List<String> lines(String sdp) {
    assertThat(sdp).startsWith("v=0\r\n").endsWith("\r\n");
    assertThat(sdp.replace("\r\n", "")).doesNotContain("\n");
    return List.of(sdp.split("\r\n"));
  }

  static List<String> startingWith(String sdp, String prefix) {
    return lines(sdp).stream().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void iceLiteIsASessionLevelFlag() {
    assertThat(WhatsAppSdp.isIceLite(WHATSAPP)).isTrue();
    assertThat(WhatsAppSdp.isIceLite(CALLER)).isFalse();
    assertThat(WhatsAppSdp.isIceLite(SdpFixtures.withIceLite(CALLER))).isTrue();
    assertThat(WhatsAppSdp.isIceLite(KMS_OFFER)).isFalse();
  }

  @Test
  void theWhatsAppOfferBecomesKurentosAnswerKeepingOpusAtItsPayloadType() {
    String answer = WhatsAppSdp.answerForKms(WHATSAPP, KMS_OFFER);

    assertThat(startingWith(answer, "m=")).containsExactly("m=audio 3480 UDP/TLS/RTP/SAVPF 111");
    assertThat(startingWith(answer, "a=setup:")).containsExactly("a=setup:passive");
    assertThat(startingWith(answer, "a=mid:")).containsExactly("a=mid:audio0");
    assertThat(startingWith(answer, "a=group:")).containsExactly("a=group:BUNDLE audio0");
    assertThat(startingWith(answer, "a=rtpmap:")).containsExactly("a=rtpmap:111 opus/48000/2");
    assertThat(startingWith(answer, "a=fmtp:")).containsExactly(
        "a=fmtp:111 maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1");
    assertThat(answer).doesNotContain("telephone-event").doesNotContain(" 126").doesNotContain("a=rtcp-fb:");
    // what Kurento needs to reach WhatsApp and accept its media is kept as WhatsApp wrote it
    for (String kept : List.of("a=ice-lite", "a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:", "a=candidate:", "a=ssrc:",
        "a=rtcp-mux", "c=IN IP4 127.0.0.1", "a=rtcp:9 ", "a=sendrecv", "a=msid:", "a=msid-semantic:", "a=ptime:", "a=maxptime:")) {
      assertThat(startingWith(answer, kept)).as(kept).isEqualTo(startingWith(WHATSAPP, kept));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"whatsapp-offer.sdp", "whatsapp-offer-3484.sdp"})
  void aRealisticOffersIpv6CandidateAndItsCredentialsReachKurentoVerbatim(String fixture) {
    String offer = Fixtures.whatsapp(fixture);
    List<String> candidates = startingWith(offer, "a=candidate:");
    assertThat(candidates).as("the fixture's shape").hasSize(2).allMatch(c -> c.endsWith(" typ host generation 0 network-cost 50"));
    assertThat(candidates).anyMatch(c -> c.contains(" ::1 ")).anyMatch(c -> c.contains(" 127.0.0.1 "));
    assertThat(startingWith(offer, "a=ice-ufrag:")).singleElement().asString().hasSize("a=ice-ufrag:".length() + 16).contains("+");
    assertThat(startingWith(offer, "a=ice-pwd:")).singleElement().asString().hasSize("a=ice-pwd:".length() + 24).endsWith("==");

    String answer = WhatsAppSdp.answerForKms(offer, KMS_OFFER);

    assertThat(startingWith(answer, "a=candidate:")).isEqualTo(candidates);
    assertThat(startingWith(answer, "a=ice-ufrag:")).isEqualTo(startingWith(offer, "a=ice-ufrag:"));
    assertThat(startingWith(answer, "a=ice-pwd:")).isEqualTo(startingWith(offer, "a=ice-pwd:"));
    assertThat(startingWith(answer, "m=")).containsExactly(startingWith(offer, "m=").get(0).replace(" 111 126", " 111"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"whatsapp-offer.sdp", "whatsapp-offer-3484.sdp"})
  void theAnswerToARealisticOfferFollowsWhatMetaAccepts(String fixture) {
    String offer = Fixtures.whatsapp(fixture);
    String answer = WhatsAppSdp.answerForWhatsApp(KMS_OFFER, offer);
    assertThat(SdpChecks.ourAnswerTo(offer, answer)).isEmpty();
    assertThat(SdpChecks.fingerprintProblems(answer)).isEmpty();
  }

  @Test
  void aFullAgentOfferForcedOntoTheInvertedPathLosesWhatKurentoDidNotOffer() {
    String answer = WhatsAppSdp.answerForKms(SdpFixtures.withIceLite(CALLER), KMS_OFFER);

    assertThat(startingWith(answer, "m=")).containsExactly("m=audio 48356 UDP/TLS/RTP/SAVPF 111");
    assertThat(startingWith(answer, "a=rtpmap:")).containsExactly("a=rtpmap:111 OPUS/48000/2");
    assertThat(answer).doesNotContain("a=rtcp-mux-only").doesNotContain("a=rtcp-fb:").doesNotContain("telephone-event");
    assertThat(startingWith(answer, "a=setup:")).containsExactly("a=setup:passive");
    assertThat(startingWith(answer, "a=mid:")).containsExactly("a=mid:audio0");
    assertThat(startingWith(answer, "a=ssrc:")).hasSize(2);
    assertThat(startingWith(answer, "a=rtcp-mux")).containsExactly("a=rtcp-mux");
  }

  @Test
  void kurentosOfferBecomesTheAnswerWhatsAppAccepts() {
    String answer = WhatsAppSdp.answerForWhatsApp(KMS_OFFER, WHATSAPP);

    assertThat(SdpChecks.ourAnswerTo(WHATSAPP, answer)).isEmpty();
    assertThat(startingWith(answer, "m=")).containsExactly("m=audio 45095 UDP/TLS/RTP/SAVPF 111");
    assertThat(startingWith(answer, "c=")).containsExactly("c=IN IP4 127.0.0.1");
    assertThat(startingWith(answer, "a=candidate:")).containsExactly("a=candidate:1 1 UDP 2015364095 127.0.0.1 45095 typ host");
    assertThat(startingWith(answer, "a=setup:")).containsExactly("a=setup:active");
    assertThat(startingWith(answer, "a=mid:")).containsExactly("a=mid:audio");
    assertThat(startingWith(answer, "a=group:")).containsExactly("a=group:BUNDLE audio");
    assertThat(startingWith(answer, "a=rtpmap:")).containsExactly("a=rtpmap:111 opus/48000/2");
    assertThat(startingWith(answer, "a=fmtp:")).isEqualTo(startingWith(WHATSAPP, "a=fmtp:111 "));
    assertThat(answer).doesNotContain("a=ice-lite").doesNotContain("a=extmap").doesNotContain("a=rtcp:")
        .doesNotContain("PCMU").doesNotContain("PCMA").doesNotContain("ice-options").doesNotContain("RTP/SAVPF 96");
    // Kurento's own ICE credentials, certificate and SSRC stay
    for (String kept : List.of("a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:sha-256 ", "a=ssrc:", "a=rtcp-mux", "a=sendrecv", "o=")) {
      assertThat(startingWith(answer, kept)).as(kept).isEqualTo(startingWith(KMS_OFFER, kept));
    }
    // the m= line's format list and the rtpmap agree, and the answer keeps the offer's m-line count
    assertThat(lines(answer).stream().filter(l -> l.startsWith("m=")).count()).isOne();
  }

  @Test
  void anIpv6CandidateOfKurentosIsKeptButTheConnectionLineIsIpv4() {
    String dualStack = KMS_OFFER.replace("a=candidate:1 1 UDP 2015364095 127.0.0.1 45095 typ host\r\n",
        "a=candidate:4 1 UDP 2015364351 ::1 45097 typ host\r\na=candidate:1 1 UDP 2015364095 127.0.0.1 45095 typ host\r\n");
    String answer = WhatsAppSdp.answerForWhatsApp(dualStack, WHATSAPP);
    assertThat(startingWith(answer, "a=candidate:")).containsExactly("a=candidate:4 1 UDP 2015364351 ::1 45097 typ host",
        "a=candidate:1 1 UDP 2015364095 127.0.0.1 45095 typ host");
    assertThat(startingWith(answer, "c=")).containsExactly("c=IN IP4 127.0.0.1");
    assertThat(startingWith(answer, "m=")).containsExactly("m=audio 45095 UDP/TLS/RTP/SAVPF 111");
    assertThat(SdpChecks.ourAnswerTo(WHATSAPP, answer)).isEmpty();

    String v6Only = KMS_OFFER.replace(" 127.0.0.1 45095 typ host", " ::1 45095 typ host");
    assertThat(startingWith(WhatsAppSdp.answerForWhatsApp(v6Only, WHATSAPP), "c=")).containsExactly("c=IN IP6 ::1");
  }

  @Test
  void theCallersMidAndPayloadTypeAreEchoedInItsAnswer() {
    String answer = WhatsAppSdp.answerForWhatsApp(KMS_OFFER, SdpFixtures.withIceLite(CALLER));
    assertThat(startingWith(answer, "a=mid:")).containsExactly("a=mid:audio0");
    assertThat(startingWith(answer, "a=group:")).containsExactly("a=group:BUNDLE audio0");
    assertThat(startingWith(answer, "a=fmtp:")).containsExactly("a=fmtp:111 minptime=10;useinbandfec=1");
    assertThat(SdpChecks.answer(answer)).isEmpty();
  }

  @Test
  void kurentosAnswerLosesTheEchoedIceLiteAndNothingElse() {
    String kmsAnswer = SdpFixtures.kmsAnswerEchoingIceLite();
    assertThat(kmsAnswer).contains("\r\na=ice-lite\r\n");

    String fixed = WhatsAppSdp.fixedAnswer(kmsAnswer);

    assertThat(fixed).doesNotContain("a=ice-lite");
    assertThat(lines(fixed)).containsExactlyElementsOf(lines(kmsAnswer).stream().filter(l -> !l.equals("a=ice-lite")).toList());
    assertThat(SdpChecks.answer(fixed)).isEmpty();
  }

  @Test
  void onlySha256FingerprintsSurvive() {
    String withSha1 = SdpFixtures.kmsAnswerEchoingIceLite().replace("a=fingerprint:sha-256 ",
        "a=fingerprint:sha-1 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD\r\na=fingerprint:SHA-256 ");
    String fixed = WhatsAppSdp.fixedAnswer(withSha1);
    assertThat(startingWith(fixed, "a=fingerprint:")).singleElement().asString().startsWith("a=fingerprint:SHA-256 ");

    String offer = WhatsAppSdp.offerForWhatsApp(KMS_OFFER.replace("a=fingerprint:sha-256 ",
        "a=fingerprint:sha-512 00:11\r\na=fingerprint:sha-256 "));
    assertThat(startingWith(offer, "a=fingerprint:")).singleElement().asString().startsWith("a=fingerprint:sha-256 ");
  }

  @Test
  void kurentosOfferBecomesAnOfferWhatsAppAccepts() {
    String offer = WhatsAppSdp.offerForWhatsApp(KMS_OFFER);

    assertThat(SdpChecks.offer(offer)).isEmpty();
    assertThat(startingWith(offer, "m=")).containsExactly("m=audio 45095 UDP/TLS/RTP/SAVPF 111");
    assertThat(startingWith(offer, "a=rtpmap:")).containsExactly("a=rtpmap:111 opus/48000/2");
    assertThat(startingWith(offer, "a=setup:")).containsExactly("a=setup:actpass");
    assertThat(startingWith(offer, "a=mid:")).containsExactly("a=mid:audio0");
    assertThat(startingWith(offer, "a=candidate:")).containsExactly("a=candidate:1 1 UDP 2015364095 127.0.0.1 45095 typ host");
    assertThat(offer).doesNotContain("a=ice-lite").doesNotContain("a=extmap").doesNotContain("a=rtcp:").doesNotContain("PCM");
  }

  @Test
  void theCalleesAnswerIsFittedToKurentosOfferKeepingItsDtlsRole() {
    String whatsAppAnswer = Fixtures.whatsappJson("webhook-connect-business-initiated-answer.json")
        .getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0).getJsonObject("value")
        .getJsonArray("calls").getJsonObject(0).getJsonObject("session").getString("sdp");

    String forKms = WhatsAppSdp.remoteAnswerForKms(whatsAppAnswer, KMS_OFFER);

    assertThat(startingWith(forKms, "a=setup:")).containsExactly("a=setup:active");
    assertThat(startingWith(forKms, "a=mid:")).containsExactly("a=mid:audio0");
    assertThat(startingWith(forKms, "a=group:")).containsExactly("a=group:BUNDLE audio0");
    assertThat(startingWith(forKms, "m=")).containsExactly("m=audio 40012 UDP/TLS/RTP/SAVPF 111");
    assertThat(forKms).doesNotContain("telephone-event");
    assertThat(startingWith(forKms, "a=candidate:")).isEqualTo(startingWith(whatsAppAnswer, "a=candidate:"));
  }

  @Test
  void unusableRemoteSdpIsRefusedWithAClearReason() {
    for (String bad : List.of("", "garbage", "v=0\r\ns=-\r\n", WHATSAPP.replace("v=0", "v=1"))) {
      assertThatThrownBy(() -> WhatsAppSdp.answerForKms(bad, KMS_OFFER))
          .isInstanceOf(MediaException.class)
          .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.BAD_SDP));
    }
    String noOpus = WHATSAPP.replace("UDP/TLS/RTP/SAVPF 111 126", "UDP/TLS/RTP/SAVPF 126");
    assertThatThrownBy(() -> WhatsAppSdp.answerForKms(noOpus, KMS_OFFER))
        .isInstanceOf(MediaException.class).hasMessageContaining("opus");
    assertThatThrownBy(() -> WhatsAppSdp.answerForWhatsApp(KMS_OFFER, noOpus))
        .isInstanceOf(MediaException.class).hasMessageContaining("opus");
    String video = WHATSAPP + "m=video 40014 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n";
    assertThatThrownBy(() -> WhatsAppSdp.answerForKms(video, KMS_OFFER))
        .isInstanceOf(MediaException.class).hasMessageContaining("exactly one m=audio");
    String noMid = WHATSAPP.replace("a=mid:audio\r\n", "");
    assertThatThrownBy(() -> WhatsAppSdp.answerForWhatsApp(KMS_OFFER, noMid))
        .isInstanceOf(MediaException.class).hasMessageContaining("a=mid");
  }

  @Test
  void kurentoWithoutAUdpCandidateIsAKurentoError() {
    String tcpOnly = KMS_OFFER.replace("a=candidate:1 1 UDP 2015364095 127.0.0.1 45095 typ host\r\n", "");
    assertThatThrownBy(() -> WhatsAppSdp.answerForWhatsApp(tcpOnly, WHATSAPP))
        .isInstanceOf(MediaException.class)
        .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(MediaException.Reason.KMS_ERROR));
  }
}
