package dev.wavoice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sampling profile of the real Kurento over the measured window, when asked for ({@code --perf DIR}):
 * {@link #start} attaches Linux {@code perf record -g} to Kurento's process, {@link #stop} ends it, which
 * writes {@code DIR/<label>.perf.data} (its messages in {@code DIR/<label>.perf.log}). Read it with
 * {@code perf report -i FILE --sort dso} (the shares by library) or {@code --sort dso,sym}. Needs
 * {@code perf} on the PATH and the right to attach to the process (root, or {@code perf_event_paranoid} ≤ 1).
 */
record PerfRecording(Path dir) {

  static final PerfRecording OFF = new PerfRecording(null);

  static PerfRecording from(String dir) {
    return dir == null ? OFF : new PerfRecording(Path.of(dir).toAbsolutePath());
  }

  /** Starts {@code perf record} on {@code pid}; null when off. */
  Process start(long pid, String label) {
    if (dir == null) {
      return null;
    }
    try {
      Files.createDirectories(dir);
      return new ProcessBuilder("perf", "record", "-g", "-p", Long.toString(pid), "-o", dir.resolve(label + ".perf.data").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve(label + ".perf.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the recording (perf writes its file on SIGTERM) and waits for it to be written. */
  static void stop(Process perf) throws InterruptedException {
    if (perf != null) {
      perf.destroy();
      perf.waitFor();
    }
  }
}
