package dev.wavoice.testkit.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * The app on Payara Micro started with no configuration at all, as a newcomer would first run it: with
 * no data directory (so no generated admin token) and no log from an earlier run.
 */
public final class UnconfiguredStack implements AutoCloseable {

  public final PayaraApp app;

  private UnconfiguredStack(PayaraApp app) {
    this.app = app;
  }

  static UnconfiguredStack start() {
    Path dir = PayaraApp.workDir("unconfigured");
    try {
      if (Files.exists(dir.resolve("data"))) {
        try (var paths = Files.walk(dir.resolve("data"))) {
          for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
            Files.delete(path);
          }
        }
      }
      Files.deleteIfExists(dir.resolve("payara.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new UnconfiguredStack(PayaraApp.start("unconfigured", Map.of()));
  }

  @Override
  public void close() {
    app.close();
  }
}
