package dev.wavoice.bench;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.PortRange;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.PayaraApp;
import dev.wavoice.testkit.kms.CallerSpeech;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole stack for load runs, each part in a process of its own so the app's CPU can be counted
 * alone: the real WAR on Payara Micro (child JVM), the KMS double ({@code KmsDoubleMain}: callers connect
 * at once and talk in turns, wavoice's RTP is timed at arrival) and the OpenAI double
 * ({@code OpenAiRealtimeDoubleMain}: server VAD, every response {@code answerTurnJson}) in child JVMs;
 * the WhatsApp Cloud API double and the webhook sender in this process. The agent greets each caller,
 * so every call begins with bot audio. Against the real Kurento ({@link LoadKms.Real}) the callers are
 * real WebRTC peers that the benchmark starts itself.
 */
final class LoadStack implements AutoCloseable {

  static final String GREETING = "Hello, this is the load test agent.";
  static final java.time.Duration READY_DEADLINE = java.time.Duration.ofSeconds(60);

  final AudioCodec codec;
  final ChildJvm.OpenAiDouble openai;
  final LoadKms kms;
  final WhatsAppCloudDouble whatsapp;
  final PayaraApp app;
  final WebhookSender webhooks;
  final AdminClient admin;

  private LoadStack(AudioCodec codec, ChildJvm.OpenAiDouble openai, LoadKms kms, WhatsAppCloudDouble whatsapp, PayaraApp app) {
    this.codec = codec;
    this.openai = openai;
    this.kms = kms;
    this.whatsapp = whatsapp;
    this.app = app;
    this.webhooks = whatsapp.webhooks(app.uri("/webhook"), DoublesStack.APP_SECRET);
    this.admin = new AdminClient(app, DoublesStack.ADMIN_TOKEN);
  }

  /**
   * Starts everything; {@code name} names the app's working directory ({@code target/it/<name>}, log and
   * database), {@code maxCalls} bounds the concurrent calls, {@code appJvmOptions} are the app JVM's options.
   */
  static LoadStack start(String name, AudioCodec codec, CallerSpeech speech, String answerTurnJson, int maxCalls,
      List<String> appJvmOptions) {
    return start(name, codec, () -> kmsDouble(speech, maxCalls), answerTurnJson, maxCalls, appJvmOptions);
  }

  /** As above with the media server {@code kms} starts (the double or the real Kurento). */
  static LoadStack start(String name, AudioCodec codec, java.util.function.Supplier<LoadKms> kmsStarter, String answerTurnJson,
      int maxCalls, List<String> appJvmOptions) {
    return start(name, codec, kmsStarter, answerTurnJson, maxCalls, appJvmOptions, Map.of());
  }

  /** As above, {@code appEnv} added to the app's environment last (a setting tried in a run, e.g. its append batch). */
  static LoadStack start(String name, AudioCodec codec, java.util.function.Supplier<LoadKms> kmsStarter, String answerTurnJson,
      int maxCalls, List<String> appJvmOptions, Map<String, String> appEnv) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      ChildJvm.OpenAiDouble openai = ChildJvm.openAiDouble(DoublesStack.OPENAI_API_KEY);
      started.add(openai.jvm());
      openai.everySession("{\"auto_vad\":true,\"record_audio_text\":false,\"record_input_audio\":false,\"default_turn\":"
          + answerTurnJson + "}");
      LoadKms kms = kmsStarter.get();
      started.add(kms);
      WhatsAppCloudDouble whatsapp = DoublesStack.startWhatsApp();
      started.add(whatsapp);

      // apart from the double's range: its ports are free now only because it binds them call by call
      PortRange appPorts = PacerBenchmark.freeRange(maxCalls + 20, kms instanceof LoadKms.Double d ? d.ports() : null);
      Map<String, String> env = DoublesStack.appEnv(whatsapp, openai.wsUrl(), openai.apiUrl(), kms.url(),
          PayaraApp.workDir(name).resolve("data"));
      env.put("WAVOICE_MEDIA_CODEC", codec.name().toLowerCase());
      env.put("WAVOICE_MEDIA_RTP_PORT_RANGE", appPorts.first() + "-" + appPorts.last());
      env.put("WAVOICE_CALLS_MAX_ACTIVE", Integer.toString(maxCalls));
      env.put("WAVOICE_AGENT_GREETING", GREETING);
      env.putAll(appEnv);
      deleteTree(PayaraApp.workDir(name).resolve("data")); // each run counts its own records
      PayaraApp app = PayaraApp.start(name, env, appJvmOptions);
      started.add(app);
      // live is not enough: calls before the app reached Kurento would be refused (KMS_UNAVAILABLE)
      Await.until(READY_DEADLINE, "the app to be ready (Kurento and OpenAI reachable)", () -> app.get("/health/ready").statusCode() == 200);
      LoadStack stack = new LoadStack(codec, openai, kms, whatsapp, app);
      // the doctor's first examination starts threads for the app's lifetime (its HTTP clients, the JDK's
      // timeout scheduler): now, before any baseline, not whenever its start-up run comes
      int doctor = stack.admin.get("/api/doctor").statusCode();
      if (doctor != 200) {
        throw new IllegalStateException("the doctor answered " + doctor);
      }
      // the first jcmd starts the JVM's attach listener (a thread and a socket): before any baseline is taken
      stack.jcmd("VM.version");
      return stack;
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /** The KMS double: its callers connect at once and talk by {@code speech}; ports for {@code maxCalls}. */
  static LoadKms kmsDouble(CallerSpeech speech, int maxCalls) {
    PortRange kmsPorts = PacerBenchmark.freeRange(maxCalls + 20);
    ChildJvm kms = ChildJvm.start(List.of("-Xmx1g"), "dev.wavoice.testkit.kms.KmsDoubleMain", "--port", "0",
        "--ports", kmsPorts.first() + "-" + kmsPorts.last(), "--auto-connect", "--caller-tone", "440",
        "--caller-speech", speech.talkMs() + "/" + String.join(",", speech.pausesMs().stream().map(String::valueOf).toList()),
        "--lean", "--control-stdin");
    try {
      return new LoadKms.Double(kms, kms.awaitLine("KMS double listening on ").substring("KMS double listening on ".length()), kmsPorts);
    } catch (RuntimeException e) {
      kms.close();
      throw e;
    }
  }

  /** The KMS double's control channel (only a run against the double has one). */
  private ChildJvm kmsDouble() {
    if (kms instanceof LoadKms.Double(ChildJvm jvm, String url, PortRange ports)) {
      return jvm;
    }
    throw new IllegalStateException("this run's media server is the real Kurento: it has no double's figures");
  }

  /** The KMS double's figures ({@code BotAudioArrivals}) and its live pipelines. */
  Map<String, Long> kmsStats() {
    return values(kmsDouble().ask("STATS", "STATS "));
  }

  void kmsReset() {
    kmsDouble().ask("RESET", "RESET");
  }

  /** Each call's first audible bot frame at the KMS double since the last ask (monotonic nanoseconds of this machine). */
  Map<String, Long> firstBotAudio() {
    return values(kmsDouble().ask("FIRST-AUDIO", "FIRST-AUDIO"));
  }

  /** What the KMS double would have refused so far (requests that broke Kurento's JSON-RPC protocol). */
  List<String> kmsViolations() {
    String[] answer = kmsDouble().ask("VIOLATIONS", "VIOLATIONS ").split("\t");
    return java.util.Arrays.asList(answer).subList(1, answer.length);
  }

  /** CPU time of the app's JVM so far (user + system, from the OS). */
  long appCpuNanos() {
    return ProcessHandle.of(app.pid()).flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(0L);
  }

  /** Threads of the app's JVM (every OS thread, from {@code /proc/<pid>/status}). */
  long appThreads() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(app.pid()), "status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring("Threads:".length()).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no thread count for the app's process");
  }

  /** The names of the app JVM's Java threads ({@code jcmd Thread.print}), to show which ones a leak check found. */
  List<String> appThreadNames() {
    return jcmd("Thread.print").lines().filter(l -> l.startsWith("\"")).map(l -> l.substring(1, l.indexOf('"', 1))).sorted().toList();
  }

  /** Runs a diagnostic command in the app's JVM and returns its output. */
  String jcmd(String command) {
    return Jcmd.run(app.pid(), command);
  }

  /** The JVMs of the stack by part ({@code app}, {@code kms-double}, {@code openai-double}) and their process ids. */
  Map<String, Long> jvms() {
    Map<String, Long> jvms = new LinkedHashMap<>();
    jvms.put("app", app.pid());
    jvms.putAll(kms.jvms());
    jvms.put("openai-double", openai.jvm().pid());
    return jvms;
  }

  /**
   * Open TCP and UDP sockets of the app's JVM (file descriptors that are sockets, from
   * {@code /proc/<pid>/fd}), but not the HTTP connections between the app and Meta (its HTTP port, the Graph double's port)
   * or OpenAI's REST API (the doctor's model check, which runs at start-up, at times after the warm-up): those are
   * kept alive by HTTP clients' pools for any call and come and go.
   */
  long appSockets() {
    return appSocketList().size();
  }

  /** The sockets {@link #appSockets()} counts, each as {@code protocol localPort→remotePort (part)} (for a failure message). */
  List<String> appSocketList() {
    Map<String, String> known = socketTable();
    java.util.Set<Integer> pooled = java.util.Set.of(app.uri("/").getPort(), java.net.URI.create(whatsapp.baseUrl()).getPort(),
        java.net.URI.create(openai.apiUrl()).getPort());
    Map<Integer, String> peers = peers();
    List<String> sockets = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(app.pid()), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        String link;
        try {
          link = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (!link.startsWith("socket:[")) {
          continue;
        }
        String described = known.get(link.substring(8, link.length() - 1));
        if (described == null) {
          continue; // not TCP or UDP: Unix sockets (e.g. the JVM's attach listener) carry no call
        }
        String[] ports = described.substring(described.indexOf(' ') + 1).split("→");
        if (pooled.contains(Integer.parseInt(ports[0])) || pooled.contains(Integer.parseInt(ports[1]))) {
          continue;
        }
        String peer = peers.get(Integer.parseInt(ports[1]));
        sockets.add(peer == null ? described : described + " (" + peer + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sockets.stream().sorted().toList();
  }

  /** The stack's listening ports by part, to name a socket's far end. */
  private Map<Integer, String> peers() {
    Map<Integer, String> peers = new java.util.HashMap<>();
    peers.put(java.net.URI.create(kms.url()).getPort(), "Kurento");
    peers.put(java.net.URI.create(openai.wsUrl()).getPort(), "OpenAI Realtime");
    peers.put(java.net.URI.create(openai.controlUrl()).getPort(), "OpenAI double's control");
    return peers;
  }

  /** inode → {@code protocol localPort→remotePort}, from the app's {@code /proc/<pid>/net/{tcp,tcp6,udp,udp6}}. */
  private Map<String, String> socketTable() {
    Map<String, String> table = new java.util.HashMap<>();
    for (String protocol : List.of("tcp", "tcp6", "udp", "udp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of("/proc", Long.toString(app.pid()), "net", protocol));
      } catch (IOException noSuchTable) {
        continue;
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] columns = line.strip().split("\\s+"); // local_address is column 1, rem_address 2, inode 9
        if (columns.length > 9) {
          table.put(columns[9], protocol + " " + port(columns[1]) + "→" + port(columns[2]));
        }
      }
    }
    return table;
  }

  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
  }

  /** Heap used by the app right after a full collection ({@code jcmd GC.run}, then the app's {@code /metrics}), bytes. */
  long appHeapAfterGc() {
    jcmd("GC.run");
    for (String line : app.get("/metrics").body().split("\n")) {
      if (line.startsWith("memory_usedHeap_bytes")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException("no memory_usedHeap_bytes in the app's /metrics");
  }

  /**
   * A histogram's quantile from a {@code /metrics} body of the app, in microseconds (the unit it is recorded in); -1
   * when it has no such line yet. Payara names the summary {@code _seconds} but writes its quantiles (and
   * {@code _sum}) in the recorded unit, and only {@code _mean} and {@code _max} in seconds; the quantiles
   * come from a sample weighted to the last few minutes.
   */
  static long quantileMicros(String metrics, String histogram, String quantile) {
    String prefix = histogram + "{mp_scope=\"application\",quantile=\"" + quantile + "\"} ";
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix)) {
        return Math.round(Double.parseDouble(line.substring(prefix.length()).strip()));
      }
    }
    return -1;
  }

  /**
   * The bridge's latency each way and its barge-in flush from the app's histograms, as three table cells:
   * caller → OpenAI p50 / p99 (µs) | OpenAI → first frame on RTP p50 / p99 (ms) | speech_started → bot
   * audio flushed p50 / p99 (µs).
   */
  String bridgeLatencies() {
    String m = app.get("/metrics").body();
    return quantileMicros(m, "wavoice_bridge_caller_delay_seconds", "0.5") + " / "
        + quantileMicros(m, "wavoice_bridge_caller_delay_seconds", "0.99") + " | "
        + String.format("%.1f / %.1f", quantileMicros(m, "wavoice_bridge_bot_delay_seconds", "0.5") / 1000.0,
            quantileMicros(m, "wavoice_bridge_bot_delay_seconds", "0.99") / 1000.0) + " | "
        + quantileMicros(m, "wavoice_bridge_barge_in_flush_seconds", "0.5") + " / "
        + quantileMicros(m, "wavoice_bridge_barge_in_flush_seconds", "0.99");
  }

  /** The app's counters now ({@code wavoice_*_total} of its {@code /metrics}, tags summed), by name without the suffix. */
  Map<String, Double> appCounters() {
    Map<String, Double> counters = new java.util.TreeMap<>();
    for (String line : app.get("/metrics").body().split("\n")) {
      int brace = line.indexOf('{');
      if (line.startsWith("wavoice_") && brace > 0 && line.substring(0, brace).endsWith("_total")) {
        counters.merge(line.substring(0, brace - "_total".length()), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
            Double::sum);
      }
    }
    return counters;
  }

  /** The app's live calls ({@code GET /api/calls} is a JSON array; "[]" when none). */
  boolean noLiveCalls() {
    return admin.get("/api/calls").body().strip().equals("[]");
  }

  private static Map<String, Long> values(String line) {
    Map<String, Long> values = new LinkedHashMap<>();
    String[] parts = line.split(" ");
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].lastIndexOf('=');
      values.put(parts[i].substring(0, eq), Long.parseLong(parts[i].substring(eq + 1)));
    }
    return values;
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable part : parts.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
  }

  @Override
  public void close() {
    closeAll(List.of(openai.jvm(), kms, whatsapp, app));
  }
}
