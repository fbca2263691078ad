package dev.wavoice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Flight recordings of a benchmark's JVMs over the time that matters, when asked for
 * ({@code --profile DIR}): {@link #start} begins a recording (the JDK's {@code profile} settings) in each
 * given JVM, {@link #stop} writes them to {@code DIR/<label>-<part>.jfr}. Read them with
 * {@code jfr view hot-methods FILE} or {@code jfr print --events jdk.ExecutionSample FILE}.
 */
record FlightRecordings(Path dir) {

  static final FlightRecordings OFF = new FlightRecordings(null);
  private static final String NAME = "wavoice-bench";

  static FlightRecordings from(String dir) {
    return dir == null ? OFF : new FlightRecordings(Path.of(dir).toAbsolutePath());
  }

  boolean on() {
    return dir != null;
  }

  /** Starts a recording in each JVM ({@code part → pid}). */
  void start(Map<String, Long> jvms) {
    if (on()) {
      jvms.values().forEach(pid -> Jcmd.run(pid, "JFR.start", "name=" + NAME, "settings=profile"));
    }
  }

  /** Stops the recordings and writes each to {@code DIR/<label>-<part>.jfr}. */
  void stop(Map<String, Long> jvms, String label) {
    if (!on()) {
      return;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    jvms.forEach((part, pid) -> Jcmd.run(pid, "JFR.stop", "name=" + NAME, "filename=" + dir.resolve(label + "-" + part + ".jfr")));
  }
}
