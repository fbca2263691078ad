package dev.wavoice.testkit.whatsapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What Meta's Cloud API checks in the SDP a business sends (and what WhatsApp clients need to connect):
 * RFC 8866 text with CRLF line ends, one audio section with Opus over DTLS-SRTP, ICE credentials,
 * SHA-256 fingerprints only, and the DTLS role. Returns the problems found, empty when it is fine.
 *
 * <p>Answers Meta is known to accept (aiortc, Pion): {@code a=setup:active}, not ICE-lite, one
 * {@code sha-256} fingerprint, {@code rtcp-mux}, Opus at the offer's payload type, the offer's
 * {@code mid}; telephone-event is not needed. A fingerprint other than SHA-256 is refused on its own
 * (subcode 2494010, see {@link #fingerprintProblems}); the rest is "SDP Validation error" (138008).
 */
public final class SdpChecks {

  private SdpChecks() {}

  /** An answer to WhatsApp, on its own. */
  public static List<String> answer(String sdp) {
    List<String> problems = common(sdp);
    if (problems.isEmpty()) {
      if (!sdp.contains("\r\na=setup:active\r\n")) {
        problems.add("an answer to WhatsApp must have a=setup:active (the business is the DTLS client)");
      }
      if (sdp.contains("\r\na=ice-lite")) {
        problems.add("the answer must not be ICE-lite: WhatsApp's side is ICE-lite already");
      }
      if (!sdp.contains("\r\na=rtcp-mux\r\n")) {
        problems.add("the answer must have a=rtcp-mux (WhatsApp's offer multiplexes RTCP)");
      }
    }
    return problems;
  }

  /**
   * An answer to this offer: {@link #answer} and what must match the offer: the audio {@code mid} (and the
   * BUNDLE group naming it), Opus at the offer's payload type, no payload type the offer did not have.
   */
  public static List<String> answerTo(String offer, String sdp) {
    List<String> problems = answer(sdp);
    if (!problems.isEmpty() || offer == null) {
      return problems;
    }
    List<String> offerLines = List.of(offer.split("\r?\n"));
    List<String> lines = List.of(sdp.split("\r\n"));
    Optional<String> offerMid = value(offerLines, "a=mid:");
    Optional<String> mid = value(lines, "a=mid:");
    if (offerMid.isPresent() && !offerMid.equals(mid)) {
      problems.add("the answer's a=mid must be the offer's (" + offerMid.get() + "), found " + mid.orElse("none"));
    }
    if (offerMid.isPresent() && lines.stream().anyMatch(l -> l.startsWith("a=group:BUNDLE"))
        && !lines.contains("a=group:BUNDLE " + offerMid.get())) {
      problems.add("the answer's BUNDLE group must name the offer's mid " + offerMid.get());
    }
    Optional<String> offerOpus = opusPayloadType(offerLines);
    Optional<String> opus = opusPayloadType(lines);
    if (offerOpus.isPresent() && !offerOpus.equals(opus)) {
      problems.add("Opus must keep the offer's payload type " + offerOpus.get() + ", found " + opus.orElse("none"));
    }
    List<String> offered = formats(offerLines);
    for (String pt : formats(lines)) {
      if (!offered.contains(pt)) {
        problems.add("payload type " + pt + " was not in the offer " + offered);
      }
    }
    return problems;
  }

  /**
   * The answer wavoice itself must give (stricter than what Meta enforces): {@link #answerTo}, and the
   * candidates inline (no trickle exists in the Graph API), UDP component 1 only, with the {@code m=} port
   * one of theirs.
   */
  public static List<String> ourAnswerTo(String offer, String sdp) {
    List<String> problems = answerTo(offer, sdp);
    if (!problems.isEmpty()) {
      return problems;
    }
    List<String> lines = List.of(sdp.split("\r\n"));
    List<String[]> candidates = lines.stream().filter(l -> l.startsWith("a=candidate:"))
        .map(l -> l.substring("a=candidate:".length()).split(" +")).toList();
    if (candidates.isEmpty()) {
      problems.add("the answer must carry its candidates (there is no trickle ICE in the Graph API)");
    }
    for (String[] c : candidates) {
      if (c.length < 8 || !c[1].equals("1") || !c[2].equalsIgnoreCase("udp")) {
        problems.add("only UDP candidates for component 1 belong in the answer: " + String.join(" ", c));
      }
    }
    String port = lines.stream().filter(l -> l.startsWith("m=audio ")).findFirst().orElseThrow().split(" ")[1];
    if (candidates.stream().noneMatch(c -> c.length > 5 && c[5].equals(port))) {
      problems.add("the m= port " + port + " is none of the candidates' ports");
    }
    if (lines.stream().anyMatch(l -> l.startsWith("a=extmap:"))) {
      problems.add("WhatsApp's offer has no header extensions, the answer must not add any");
    }
    return problems;
  }

  /** Fingerprints other than SHA-256, which Meta refuses with its own subcode (2494010). */
  public static List<String> fingerprintProblems(String sdp) {
    if (sdp == null) {
      return List.of();
    }
    return List.of(sdp.split("\r?\n")).stream()
        .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("a=fingerprint:")
            && !l.toLowerCase(Locale.ROOT).startsWith("a=fingerprint:sha-256 "))
        .map(l -> "only SHA-256 fingerprints are supported: " + l)
        .toList();
  }

  public static List<String> offer(String sdp) {
    List<String> problems = common(sdp);
    if (problems.isEmpty() && !sdp.contains("\r\na=setup:actpass\r\n")) {
      problems.add("an offer must have a=setup:actpass");
    }
    return problems;
  }

  private static Optional<String> value(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip()).findFirst();
  }

  private static List<String> formats(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("m=audio ")).findFirst()
        .map(m -> List.of(m.split(" +")).subList(3, m.split(" +").length)).orElse(List.of());
  }

  private static Optional<String> opusPayloadType(List<String> lines) {
    return lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("a=rtpmap:")
            && l.toLowerCase(Locale.ROOT).contains(" opus/48000/2"))
        .map(l -> l.substring("a=rtpmap:".length()).split(" ")[0]).findFirst();
  }

  private static List<String> common(String sdp) {
    List<String> problems = new ArrayList<>();
    if (sdp == null || sdp.isBlank()) {
      problems.add("empty SDP");
      return problems;
    }
    if (!sdp.startsWith("v=0\r\n")) {
      problems.add("SDP must start with v=0 and use CRLF line ends");
      return problems;
    }
    if (sdp.replace("\r\n", "").contains("\n")) {
      problems.add("SDP has bare LF line ends");
    }
    String[] lines = sdp.split("\r\n");
    int audio = 0;
    int otherMedia = 0;
    boolean opus = false;
    boolean ufrag = false;
    boolean pwd = false;
    int fingerprints = 0;
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("m=audio ")) {
        audio++;
        if (!line.contains(" UDP/TLS/RTP/SAVPF ")) {
          problems.add("audio must use UDP/TLS/RTP/SAVPF: " + line);
        }
      } else if (lower.startsWith("m=")) {
        otherMedia++;
      } else if (lower.startsWith("a=rtpmap:") && lower.contains(" opus/48000/2")) {
        opus = true;
      } else if (lower.startsWith("a=ice-ufrag:")) {
        ufrag = true;
      } else if (lower.startsWith("a=ice-pwd:")) {
        pwd = true;
      } else if (lower.startsWith("a=fingerprint:")) {
        fingerprints++;
      }
    }
    problems.addAll(fingerprintProblems(sdp));
    if (audio != 1) problems.add("exactly one m=audio section is required, found " + audio);
    if (otherMedia != 0) problems.add("only audio is supported, found " + otherMedia + " other m= sections");
    if (!opus) problems.add("opus/48000/2 is required");
    if (!ufrag || !pwd) problems.add("a=ice-ufrag and a=ice-pwd are required");
    if (fingerprints == 0) problems.add("a=fingerprint:sha-256 is required");
    return problems;
  }
}
