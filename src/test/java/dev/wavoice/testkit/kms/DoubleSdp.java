package dev.wavoice.testkit.kms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The double's own small SDP reader (kept apart from wavoice's SDP code, so it checks it independently). */
final class DoubleSdp {

  private static final Pattern LINE = Pattern.compile("^[a-z]=.*");

  final List<String> session = new ArrayList<>();
  final List<Section> media = new ArrayList<>();

  static final class Section {
    final String kind;
    final int port;
    final String proto;
    final List<String> formats;
    final List<String> lines = new ArrayList<>();

    Section(String mLine) {
      String[] f = mLine.substring(2).split(" +");
      if (f.length < 4) {
        throw KmsError.sdpParse();
      }
      kind = f[0];
      try {
        port = Integer.parseInt(f[1].split("/")[0]);
      } catch (NumberFormatException e) {
        throw KmsError.sdpParse();
      }
      proto = f[2];
      formats = List.of(f).subList(3, f.length);
    }

    List<String> attrs(String name) {
      String prefix = "a=" + name + ":";
      return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    Optional<String> attr(String name) {
      return attrs(name).stream().findFirst();
    }

    boolean flag(String name) {
      return lines.contains("a=" + name);
    }

    /** The encoding name/rate of a payload type from its rtpmap, or the static assignment (0 PCMU, 8 PCMA). */
    Optional<String> encoding(String pt) {
      Optional<String> mapped = attrs("rtpmap").stream().filter(v -> v.startsWith(pt + " "))
          .map(v -> v.substring(pt.length() + 1).strip()).findFirst();
      if (mapped.isPresent()) {
        return mapped;
      }
      return switch (pt) {
        case "0" -> Optional.of("PCMU/8000");
        case "8" -> Optional.of("PCMA/8000");
        default -> Optional.empty();
      };
    }

    Optional<String> ptOf(String encodingPrefix) {
      String wanted = encodingPrefix.toLowerCase(Locale.ROOT);
      return formats.stream().filter(pt -> encoding(pt).map(e -> e.toLowerCase(Locale.ROOT).startsWith(wanted)).orElse(false)).findFirst();
    }

    Optional<String> connection() {
      return lines.stream().filter(l -> l.startsWith("c=")).findFirst();
    }
  }

  /** Parses like KMS does for our purposes: anything that is not {@code v=0} followed by type=value lines is SDP_PARSE_ERROR. */
  static DoubleSdp parse(String text) {
    if (text == null) {
      throw KmsError.sdpParse();
    }
    DoubleSdp sdp = new DoubleSdp();
    Section current = null;
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (!LINE.matcher(line).matches()) {
        throw KmsError.sdpParse();
      }
      if (line.startsWith("m=")) {
        current = new Section(line);
        sdp.media.add(current);
      } else if (current == null) {
        sdp.session.add(line);
      } else {
        current.lines.add(line);
      }
    }
    if (sdp.session.isEmpty() || !sdp.session.get(0).equals("v=0")) {
      throw KmsError.sdpParse();
    }
    return sdp;
  }

  boolean sessionFlag(String name) {
    return session.contains("a=" + name);
  }

  Optional<String> sessionConnection() {
    return session.stream().filter(l -> l.startsWith("c=")).findFirst();
  }

  /** The connection address of a section (its own c= line, else the session's). */
  Optional<String> address(Section section) {
    return section.connection().or(this::sessionConnection).map(c -> c.split(" +")[2]);
  }
}
