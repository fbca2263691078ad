package dev.wavoice.testkit.kms;

import dev.wavoice.testkit.ChildProcesses;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real Kurento Media Server 7.3 (its {@code run.sh}, from system property {@code wavoice.it.kms-run},
 * env {@code WAVOICE_KMS_RUN}) started for a test run: WebSocket on 127.0.0.1 at a free port, ICE on
 * loopback only ({@code KMS_NETWORK_INTERFACES=lo}), no STUN/TURN, and a random RTP window (200 ports unless asked) in
 * 40000-49999 so two test runs on one machine do not collide. Underneath, its environment has what the deployment
 * gives Kurento ({@code kurento/kms.env}: the log levels), so tests and load runs exercise the shipped settings. Its log
 * goes to {@code target/kms/<port>/kms.log}. Shared by all test classes of a run through {@code Stacks}.
 */
public final class RealKms implements AutoCloseable {

  public static final String RUN_PROPERTY = "wavoice.it.kms-run";
  /** Kurento's environment in the compose deployment (an env file: NAME=VALUE lines, # comments). */
  static final Path SHIPPED_ENV = Path.of("kurento", "kms.env");
  private static final int WINDOW = 200;

  private final Path runScript;
  private final int port;
  private final int minPort;
  private final int window;
  private final Path dir;
  private final Map<String, String> extraEnv;
  private Process process;

  private RealKms(Path runScript, int window, Map<String, String> extraEnv) {
    this.runScript = runScript;
    this.window = window;
    this.extraEnv = Map.copyOf(extraEnv);
    this.port = Ports.freeTcpPort();
    this.minPort = 40000 + 2 * ThreadLocalRandom.current().nextInt((10000 - window) / 2 + 1);
    this.dir = Path.of("target", "kms", Integer.toString(port)).toAbsolutePath();
  }

  public static RealKms start() {
    return start(WINDOW);
  }

  /** As {@link #start()}, with a window of {@code ports} RTP/ICE ports (load runs need more than tests). */
  public static RealKms start(int ports) {
    return start(ports, Map.of());
  }

  /**
   * As {@link #start(int)}, with {@code env} added to Kurento's environment after the settings above (load runs
   * try Kurento's knobs this way, e.g. {@code GST_DEBUG}).
   */
  public static RealKms start(int ports, Map<String, String> env) {
    String run = System.getProperty(RUN_PROPERTY, "");
    if (run.isBlank() || run.startsWith("${") || !Files.isExecutable(Path.of(run))) {
      throw new IllegalStateException("the real Kurento Media Server is needed: set env WAVOICE_KMS_RUN (or -D" + RUN_PROPERTY
          + ") to the run.sh printed by the KMS install.sh (see README, .ci/run); found '" + run + "'");
    }
    RealKms kms = new RealKms(Path.of(run), ports, env);
    kms.startProcess();
    return kms;
  }

  private void startProcess() {
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder = new ProcessBuilder(runScript.toString()).redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
      var env = builder.environment();
      env.keySet().removeIf(k -> k.startsWith("KMS_") || k.startsWith("GST_"));
      env.putAll(shippedEnv(SHIPPED_ENV)); // the test's own settings below win
      env.put("KMS_LISTEN_ADDRESS", "127.0.0.1");
      env.put("KMS_PORT", Integer.toString(port));
      env.put("KMS_MIN_PORT", Integer.toString(minPort));
      env.put("KMS_MAX_PORT", Integer.toString(maxPort()));
      env.put("KMS_NETWORK_INTERFACES", "lo");
      env.put("KMS_RUNTIME_DIR", dir.resolve("runtime").toString());
      env.putAll(extraEnv);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Await.until(Duration.ofSeconds(30), "Kurento to listen on 127.0.0.1:" + port, () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kurento exited with " + process.exitValue() + "; log tail:\n" + logTail());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** The NAME=VALUE lines of an env file as Compose reads it (no quoting: the value is the rest of the line). */
  static Map<String, String> shippedEnv(Path file) throws IOException {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String entry = line.strip();
      int eq = entry.indexOf('=');
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      if (eq < 1) {
        throw new IllegalStateException(file + ": not NAME=VALUE: " + line);
      }
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return env;
  }

  public String url() {
    return "ws://127.0.0.1:" + port + "/kurento";
  }

  public int port() {
    return port;
  }

  /** Kurento's RTP/ICE port window: every port it binds is in [minPort, maxPort]. */
  public int minPort() {
    return minPort;
  }

  public int maxPort() {
    return minPort + window - 1;
  }

  /** Kurento's process id (run.sh execs the server), e.g. to profile it. */
  public long pid() {
    return process.pid();
  }

  public Path log() {
    return dir.resolve("kms.log");
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** CPU time Kurento used so far (user + system, its process and the ones it started, from the OS). */
  public long cpuNanos() {
    ProcessHandle root = process.toHandle();
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(root), root.descendants())
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
  }

  /** Kurento shuts down (SIGTERM) and stays down until {@link #startAgain()}. */
  public void stop() {
    stop(false);
  }

  /** Starts Kurento again on the same port after {@link #stop()}. */
  public void startAgain() {
    startProcess();
  }

  /** Kurento crashes (SIGKILL) and starts again on the same port: every object on it is gone. */
  public void restart() {
    stop(true);
    startProcess();
  }

  private void stop(boolean crash) {
    if (crash) {
      ChildProcesses.kill(process);
    } else {
      ChildProcesses.stop(process, Duration.ofSeconds(10));
    }
  }

  @Override
  public void close() {
    stop(false);
  }
}
