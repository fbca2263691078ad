package dev.wavoice.media;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every rewrite between WhatsApp's SDP and Kurento's WebRtcEndpoint, in one place (see docs/media.md).
 *
 * <p>WhatsApp offers are ICE-lite. Kurento 7.3 as the answerer takes the ICE <em>controlled</em> role
 * and echoes {@code a=ice-lite}; a lite peer never sends checks, so nobody would nominate a pair and
 * ICE fails. As the offerer Kurento is controlling. So for an ICE-lite offer the roles are inverted:
 * Kurento makes an audio-only offer, the WhatsApp offer rewritten into an answer is given to it
 * ({@link #answerForKms}), and Kurento's offer rewritten into an answer goes back to WhatsApp
 * ({@link #answerForWhatsApp}). Offers from full ICE agents take the plain path and only get
 * {@link #fixedAnswer}. Outgoing calls use {@link #offerForWhatsApp} and {@link #remoteAnswerForKms}.
 */
final class WhatsAppSdp {

  static final String PROTO = "UDP/TLS/RTP/SAVPF";
  /** The payload type WhatsApp gives Opus in its own SDPs; an outgoing offer uses it too, so both sides agree. */
  static final String WHATSAPP_OPUS_PT = "111";

  private WhatsAppSdp() {}

  /**
   * Refuses, before anything is made on Kurento, an offer wavoice cannot bridge: it must have exactly
   * one audio section, accepted (port above 0), with Opus and an {@code a=mid}.
   */
  static void checkOffer(String offer) {
    Sdp.Media audio = Sdp.parse(offer, "the remote offer").singleAudio("the remote offer");
    opusOf(audio, "the remote offer", MediaException.Reason.BAD_SDP);
    if (audio.port() <= 0) {
      throw new MediaException(MediaException.Reason.BAD_SDP, "the remote offer rejects its audio section (port " + audio.port() + ")");
    }
    if (audio.attribute("mid").isEmpty()) {
      throw new MediaException(MediaException.Reason.BAD_SDP, "the remote offer has no a=mid");
    }
  }

  /** True when the SDP declares its sender ICE-lite (session-level {@code a=ice-lite}, RFC 8839). */
  static boolean isIceLite(String sdp) {
    return Sdp.parse(sdp, "the remote SDP").hasSessionFlag("ice-lite");
  }

  /**
   * Inverted path, step 2: the remote (WhatsApp) offer as the answer to Kurento's offer. Kurento becomes
   * the DTLS client ({@code a=setup:passive} here), the mid and BUNDLE become Kurento's, Opus stays at
   * the remote's payload type (renumbering it makes Kurento drop every packet: "Caps not found"), and
   * what the remote offered but Kurento did not (telephone-event, {@code a=rtcp-mux-only}, header
   * extensions, RTCP feedback) is dropped. ICE credentials, fingerprints, candidates and {@code a=ssrc}
   * are kept: Kurento drops RTP from SSRCs it was not told about.
   */
  static String answerForKms(String remoteOffer, String kmsOffer) {
    return toKms(remoteOffer, kmsOffer, Optional.of("passive"));
  }

  /** Outgoing call: the callee's answer (from the {@code connect} webhook) for Kurento's offer; its DTLS role is kept. */
  static String remoteAnswerForKms(String remoteAnswer, String kmsOffer) {
    return toKms(remoteAnswer, kmsOffer, Optional.empty());
  }

  /**
   * Inverted path, step 3: Kurento's offer (after gathering) as the answer WhatsApp gets: {@code
   * a=setup:active}, WhatsApp's mid and BUNDLE, Opus only at the offer's payload type with the offer's
   * {@code fmtp}, component-1 UDP candidates only, {@code m=}/{@code c=} from the first (IPv4 first) of them, SHA-256
   * fingerprints only, no {@code a=ice-lite}.
   */
  static String answerForWhatsApp(String kmsOffer, String remoteOffer) {
    Sdp.Media remote = Sdp.parse(remoteOffer, "the remote offer").singleAudio("the remote offer");
    String mid = remote.attribute("mid")
        .orElseThrow(() -> new MediaException(MediaException.Reason.BAD_SDP, "the remote offer has no a=mid"));
    String opus = opusOf(remote, "the remote offer", MediaException.Reason.BAD_SDP);
    return forWhatsApp(kmsOffer, mid, "active", opus, fmtpOf(remote, opus));
  }

  /**
   * Outgoing call: Kurento's offer (after gathering) as the offer WhatsApp gets: the same cleaning, DTLS
   * role actpass, Kurento's mid, Opus at WhatsApp's usual payload type 111 (Kurento takes the answer's
   * payload type as it is, see {@link #remoteAnswerForKms}).
   */
  static String offerForWhatsApp(String kmsOffer) {
    Sdp.Media kms = Sdp.parse(kmsOffer, "Kurento's offer").singleAudio("Kurento's offer");
    String mid = kms.attribute("mid")
        .orElseThrow(() -> new MediaException(MediaException.Reason.KMS_ERROR, "Kurento's offer has no a=mid"));
    String opus = opusOf(kms, "Kurento's offer", MediaException.Reason.KMS_ERROR);
    return forWhatsApp(kmsOffer, mid, "actpass", WHATSAPP_OPUS_PT, fmtpOf(kms, opus));
  }

  /**
   * Plain path: Kurento's answer to a full-ICE offer, fixed. Kurento copies the offer's session-level
   * attributes into its answer (so an {@code a=ice-lite} would be echoed although Kurento is a full
   * agent), and WhatsApp accepts SHA-256 fingerprints only.
   */
  static String fixedAnswer(String kmsAnswer) {
    Sdp sdp = Sdp.parse(kmsAnswer, "Kurento's answer");
    sdp.removeSessionLines(line -> line.equals("a=ice-lite") || isWeakFingerprint(line));
    for (Sdp.Media media : sdp.media()) {
      media.removeLines(line -> line.equals("a=ice-lite") || isWeakFingerprint(line));
    }
    return sdp.render();
  }

  private static String toKms(String remote, String kmsOffer, Optional<String> setup) {
    Sdp sdp = Sdp.parse(remote, "the remote SDP");
    Sdp.Media media = sdp.singleAudio("the remote SDP");
    Sdp.Media kms = Sdp.parse(kmsOffer, "Kurento's offer").singleAudio("Kurento's offer");
    String kmsMid = kms.attribute("mid")
        .orElseThrow(() -> new MediaException(MediaException.Reason.KMS_ERROR, "Kurento's offer has no a=mid"));
    String opus = opusOf(media, "the remote SDP", MediaException.Reason.BAD_SDP);
    if (media.port() <= 0) {
      throw new MediaException(MediaException.Reason.BAD_SDP, "the remote SDP rejects its audio section (port 0)");
    }

    if (sdp.session().stream().anyMatch(l -> l.startsWith("a=group:BUNDLE"))) {
      sdp.putSessionLine("a=group:BUNDLE", "a=group:BUNDLE " + kmsMid);
    }
    media.setMLine("audio", media.port(), media.proto(), List.of(opus));
    media.removeLines(Sdp.Media.codecLinesExcept(opus)
        .or(line -> line.equals("a=rtcp-mux-only"))
        .or(line -> line.startsWith("a=extmap:") || line.startsWith("a=rtcp-fb:")));
    media.putLine("a=mid:", "a=mid:" + kmsMid);
    setup.ifPresent(role -> {
      sdp.removeSessionLines(line -> line.startsWith("a=setup:"));
      media.putLine("a=setup:", "a=setup:" + role);
    });
    return sdp.render();
  }

  private static String forWhatsApp(String kmsSdp, String mid, String setup, String opus, Optional<String> fmtp) {
    Sdp sdp = Sdp.parse(kmsSdp, "Kurento's SDP");
    Sdp.Media media = sdp.singleAudio("Kurento's SDP");
    String kmsOpus = opusOf(media, "Kurento's SDP", MediaException.Reason.KMS_ERROR);
    List<String> candidates = media.attributes("candidate").stream().filter(WhatsAppSdp::isUdpRtpCandidate).toList();
    if (candidates.isEmpty()) {
      throw new MediaException(MediaException.Reason.KMS_ERROR, "Kurento gathered no UDP candidate for component 1");
    }
    // m=/c= from the first IPv4 candidate when there is one: WhatsApp's own c= is IPv4, its IPv6 candidate an extra
    String[] first = candidates.stream().map(c -> c.split(" +")).filter(c -> !c[4].contains(":")).findFirst()
        .orElse(candidates.get(0).split(" +"));
    String address = first[4];
    int port = Integer.parseInt(first[5]);

    sdp.removeSessionLines(line -> line.equals("a=ice-lite") || line.startsWith("a=ice-options:")
        || line.startsWith("c=") || isWeakFingerprint(line));
    sdp.putSessionLine("a=group:BUNDLE", "a=group:BUNDLE " + mid);

    media.setMLine("audio", port, PROTO, List.of(opus));
    media.removeLines(Sdp.Media.codecLinesExcept(kmsOpus)
        .or(line -> line.startsWith("c=") || line.startsWith("a=extmap:") || line.startsWith("a=rtcp:")
            || line.startsWith("a=ice-options:") || line.equals("a=ice-lite") || isWeakFingerprint(line))
        .or(line -> line.startsWith("a=candidate:") && !isUdpRtpCandidate(line.substring("a=candidate:".length())))
        .or(line -> line.startsWith("a=fmtp:" + kmsOpus + " ") || line.startsWith("a=rtcp-fb:" + kmsOpus + " ")));
    List<String> lines = media.lines();
    int rtpmap = lines.indexOf(lines.stream().filter(l -> l.startsWith("a=rtpmap:" + kmsOpus + " ")).findFirst().orElseThrow());
    lines.set(rtpmap, "a=rtpmap:" + opus + " opus/48000/2");
    fmtp.ifPresent(value -> lines.add(rtpmap + 1, "a=fmtp:" + opus + " " + value));
    lines.add(0, "c=IN " + (address.contains(":") ? "IP6 " : "IP4 ") + address);
    media.putLine("a=setup:", "a=setup:" + setup);
    media.putLine("a=mid:", "a=mid:" + mid);
    return sdp.render();
  }

  /** {@code <foundation> 1 UDP <priority> <address> <port> typ <type> ...}: an RTP (component 1) UDP candidate. */
  private static boolean isUdpRtpCandidate(String candidate) {
    String[] fields = candidate.split(" +");
    return fields.length >= 8 && fields[1].equals("1") && fields[2].equalsIgnoreCase("udp");
  }

  private static boolean isWeakFingerprint(String line) {
    return line.startsWith("a=fingerprint:") && !line.toLowerCase(Locale.ROOT).startsWith("a=fingerprint:sha-256 ");
  }

  private static String opusOf(Sdp.Media media, String what, MediaException.Reason reason) {
    return media.payloadTypeOf("opus")
        .orElseThrow(() -> new MediaException(reason, what + " has no opus/48000/2 in its audio section"));
  }

  private static Optional<String> fmtpOf(Sdp.Media media, String payloadType) {
    return media.attributes("fmtp").stream()
        .filter(v -> v.startsWith(payloadType + " "))
        .map(v -> v.substring(payloadType.length() + 1).strip())
        .findFirst();
  }
}
