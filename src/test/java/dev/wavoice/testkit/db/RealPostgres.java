package dev.wavoice.testkit.db;

import dev.wavoice.testkit.ChildProcesses;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for a test run: a fresh cluster ({@code initdb}) in a temporary directory,
 * listening on 127.0.0.1 at a free port, trust authentication, one database {@code wavoice}. The server
 * binaries are Debian's ({@code postgresql} package; {@code .ci/run} installs it). As root, the server runs
 * as the {@code postgres} user, which PostgreSQL requires.
 */
public final class RealPostgres implements AutoCloseable {

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean root;
  private Process server;

  private RealPostgres(Path bin, Path dir, int port, boolean root) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.root = root;
  }

  public static RealPostgres start() {
    Path bin = findBin();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("wavoice-pg-");
      RealPostgres pg = new RealPostgres(bin, dir, Ports.freeTcpPort(), root);
      pg.boot();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/wavoice";
  }

  public String user() {
    return "wavoice";
  }

  private void boot() throws IOException {
    if (root) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", "wavoice", "--auth=trust",
        "--encoding=UTF8", "--no-sync"), true);
    launch();
    run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "wavoice",
        "wavoice"), true);
  }

  private Path data() {
    return dir.resolve("data");
  }

  /** Starts the server on the existing cluster and waits until it takes sessions. */
  private void launch() throws IOException {
    List<String> command = asServerUser(List.of(bin.resolve("postgres").toString(), "-D", data().toString(),
        "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
        "-c", "fsync=off"));
    server = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile())).start();
    // the port accepts before the server takes sessions ("the database system is starting up"): ask it
    Await.until(Duration.ofSeconds(60), "PostgreSQL on port " + port + " accepting sessions", () -> {
      if (!server.isAlive()) {
        throw new IllegalStateException("PostgreSQL exited: see " + dir.resolve("postgres.log"));
      }
      return accepting();
    });
  }

  /**
   * Stops the server as a crash would: {@code pg_ctl stop -m immediate} (every session cut, no checkpoint;
   * the next start recovers from the log).
   */
  public void stopImmediately() {
    try {
      run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data().toString(), "-m", "immediate", "-w"), true);
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("PostgreSQL did not stop: see " + dir.resolve("postgres.log"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts the server again on the same data, after {@link #stopImmediately()}. */
  public void startAgain() {
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new JDBC session with the database, as the app's user. */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(jdbcUrl(), user(), "");
  }

  private boolean accepting() {
    try {
      Process ready = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p",
          Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return ready.waitFor(10, TimeUnit.SECONDS) && ready.exitValue() == 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<String> asServerUser(List<String> command) {
    if (!root) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private void run(List<String> command, boolean asServer) throws IOException {
    Process p = new ProcessBuilder(asServer ? asServerUser(command) : command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("setup.log").toFile())).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(command.get(0) + " failed: see " + dir.resolve("setup.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path findBin() {
    Path base = Path.of("/usr/lib/postgresql");
    try (Stream<Path> versions = Files.exists(base) ? Files.list(base) : Stream.empty()) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Path::compareTo)
          .orElseThrow(() -> new IllegalStateException(
              "no PostgreSQL server found: install Debian's postgresql package (.ci/run does)"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(server, Duration.ofSeconds(20));
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; nothing else depends on it
    }
  }
}
