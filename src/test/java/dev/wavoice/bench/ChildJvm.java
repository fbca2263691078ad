package dev.wavoice.bench;

import dev.wavoice.testkit.ChildProcesses;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM that a benchmark starts beside itself with its own classpath, so that its CPU is not counted as
 * the measured code's. It talks over its standard input and output (one line per command and answer)
 * and exits when its input closes.
 */
final class ChildJvm implements AutoCloseable {

  /** The OpenAI Realtime double ({@code OpenAiRealtimeDoubleMain}) in a child JVM, and its URLs. */
  record OpenAiDouble(ChildJvm jvm, String wsUrl, String controlUrl, String apiUrl) {

    /** Every session so far, as the double's control interface lists them ({@code GET /sessions}, a JSON array). */
    JsonArray sessions() {
      String body = control(HttpRequest.newBuilder(URI.create(controlUrl + "/sessions")).GET(), 200, "did not list its sessions");
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.readArray();
      }
    }

    /** What OpenAI would have refused so far ({@code GET /violations}, a JSON array). */
    JsonArray violations() {
      String body = control(HttpRequest.newBuilder(URI.create(controlUrl + "/violations")).GET(), 200, "did not list its violations");
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.readArray();
      }
    }

    /** Session options for every session from now on (the double's control interface, {@code POST /every-session}). */
    void everySession(String json) {
      control(HttpRequest.newBuilder(URI.create(controlUrl + "/every-session")).POST(HttpRequest.BodyPublishers.ofString(json)),
          204, "refused the session options");
    }

    /** One request to the control interface; its body, or a failure naming {@code what} went wrong. */
    private static String control(HttpRequest.Builder request, int expectedStatus, String what) {
      try {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
          throw new IllegalStateException("the OpenAI double " + what + ": " + response.body());
        }
        return response.body();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;

  private ChildJvm(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** Starts {@code mainClass} in a JVM of this JDK with this process's classpath; its error output is discarded. */
  static ChildJvm start(List<String> jvmOptions, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    try {
      return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the OpenAI double on free ports, lean (it keeps no appended audio), and reads its URLs. */
  static OpenAiDouble openAiDouble(String apiKey) {
    ChildJvm jvm = start(List.of("-Xmx1g"), "dev.wavoice.testkit.openai.OpenAiRealtimeDoubleMain",
        "--port", "0", "--control-port", "0", "--api-key", apiKey, "--lean");
    String[] announced = jvm.awaitLine("openai-double ").split(" ");
    return new OpenAiDouble(jvm, announced[1].substring("ws=".length()), announced[2].substring("control=".length()),
        announced[3].substring("api=".length()));
  }

  /** Reads output lines until one starts with {@code prefix} (skipping e.g. the JVM's own notices) and returns it. */
  String awaitLine(String prefix) {
    try {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("the child JVM ended before printing '" + prefix + "...' (exit "
        + (process.isAlive() ? "?" : process.exitValue()) + ")");
  }

  /** Sends one command line and returns the answer line that starts with {@code answerPrefix}. */
  synchronized String ask(String command, String answerPrefix) {
    in.println(command);
    return awaitLine(answerPrefix);
  }

  void send(String line) {
    in.println(line);
  }

  long pid() {
    return process.pid();
  }

  /** CPU time the child used so far (user + system, from the OS). */
  long cpuNanos() {
    return cpuNanos(process);
  }

  static long cpuNanos(Process process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  @Override
  public void close() {
    in.close(); // the child exits when its input closes
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        ChildProcesses.kill(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ChildProcesses.kill(process);
    }
  }
}
