package dev.wavoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every arrow between the parts points down the data path: a part uses only the parts below it. The
 * data path, from the bottom: the root package; {@code whatsapp}; {@code audio} and {@code media} above
 * it; {@code realtime} (which knows nothing of Meta, RTP or calls); {@code bridge} (audio and realtime
 * joined, with the WhatsApp-backed tools); {@code call}; {@code cluster} (calls shared between instances);
 * {@code doctor}; {@code ops}; {@code softphone}.
 * Read from the sources' imports and qualified names, so a new upward reference fails the build.
 */
class LayeringTest {

  private static final Path SOURCES = Path.of("src", "main", "java", "dev", "wavoice");

  /** The parts each part may use (besides itself). */
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("", Set.<String>of()),
          Map.entry("whatsapp", Set.of("")),
          Map.entry("audio", Set.of("")),
          Map.entry("media", Set.of("", "audio")),
          Map.entry("realtime", Set.of("")),
          Map.entry("bridge", Set.of("", "audio", "realtime", "whatsapp")),
          Map.entry("call", Set.of("", "whatsapp", "audio", "media", "realtime", "bridge")),
          Map.entry("cluster", Set.of("", "whatsapp", "audio", "media", "realtime", "bridge", "call")),
          Map.entry("doctor", Set.of("", "whatsapp", "audio", "media", "realtime", "bridge", "call", "cluster")),
          Map.entry("ops", Set.of("", "whatsapp", "audio", "media", "realtime", "bridge", "call", "cluster", "doctor")),
          Map.entry("softphone", Set.of("", "whatsapp", "audio", "media", "realtime", "bridge", "call", "cluster", "doctor", "ops")));

  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.wavoice\\.((?:[a-z]\\w*\\.)?)([A-Z]\\w*)");
  private static final Pattern PACKAGE = Pattern.compile("^package dev\\.wavoice((?:\\.[a-z]\\w*)?);", Pattern.MULTILINE);
  private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern LINE_COMMENT = Pattern.compile("^\\s*//.*$", Pattern.MULTILINE);

  @Test
  void everyPartUsesOnlyThePartsBelowIt() {
    assertThat(upwardReferences()).as("upward references (a part using one above it on the data path)").isEmpty();
  }

  @Test
  void everyPartIsPlacedOnTheDataPath() {
    Set<String> unplaced = new TreeSet<>();
    for (Path source : sources()) {
      String part = part(read(source));
      if (!ALLOWED.containsKey(part)) {
        unplaced.add(part);
      }
    }
    assertThat(unplaced).as("packages the layering does not know").isEmpty();
  }

  @Test
  void anUpwardImportIsFound() {
    String source = "package dev.wavoice.realtime;\n\nimport dev.wavoice.whatsapp.GraphApi;\n/* dev.wavoice.call.CallId */\n";
    assertThat(upwardReferences("Probe", source)).containsExactly("dev.wavoice.realtime.Probe -> dev.wavoice.whatsapp.GraphApi");
  }

  private static Set<String> upwardReferences() {
    Set<String> upward = new TreeSet<>();
    for (Path source : sources()) {
      String name = source.getFileName().toString().replace(".java", "");
      upward.addAll(upwardReferences(name, read(source)));
    }
    return upward;
  }

  private static Set<String> upwardReferences(String className, String source) {
    String part = part(source);
    String code = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(source).replaceAll("")).replaceAll("");
    code = PACKAGE.matcher(code).replaceAll("");
    Set<String> upward = new TreeSet<>();
    Matcher reference = REFERENCE.matcher(code);
    while (reference.find()) {
      String used = reference.group(1).isEmpty() ? "" : reference.group(1).substring(0, reference.group(1).length() - 1);
      if (!used.equals(part) && !ALLOWED.getOrDefault(part, Set.of()).contains(used)) {
        upward.add(qualified(part, className) + " -> " + qualified(used, reference.group(2)));
      }
    }
    return upward;
  }

  private static String part(String source) {
    Matcher declared = PACKAGE.matcher(source);
    return declared.find() ? declared.group(1).replaceFirst("^\\.", "") : "";
  }

  private static String qualified(String part, String simpleName) {
    return part.isEmpty() ? "dev.wavoice." + simpleName : "dev.wavoice." + part + "." + simpleName;
  }

  private static List<Path> sources() {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path source) {
    try {
      return Files.readString(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
