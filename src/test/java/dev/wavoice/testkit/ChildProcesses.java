package dev.wavoice.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ending the servers and tools tests start as child processes. */
public final class ChildProcesses {

  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private ChildProcesses() {}

  /** Asks the process to stop (SIGTERM) and kills it if it is still there after {@code grace}. */
  public static void stop(Process process, Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would, and waits for it to be gone. */
  public static void kill(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      process.destroyForcibly().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
