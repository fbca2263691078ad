package dev.wavoice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Lowers the scheduling priority (raises the nice value) of this JVM's threads, but for those a benchmark
 * times with, so that the load it generates (the doubles, the callers) yields the cores to the app under
 * test. Linux keeps a nice value per thread, and a new thread takes its creator's: threads started later
 * by a lowered thread are lowered too, so the kept ones must all exist before (a fixed pool, started).
 * Raising the nice value needs no privilege; lowering it back would.
 */
final class LoadPriority {

  private LoadPriority() {}

  /**
   * Sets nice value {@code nice} on every thread of this JVM whose kernel name (the Java name's first 15
   * characters) {@code keep} does not accept; returns how many were lowered.
   */
  static int lowerAllBut(int nice, Predicate<String> keep) {
    List<String> command = new ArrayList<>(List.of("renice", "--priority", Integer.toString(nice), "-p"));
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String name;
        try {
          name = Files.readString(task.resolve("comm")).strip();
        } catch (IOException ended) {
          continue; // the thread ended meanwhile
        }
        if (!keep.test(name)) {
          command.add(task.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Process renice = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(renice.getInputStream().readAllBytes());
      if (renice.waitFor() != 0) {
        throw new IllegalStateException("renice failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return command.size() - 4;
  }
}
