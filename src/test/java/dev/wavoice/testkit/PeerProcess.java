package dev.wavoice.testkit;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A WebRTC peer the tests run as a process (the caller, the WhatsApp peer): it works in a folder of its
 * own, takes and gives SDP through files there ({@code offer.sdp}, {@code answer.sdp}: ours go in by
 * atomic rename, as it polls them), logs to a file and prints one JSON report line when it ends.
 */
public abstract class PeerProcess implements AutoCloseable {

  protected final Path dir;
  protected final Process process;
  private final String who;
  private final String logFile;

  protected PeerProcess(Path dir, Process process, String who, String logFile) {
    this.dir = dir;
    this.process = process;
    this.who = who;
    this.logFile = logFile;
  }

  /** A new, empty folder for one run under {@code parent} (relative to the build's folder). */
  protected static Path newRunDir(Path parent) {
    Path dir = parent.resolve(UUID.randomUUID().toString()).toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} so that the peer, polling {@code file}, never sees it half written. */
  protected static void write(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String awaitOffer() {
    return awaitFile("offer.sdp", Duration.ofSeconds(20));
  }

  public String awaitAnswer() {
    return awaitFile("answer.sdp", Duration.ofSeconds(20));
  }

  /** Hands the peer the answer to its offer. */
  public void answer(String sdp) {
    write(dir.resolve("answer.sdp"), sdp);
  }

  public String log() {
    try {
      return Files.readString(dir.resolve(logFile), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log of " + who + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(10));
  }

  /** Waits for the peer to end and returns its report: the last line it printed to {@code report.json}. */
  protected JsonObject awaitReportLine(Duration deadline) {
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(who + " did not finish within " + deadline + ": " + log());
      }
      String out = Files.readString(dir.resolve("report.json"), StandardCharsets.UTF_8).strip();
      return Fixtures.parse(out.lines().reduce((a, b) -> b).orElseThrow(() -> new AssertionError(who + " printed no report: " + log())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String awaitFile(String name, Duration deadline) {
    Path file = dir.resolve(name);
    return Await.value(deadline, who + "'s " + name, () -> {
      if (!process.isAlive() && !Files.exists(file)) {
        throw new IllegalStateException(who + " exited with " + process.exitValue() + ": " + log());
      }
      try {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
      } catch (IOException e) {
        return null;
      }
    });
  }
}
