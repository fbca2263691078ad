package dev.wavoice.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An SDP (RFC 8866) as text lines: the session part and one part per {@code m=} section. Just enough
 * structure for our rewrites; lines we do not touch are kept as they are. Rendered with CRLF line ends.
 */
final class Sdp {

  private final List<String> session;
  private final List<Media> media;

  private Sdp(List<String> session, List<Media> media) {
    this.session = session;
    this.media = media;
  }

  /** Parses the text; a missing {@code v=0} first line or no {@code m=} section is a {@link MediaException.Reason#BAD_SDP}. */
  static Sdp parse(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new MediaException(MediaException.Reason.BAD_SDP, what + " is empty");
    }
    List<String> session = new ArrayList<>();
    List<Media> media = new ArrayList<>();
    Media current = null;
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.length() < 2 || line.charAt(1) != '=') {
        throw new MediaException(MediaException.Reason.BAD_SDP, what + " has a line that is not type=value: '" + line + "'");
      }
      if (line.startsWith("m=")) {
        current = new Media(line);
        media.add(current);
      } else if (current == null) {
        session.add(line);
      } else {
        current.lines.add(line);
      }
    }
    if (session.isEmpty() || !session.get(0).equals("v=0")) {
      throw new MediaException(MediaException.Reason.BAD_SDP, what + " does not start with v=0");
    }
    if (media.isEmpty()) {
      throw new MediaException(MediaException.Reason.BAD_SDP, what + " has no m= section");
    }
    return new Sdp(session, media);
  }

  List<String> session() {
    return session;
  }

  List<Media> media() {
    return media;
  }

  /** The only {@code m=audio} section; anything else (several sections, no audio) is refused. */
  Media singleAudio(String what) {
    if (media.size() != 1 || !media.get(0).kind().equals("audio")) {
      throw new MediaException(MediaException.Reason.BAD_SDP, what + " must have exactly one m=audio section, found "
          + media.stream().map(Media::kind).toList());
    }
    return media.get(0);
  }

  boolean hasSessionFlag(String attribute) {
    return session.contains("a=" + attribute);
  }

  void removeSessionLines(Predicate<String> which) {
    session.removeIf(which);
  }

  /** Replaces the session-level line starting with {@code prefix}, or appends it when there is none. */
  void putSessionLine(String prefix, String line) {
    for (int i = 0; i < session.size(); i++) {
      if (session.get(i).startsWith(prefix)) {
        session.set(i, line);
        return;
      }
    }
    session.add(line);
  }

  String render() {
    StringBuilder out = new StringBuilder();
    session.forEach(line -> out.append(line).append("\r\n"));
    for (Media m : media) {
      out.append(m.mLine).append("\r\n");
      m.lines.forEach(line -> out.append(line).append("\r\n"));
    }
    return out.toString();
  }

  /** One {@code m=} section: its {@code m=} line and the lines after it. */
  static final class Media {

    private String mLine;
    private final List<String> lines = new ArrayList<>();

    private Media(String mLine) {
      this.mLine = mLine;
    }

    private String[] mFields() {
      return mLine.substring(2).split(" +");
    }

    String kind() {
      return mFields()[0];
    }

    int port() {
      String[] fields = mFields();
      try {
        return fields.length > 1 ? Integer.parseInt(fields[1].split("/")[0]) : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    String proto() {
      String[] fields = mFields();
      return fields.length > 2 ? fields[2] : "";
    }

    List<String> formats() {
      String[] fields = mFields();
      return fields.length > 3 ? List.of(fields).subList(3, fields.length) : List.of();
    }

    void setMLine(String kind, int port, String proto, List<String> formats) {
      mLine = "m=" + kind + " " + port + " " + proto + " " + String.join(" ", formats);
    }

    List<String> lines() {
      return lines;
    }

    /** The values of every {@code a=name:value} line. */
    List<String> attributes(String name) {
      String prefix = "a=" + name + ":";
      return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    Optional<String> attribute(String name) {
      return attributes(name).stream().findFirst();
    }

    /** The payload type whose {@code a=rtpmap} names this encoding (case-insensitive, e.g. {@code opus}). */
    Optional<String> payloadTypeOf(String encodingName) {
      String wanted = encodingName.toLowerCase(Locale.ROOT) + "/";
      for (String rtpmap : attributes("rtpmap")) {
        int space = rtpmap.indexOf(' ');
        if (space > 0 && rtpmap.substring(space + 1).toLowerCase(Locale.ROOT).startsWith(wanted)
            && formats().contains(rtpmap.substring(0, space))) {
          return Optional.of(rtpmap.substring(0, space));
        }
      }
      return Optional.empty();
    }

    /** The encoding the {@code a=rtpmap} of this payload type names (e.g. {@code opus/48000/2}). */
    Optional<String> encodingOf(String payloadType) {
      return attributes("rtpmap").stream()
          .filter(v -> v.startsWith(payloadType + " "))
          .map(v -> v.substring(payloadType.length() + 1).strip())
          .findFirst();
    }

    void removeLines(Predicate<String> which) {
      lines.removeIf(which);
    }

    /** Replaces the line starting with {@code prefix}, or appends it when there is none. */
    void putLine(String prefix, String line) {
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith(prefix)) {
          lines.set(i, line);
          return;
        }
      }
      lines.add(line);
    }

    /** {@code a=rtpmap:}, {@code a=fmtp:} and {@code a=rtcp-fb:} lines of payload types other than {@code keep}. */
    static Predicate<String> codecLinesExcept(String keep) {
      return line -> {
        for (String prefix : new String[] {"a=rtpmap:", "a=fmtp:", "a=rtcp-fb:"}) {
          if (line.startsWith(prefix)) {
            String pt = line.substring(prefix.length()).split(" ", 2)[0];
            return !pt.equals(keep);
          }
        }
        return false;
      };
    }
  }
}
