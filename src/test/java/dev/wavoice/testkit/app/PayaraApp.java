package dev.wavoice.testkit.app;

import dev.wavoice.testkit.ChildProcesses;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * wavoice for real: the WAR (plus the test probe) deployed on Payara Micro, started as a child process
 * with the configuration given as {@code WAVOICE_*} environment variables, at context root {@code /} on
 * a free port. Its log goes to {@code target/it/<name>/payara.log}. Starting costs ~13 s, so a
 * configuration is started once and shared by the test classes that use it.
 */
public final class PayaraApp implements AutoCloseable {

  private static final Duration START_DEADLINE = Duration.ofSeconds(180);
  private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");

  private final String name;
  private final Map<String, String> env;
  private final List<String> jvmOptions;
  /** Payara Micro's clustering arguments: {@code --nocluster} unless the app is one member of a grid. */
  private final List<String> clusterArgs;
  private final Path dir;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;

  private PayaraApp(String name, Map<String, String> env, List<String> jvmOptions, List<String> clusterArgs) {
    this.name = name;
    this.env = new LinkedHashMap<>(env);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.clusterArgs = List.copyOf(clusterArgs);
    this.dir = workDir(name);
    this.port = Ports.freeTcpPort();
  }

  /** The working directory of the app named {@code name} (its log, runtime and data live there). */
  public static Path workDir(String name) {
    return Path.of(System.getProperty("wavoice.it.work-dir", "target/it")).resolve(name);
  }

  /** Starts the app with this configuration and waits until it is live (readiness may still be DOWN). */
  public static PayaraApp start(String name, Map<String, String> env) {
    return start(name, env, DEFAULT_JVM_OPTIONS);
  }

  /** As {@link #start(String, Map)}, with these options for the app's JVM instead of the tests' small serial-GC heap. */
  public static PayaraApp start(String name, Map<String, String> env, List<String> jvmOptions) {
    PayaraApp app = new PayaraApp(name, env, jvmOptions, List.of("--nocluster"));
    app.startProcess();
    return app;
  }

  /**
   * As {@link #start(String, Map)}, with asadmin commands Payara Micro runs before it boots
   * ({@code --prebootcommandfile}), e.g. a thread pool's size.
   */
  public static PayaraApp startWithPreboot(String name, Map<String, String> env, List<String> prebootCommands) {
    Path commands = workDir(name).resolve("preboot.asadmin");
    try {
      Files.createDirectories(commands.getParent());
      Files.write(commands, prebootCommands);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PayaraApp app = new PayaraApp(name, env, DEFAULT_JVM_OPTIONS,
        List.of("--nocluster", "--prebootcommandfile", commands.toAbsolutePath().toString()));
    app.startProcess();
    return app;
  }

  /**
   * As {@link #start(String, Map)}, as one member of Payara Micro's data grid: {@code clusterArgs} replace
   * {@code --nocluster} ({@code --clustername}, {@code --clustermode}, {@code --startport}, ...).
   */
  public static PayaraApp startMember(String name, Map<String, String> env, List<String> clusterArgs) {
    PayaraApp app = new PayaraApp(name, env, DEFAULT_JVM_OPTIONS, clusterArgs);
    app.startProcess();
    return app;
  }

  private void startProcess() {
    Path war = ItWar.build();

    String java = System.getProperty("wavoice.it.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String payara = System.getProperty("wavoice.it.payara-jar", "target/payara/payara-micro.jar");
    try {
      Files.createDirectories(dir);
      // a runtime directory left by an earlier run still holds that run's deployment: start clean
      deleteTree(dir.resolve("runtime"));
      List<String> command = new ArrayList<>(List.of(java));
      command.addAll(jvmOptions);
      command.addAll(List.of(
          "-jar", Path.of(payara).toAbsolutePath().toString(),
          "--deploy", war.toAbsolutePath().toString(),
          "--contextroot", "/",
          "--port", Integer.toString(port),
          "--rootdir", dir.resolve("runtime").toAbsolutePath().toString()));
      command.addAll(clusterArgs);
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
      builder.environment().keySet().removeIf(k -> k.startsWith("WAVOICE_"));
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Await.until(START_DEADLINE, "Payara Micro '" + name + "' to serve /health/live", () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("Payara Micro exited with " + process.exitValue() + "; log tail:\n" + logTail());
      }
      return get("/health/live").statusCode() == 200;
    });
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }

  /** Stops and starts the same configuration again (same working directory, so the same data directory). */
  public void restart() {
    stop();
    startProcess();
  }

  /** Kills the app's JVM at once (SIGKILL), as a crash would: no shutdown, no end path, nothing flushed. */
  public void kill() {
    ChildProcesses.kill(process);
  }

  /** Starts the same configuration again after {@link #kill()}: same port, working directory and data. */
  public void startAgain() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("Payara Micro '" + name + "' is still running");
    }
    startProcess();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The process id of the app's JVM (its CPU time, threads and open files are read from the OS). */
  public long pid() {
    return process.pid();
  }

  public Path dir() {
    return dir;
  }

  public Path log() {
    return dir.resolve("payara.log");
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(15)).GET().build());
  }

  /** Sends a request to the app; one without a timeout gets 30 s, so a stuck server fails the test instead of hanging it. */
  /** As {@link #send}, the body as bytes (audio). */
  public HttpResponse<byte[]> sendForBytes(HttpRequest request) {
    try {
      return http.send(HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> send(HttpRequest request) {
    HttpRequest bounded = request.timeout().isPresent()
        ? request
        : HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(30)).build();
    try {
      return http.send(bounded, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a thread dump of the app into its directory ({@code threads-<label>.txt}), for a failed test
   * to show what the server was doing.
   */
  public void dumpThreads(String label) {
    if (process == null || !process.isAlive()) {
      return;
    }
    Path jcmd = Path.of(System.getProperty("wavoice.it.java", "java")).resolveSibling("jcmd");
    Path out = dir.resolve("threads-" + label.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt");
    try {
      Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      dump.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // diagnostics only
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void stop() {
    ChildProcesses.stop(process, Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    stop();
  }
}
