package dev.wavoice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The files a test exchanges with a WebRTC peer process (the caller, the WhatsApp peer): each run gets a
 * folder of its own, SDP goes in by atomic rename (the peer polls the file) and comes out when the peer
 * has written it.
 */
public final class PeerFiles {

  private PeerFiles() {}

  /** A new, empty folder for one run under {@code parent} (relative to the build's folder). */
  public static Path newRunDir(Path parent) {
    Path dir = parent.resolve(UUID.randomUUID().toString()).toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} so that a reader polling {@code file} never sees it half written. */
  public static void write(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for {@code process} ({@code who}) to write {@code file}; fails at once if it exits without. */
  public static String await(Path file, Process process, String who, Duration deadline, Supplier<String> log) {
    return Await.value(deadline, who + "'s " + file.getFileName(), () -> {
      if (!process.isAlive() && !Files.exists(file)) {
        throw new IllegalStateException(who + " exited with " + process.exitValue() + ": " + log.get());
      }
      try {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
      } catch (IOException e) {
        return null;
      }
    });
  }
}
