package dev.wavoice.testkit.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The WAR integration tests deploy: the production {@code wavoice.war} as built, plus the test probe
 * classes ({@code dev.wavoice.testprobe}), which record what the app dispatched and let tests read it
 * over HTTP. The production WAR itself never contains the probe.
 */
final class ItWar {

  private static final String PROBE_PACKAGE = "dev/wavoice/testprobe";

  private ItWar() {}

  static synchronized Path build() {
    Path war = Path.of(System.getProperty("wavoice.it.war", "target/wavoice.war"));
    Path out = Path.of(System.getProperty("wavoice.it.work-dir", "target/it")).resolve("wavoice-it.war");
    Path probeClasses = Path.of("target/test-classes").resolve(PROBE_PACKAGE);
    try {
      if (!Files.isRegularFile(war)) {
        throw new IllegalStateException("no WAR at " + war.toAbsolutePath() + ": run the tests with `mvn verify`");
      }
      if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(war)) > 0) {
        return out;
      }
      Files.createDirectories(out.getParent());
      Files.copy(war, out, StandardCopyOption.REPLACE_EXISTING);
      try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + out.toUri()), Map.of())) {
        Path target = zip.getPath("WEB-INF/classes").resolve(PROBE_PACKAGE);
        try (Stream<Path> files = Files.walk(probeClasses)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            Path dest = target.resolve(probeClasses.relativize(file).toString());
            if (Files.isDirectory(file)) {
              Files.createDirectories(dest);
            } else {
              Files.copy(file, dest, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
