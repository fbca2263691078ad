package dev.wavoice.testkit.db;

import dev.wavoice.testkit.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small file system of its own (a tmpfs of a few megabytes) mounted on a directory, which a test fills to
 * the last byte and frees again: the disk-full fault, for real, to whatever writes there. Mounting needs
 * root: run directly as root, otherwise through {@code sudo -n} (as {@code .ci/run} installs), the tmpfs then
 * owned by the user running the tests.
 */
public final class SmallDisk implements AutoCloseable {

  private final Path dir;

  private SmallDisk(Path dir) {
    this.dir = dir;
  }

  /** Mounts a fresh tmpfs of {@code megabytes} on {@code dir} (created if needed; an earlier run's mount replaced). */
  public static SmallDisk mount(Path dir, int megabytes) {
    try {
      Files.createDirectories(dir);
      if (mounted(dir)) {
        run(List.of("umount", dir.toString()));
      }
      // owned by whoever runs the tests (the app they start writes there): the owner of the directory just made
      String owner = ",uid=" + Files.getAttribute(dir, "unix:uid") + ",gid=" + Files.getAttribute(dir, "unix:gid");
      run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0755" + owner, "wavoice-it-small-disk", dir.toString()));
      return new SmallDisk(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fills the file system until a write fails for lack of space. */
  public void fill() {
    ByteBuffer block = ByteBuffer.allocate(64 * 1024);
    try (FileChannel filler = FileChannel.open(filler(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      while (true) {
        block.clear();
        filler.write(block);
      }
    } catch (IOException full) {
      // "No space left on device": what the test wants; smaller writes take the last blocks
      fillTheRest();
    }
  }

  private void fillTheRest() {
    ByteBuffer small = ByteBuffer.allocate(512);
    try (FileChannel filler = FileChannel.open(filler(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      while (true) {
        small.clear();
        filler.write(small);
      }
    } catch (IOException full) {
      // full to the last block
    }
  }

  /** Deletes what {@link #fill()} wrote. */
  public void free() {
    try {
      Files.deleteIfExists(filler());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path filler() {
    return dir.resolve("disk-filler");
  }

  private static boolean mounted(Path dir) throws IOException {
    String target = " " + dir.toAbsolutePath().normalize() + " ";
    return Files.readAllLines(Path.of("/proc/mounts")).stream().anyMatch(l -> l.contains(target));
  }

  private static void run(List<String> asRoot) throws IOException {
    List<String> command = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("sudo", "-n"));
    }
    command.addAll(asRoot);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        String out = new String(p.getInputStream().readAllBytes());
        ChildProcesses.stop(p, Duration.ofSeconds(1));
        throw new IllegalStateException(String.join(" ", command) + " failed (mounting a tmpfs needs root): " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (mounted(dir)) {
        run(List.of("umount", "--lazy", dir.toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
