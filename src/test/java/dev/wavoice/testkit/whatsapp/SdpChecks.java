package dev.wavoice.testkit.whatsapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Meta's Cloud API checks in the SDP a business sends (and what WhatsApp clients need to connect):
 * RFC 8866 text with CRLF line ends, one audio section with Opus over DTLS-SRTP, ICE credentials,
 * SHA-256 fingerprints only, and the DTLS role. Returns the problems found, empty when it is fine.
 */
public final class SdpChecks {

  private SdpChecks() {}

  public static List<String> answer(String sdp) {
    List<String> problems = common(sdp);
    if (problems.isEmpty()) {
      if (!sdp.contains("\r\na=setup:active\r\n")) {
        problems.add("an answer to WhatsApp must have a=setup:active (the business is the DTLS client)");
      }
      if (sdp.contains("\r\na=ice-lite")) {
        problems.add("the answer must not be ICE-lite: WhatsApp's side is ICE-lite already");
      }
    }
    return problems;
  }

  public static List<String> offer(String sdp) {
    List<String> problems = common(sdp);
    if (problems.isEmpty() && !sdp.contains("\r\na=setup:actpass\r\n")) {
      problems.add("an offer must have a=setup:actpass");
    }
    return problems;
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
        if (!lower.startsWith("a=fingerprint:sha-256 ")) {
          problems.add("only SHA-256 fingerprints are supported: " + line);
        }
      }
    }
    if (audio != 1) problems.add("exactly one m=audio section is required, found " + audio);
    if (otherMedia != 0) problems.add("only audio is supported, found " + otherMedia + " other m= sections");
    if (!opus) problems.add("opus/48000/2 is required");
    if (!ufrag || !pwd) problems.add("a=ice-ufrag and a=ice-pwd are required");
    if (fingerprints == 0) problems.add("a=fingerprint:sha-256 is required");
    return problems;
  }
}
