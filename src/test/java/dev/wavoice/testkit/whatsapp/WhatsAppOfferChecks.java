package dev.wavoice.testkit.whatsapp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of an offer as real WhatsApp clients send it (public captures): on top of {@link SdpChecks#offer},
 * session-level ICE-lite and BUNDLE, exactly two UDP host candidates (IPv4 and IPv6) on one port, WhatsApp's
 * ICE credential formats, Opus 111 with its fmtp, telephone-event 126 without fmtp, 20 ms packets, one SSRC
 * and no header extensions. Used to check that the tests' WhatsApp peer offers what WhatsApp offers.
 */
public final class WhatsAppOfferChecks {

  static final String OPUS_FMTP = "a=fmtp:111 maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1";
  private static final Pattern CANDIDATE = Pattern.compile(
      "a=candidate:\\d+ 1 udp \\d+ (\\S+) (\\d+) typ host generation 0 network-cost 50");
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private WhatsAppOfferChecks() {}

  /** The problems found, empty when the offer has WhatsApp's shape. */
  public static List<String> check(String sdp) {
    List<String> problems = new ArrayList<>(SdpChecks.offer(sdp));
    if (!problems.isEmpty()) {
      return problems;
    }
    List<String> lines = Arrays.asList(sdp.split("\r\n"));
    int media = indexOfPrefix(lines, "m=");
    List<String> session = lines.subList(0, media);
    List<String> audio = lines.subList(media, lines.size());
    require(problems, session, "a=ice-lite");
    require(problems, session, "a=group:BUNDLE audio");
    String semantic = first(session, "a=msid-semantic: WMS ");
    if (semantic == null || !UUID.matcher(semantic.substring("a=msid-semantic: WMS ".length())).matches()) {
      problems.add("a=msid-semantic: WMS <uuid> is required at session level");
    }
    Matcher mLine = Pattern.compile("m=audio (\\d+) UDP/TLS/RTP/SAVPF 111 126").matcher(audio.get(0));
    if (!mLine.matches()) {
      problems.add("the m-line must be m=audio <port> UDP/TLS/RTP/SAVPF 111 126: " + audio.get(0));
    }
    if (audio.stream().noneMatch(l -> l.startsWith("c=IN IP4 "))) {
      problems.add("c=IN IP4 <address> is required");
    }
    for (String line : List.of("a=rtcp:9 IN IP4 0.0.0.0", "a=setup:actpass", "a=mid:audio", "a=sendrecv", "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc", OPUS_FMTP, "a=rtpmap:126 telephone-event/8000",
        "a=maxptime:20", "a=ptime:20")) {
      require(problems, audio, line);
    }
    candidates(problems, audio, mLine.matches() ? mLine.group(1) : null);
    String ufrag = value(audio, "a=ice-ufrag:");
    if (ufrag == null || !ufrag.matches("[A-Za-z0-9+/]{16}")) {
      problems.add("a=ice-ufrag must be 16 characters of the base64 alphabet: " + ufrag);
    }
    String pwd = value(audio, "a=ice-pwd:");
    if (pwd == null || !pwd.matches("[A-Za-z0-9+/]{22}==")) {
      problems.add("a=ice-pwd must be 24 characters of base64 ending in ==: " + pwd);
    }
    String msid = value(audio, "a=msid:");
    if (msid == null || semantic == null || !msid.equals(semantic.substring("a=msid-semantic: WMS ".length()) + " WhatsAppTrack1")) {
      problems.add("a=msid:<the WMS uuid> WhatsAppTrack1 is required: " + msid);
    }
    List<String> ssrcs = audio.stream().filter(l -> l.startsWith("a=ssrc:")).toList();
    if (ssrcs.size() != 1 || !ssrcs.get(0).matches("a=ssrc:\\d+ cname:WhatsAppAudioStream1")) {
      problems.add("exactly one a=ssrc:<n> cname:WhatsAppAudioStream1 is required: " + ssrcs);
    }
    for (String absent : List.of("a=extmap:", "a=ice-options:", "a=end-of-candidates", "a=fmtp:126", "a=setup:active")) {
      if (lines.stream().anyMatch(l -> l.startsWith(absent))) {
        problems.add("WhatsApp's offer has no " + absent);
      }
    }
    if (lines.stream().anyMatch(l -> l.startsWith("a=fingerprint:") && !l.startsWith("a=fingerprint:sha-256 "))) {
      problems.add("only a=fingerprint:sha-256");
    }
    return problems;
  }

  private static void candidates(List<String> problems, List<String> audio, String port) {
    List<String> candidates = audio.stream().filter(l -> l.startsWith("a=candidate:")).toList();
    List<String> addresses = new ArrayList<>();
    for (String candidate : candidates) {
      Matcher m = CANDIDATE.matcher(candidate);
      if (!m.matches()) {
        problems.add("a candidate must be UDP host, generation 0 network-cost 50: " + candidate);
      } else {
        addresses.add(m.group(1));
        if (!m.group(2).equals(port)) {
          problems.add("every candidate is on the m-line's port " + port + ": " + candidate);
        }
      }
    }
    if (candidates.size() != 2 || addresses.stream().filter(a -> a.contains(":")).count() != 1
        || addresses.stream().filter(a -> a.matches("[0-9.]+")).count() != 1) {
      problems.add("exactly two host candidates, one IPv4 and one IPv6: " + candidates);
    }
  }

  private static void require(List<String> problems, List<String> section, String line) {
    if (!section.contains(line)) {
      problems.add(line + " is required");
    }
  }

  private static int indexOfPrefix(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return lines.size();
  }

  private static String first(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
  }

  private static String value(List<String> lines, String prefix) {
    String line = first(lines, prefix);
    return line == null ? null : line.substring(prefix.length());
  }
}
