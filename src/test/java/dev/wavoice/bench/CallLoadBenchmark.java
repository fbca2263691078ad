package dev.wavoice.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.kms.CallerSpeech;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;

/**
 * Calls through the whole stack: the real WAR on Payara Micro, with the KMS and OpenAI doubles each in
 * a JVM of its own and Meta (the WhatsApp double and the webhook sender) in this one ({@link LoadStack}).
 * Each simulated call is a signed {@code connect} → {@code pre_accept}/{@code accept} → the agent's
 * greeting → a conversation: the caller talks 1 s, then pauses 3 s or 5 s (by turns, at its own phase),
 * as 20 ms RTP frames at real time from the KMS double; the OpenAI double hears each turn (server VAD)
 * and answers with 3 s of audio, sent faster than real time; after a 3 s pause the caller's next turn
 * interrupts the answer (barge-in), after a 5 s pause the answer finishes → {@code terminate}.
 *
 * <p>Per codec mode it starts the stack, runs 10 warm-up calls (30 s by default), then ramps the number of concurrent
 * calls ({@code --calls}) until quality breaks (a failed call, a burst, a lost frame, or p99 pacing
 * jitter over {@code --break-jitter-ms}) and prints one markdown row per step: webhook ack latency,
 * set-up latency (connect → accept at the WhatsApp double, → first bot RTP at the KMS double), pacing of
 * the bot's audio as it arrived at the KMS double (jitter |gap − 20 ms| within a bot turn, bursts of 4 or
 * more frames each under 5 ms after the previous, late frames ≥ 40 ms after the previous, lost frames),
 * barge-in as the caller hears it (caller starts talking → first silent frame arrives), the app JVM's CPU
 * per call and heap per call (after a full GC), and after the calls ended: calls completed, the
 * pipelines left on the KMS double, the app's sockets and threads against the baseline.
 *
 * <p>{@code --kms real} runs the ramp against the real Kurento with real WebRTC callers instead
 * ({@link RealKmsLoadBenchmark}).
 *
 * <p>{@code --soak N} instead makes N short calls one after the other (PCMU unless {@code --codecs}
 * says otherwise) and prints the heap after GC at the start, middle and end, and the leaks.
 *
 * <p>Command and options: see {@code docs/performance.md}.
 */
public final class CallLoadBenchmark {

  static final CallerSpeech CALLER = new CallerSpeech(1000, List.of(3000, 5000));
  static final String ANSWER =
      "{\"steps\":[{\"kind\":\"audio\",\"ms\":3000,\"frequency_hz\":523.0,\"transcript\":\"Here is a fairly long answer.\"}]}";
  /** The app's JVM: a production-like heap and the JVM's default collector (G1), not the tests' small serial heap. */
  static final List<String> APP_JVM = List.of("-Xms1g", "-Xmx1g");
  static final Duration SETUP_DEADLINE = Duration.ofSeconds(90);
  static final Duration END_DEADLINE = Duration.ofSeconds(60);
  static final int WARMUP_CALLS = 10;

  private CallLoadBenchmark() {}

  /** What one step of the ramp measured. */
  record Row(AudioCodec codec, int calls, String line, boolean broken) {}

  /** Leak figures after calls ended, against the baseline. */
  record Leaks(long pipelines, long liveCalls, long socketsBefore, long socketsAfter, long threadsBefore, long threadsAfter) {
    String describe() {
      return pipelines + " | " + liveCalls + " | " + socketsBefore + " → " + socketsAfter + " | " + threadsBefore + " → " + threadsAfter;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = PacerBenchmark.options(args);
    int seconds = Integer.parseInt(options.getOrDefault("--seconds", "20"));
    int warmup = Integer.parseInt(options.getOrDefault("--warmup", "5"));
    double breakJitterMs = Double.parseDouble(options.getOrDefault("--break-jitter-ms", "20"));
    int spacingMs = Integer.parseInt(options.getOrDefault("--spacing-ms", "50"));
    int warmupCallSeconds = Integer.parseInt(options.getOrDefault("--warmup-calls-seconds", "30"));
    List<Integer> ramp = Arrays.stream(options.getOrDefault("--calls", "10,25,50,100").split(",")).map(Integer::parseInt).toList();
    List<AudioCodec> codecs = Arrays.stream(options.getOrDefault("--codecs", options.containsKey("--soak") ? "pcmu" : "pcmu,opus")
        .split(",")).map(AudioCodec::fromConfig).toList();
    FlightRecordings recordings = FlightRecordings.from(options.get("--profile"));
    List<String> appJvm = appJvm(options);
    printMachine(appJvm);
    if ("real".equals(options.get("--kms"))) {
      RealKmsLoadBenchmark.run(options, codecs);
      return;
    }
    if (options.containsKey("--soak")) {
      int count = Integer.parseInt(options.get("--soak"));
      int holdMs = Integer.parseInt(options.getOrDefault("--hold-ms", "1000"));
      for (AudioCodec codec : codecs) {
        soak(codec, count, holdMs, appJvm);
      }
      return;
    }
    System.out.println("- " + WARMUP_CALLS + " warm-up calls talking for " + warmupCallSeconds + " s; " + seconds
        + " s measured per step after " + warmup + " s; calls connect " + spacingMs
        + " ms apart; the caller talks " + CALLER.talkMs() + " ms then pauses " + CALLER.pausesMs() + " ms by turns; answers 3 s");
    System.out.println();
    System.out.println("| codec | calls | webhook ack p50 / p99 (ms) | connect → pre_accept p50 / p99 (ms) | connect → accept p50 / p99 (ms) | connect → first bot RTP p50 / p99 (ms)"
        + " | OpenAI double: session open → first response.create p50 / p99 (ms) | OpenAI double: response.create → first delta sent p50 / p99 (ms)"
        + " | app: accepted → first bot frame sent p50 / p99 (ms)"
        + " | bridge: caller → OpenAI p50 / p99 (µs) | bridge: OpenAI → first frame on RTP p50 / p99 (ms)"
        + " | bridge: barge-in flush p50 / p99 (µs)"
        + " | pacing jitter p50 / p99 / max (µs) | bursts | late frames | lost frames | frames per call per s | bot turns"
        + " | barge-in heard p50 / p99 / max (ms) | app CPU per call (% of a core) | calls per core | heap per call (KiB)"
        + " | completed | pipelines left | live calls left | app sockets before → after | app threads before → after"
        + " | KMS double / OpenAI double CPU (% of a core) | load average |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (AudioCodec codec : codecs) {
      try (LoadStack stack = LoadStack.start("load-" + codec.name().toLowerCase(), codec, CALLER, ANSWER,
          ramp.stream().max(Integer::compare).orElseThrow() + WARMUP_CALLS, appJvm)) {
        CallDriver driver = new CallDriver(stack);
        try {
          warmUp(stack, driver, WARMUP_CALLS, spacingMs, warmupCallSeconds);
        } catch (Exception | AssertionError failed) {
          System.out.println("| " + codec + " | " + WARMUP_CALLS + " (warm-up) | failed: " + failed.getMessage().replace('\n', ' ')
              + " (load average " + PacerBenchmark.loadAverage() + ") |");
          continue;
        }
        for (int calls : ramp) {
          Row row;
          try {
            row = step(stack, driver, calls, spacingMs, warmup, seconds, breakJitterMs, recordings);
          } catch (Exception | AssertionError failed) {
            row = new Row(codec, calls, "| " + codec + " | " + calls + " | step failed: " + failed.getMessage().replace('\n', ' ')
                + " (load average " + PacerBenchmark.loadAverage() + ") |", true);
          }
          System.out.println(row.line());
          if (row.broken()) {
            break;
          }
        }
      }
    }
  }

  /**
   * {@code count} calls first, talking for {@code holdSeconds}, so that JIT compilation (the Opus codec
   * needs thousands of frames before it is compiled fully), pools and first connections are not in the
   * figures.
   */
  static void warmUp(LoadStack stack, CallDriver driver, int count, int spacingMs, int holdSeconds) throws Exception {
    List<CallDriver.Call> calls = driver.connect(count, spacingMs);
    driver.awaitAccepted(calls, SETUP_DEADLINE);
    Await.until(SETUP_DEADLINE, "the greeting heard in every warm-up call", () -> {
      driver.collectFirstBotAudio();
      return calls.stream().allMatch(c -> c.firstBotAudioNanos != 0);
    });
    Thread.sleep(holdSeconds * 1000L); // the warm-up's length: real time
    driver.terminate(calls);
    driver.awaitRecords(calls, END_DEADLINE);
    driver.forget(calls);
    awaitReleased(stack);
  }

  static Row step(LoadStack stack, CallDriver driver, int count, int spacingMs, int warmupSeconds, int seconds, double breakJitterMs,
      FlightRecordings recordings) throws Exception {
    long socketsBefore = stack.appSockets();
    long threadsBefore = stack.appThreads();
    long heapBefore = stack.appHeapAfterGc();

    int sessionsBefore = stack.openai.sessions().size();

    recordings.start(stack.jvms()); // from the first connect to the end of the measured time
    List<CallDriver.Call> calls = driver.connect(count, spacingMs);
    driver.awaitAccepted(calls, SETUP_DEADLINE);
    Await.until(SETUP_DEADLINE, "the greeting heard in every call", () -> {
      driver.collectFirstBotAudio();
      return calls.stream().allMatch(c -> c.firstBotAudioNanos != 0);
    });
    String openAiSide = openAiGreetingTimes(stack.openai.sessions(), sessionsBefore);
    Thread.sleep(warmupSeconds * 1000L); // a benchmark: real time is what is measured
    long heapPerCall = (stack.appHeapAfterGc() - heapBefore) / count;

    stack.kmsReset();
    long wall0 = System.nanoTime();
    long cpu0 = stack.appCpuNanos();
    long kmsCpu0 = stack.kms.cpuNanos();
    long openaiCpu0 = stack.openai.jvm().cpuNanos();
    Thread.sleep(seconds * 1000L);
    Map<String, Long> pacing = stack.kmsStats();
    long wall = System.nanoTime() - wall0;
    long cpu = stack.appCpuNanos() - cpu0;
    long kmsCpu = stack.kms.cpuNanos() - kmsCpu0;
    long openaiCpu = stack.openai.jvm().cpuNanos() - openaiCpu0;
    String load = PacerBenchmark.loadAverage();
    String bridge = stack.bridgeLatencies();
    recordings.stop(stack.jvms(), stack.codec.name().toLowerCase() + "-" + count);

    driver.terminate(calls);
    driver.awaitRecords(calls, END_DEADLINE);
    driver.forget(calls);
    long completed = calls.stream().filter(c -> c.record.getString("outcome").equals("COMPLETED")).count();
    Leaks leaks = leaks(stack, socketsBefore, threadsBefore);

    double cpuPerCall = 100.0 * cpu / wall / count;
    long jitterP99 = pacing.get("jitterP99us");
    boolean broken = completed < count || pacing.get("bursts") > 0 || pacing.get("lost") > 0 || jitterP99 > breakJitterMs * 1000;
    String line = String.format(
        "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %d / %d / %d | %d | %d | %d | %.1f | %d | %s | %.3f | %.0f | %d | %d / %d | %s | %.0f / %.0f | %s |",
        stack.codec, count, millis(calls, c -> c.ackNanos - c.connectSentNanos), millis(calls, c -> c.preAcceptNanos - c.connectSentNanos),
        millis(calls, c -> c.acceptNanos - c.connectSentNanos),
        millis(calls, c -> c.firstBotAudioNanos - c.connectSentNanos), openAiSide, recordMillis(calls, "acceptedAt", "firstBotAudioAt"), bridge, pacing.get("jitterP50us"), jitterP99, pacing.get("jitterMaxUs"),
        pacing.get("bursts"), pacing.get("late"), pacing.get("lost"), pacing.get("packets") * 1e9 / wall / count, pacing.get("turns"),
        pacing.get("bargeIns") == 0 ? "–" : String.format("%.0f / %.0f / %.0f", pacing.get("bargeInP50us") / 1000.0,
            pacing.get("bargeInP99us") / 1000.0, pacing.get("bargeInMaxUs") / 1000.0),
        cpuPerCall, 100 / cpuPerCall, heapPerCall / 1024, completed, count, leaks.describe(), 100.0 * kmsCpu / wall,
        100.0 * openaiCpu / wall, load);
    return new Row(stack.codec, count, line, broken);
  }

  /** N short calls one after the other: heap after GC at start, middle and end, and leaks. */
  static void soak(AudioCodec codec, int count, int holdMs, List<String> appJvm) throws Exception {
    System.out.println("- soak: " + count + " calls one after the other, " + codec + ", each held " + holdMs + " ms after its greeting began");
    System.out.println();
    try (LoadStack stack = LoadStack.start("soak-" + codec.name().toLowerCase(), codec, CALLER, ANSWER, 10, appJvm)) {
      CallDriver driver = new CallDriver(stack);
      warmUp(stack, driver, WARMUP_CALLS, 0, 0);
      long sockets = stack.appSockets();
      long threads = stack.appThreads();
      List<String> heap = new ArrayList<>();
      heap.add(stack.appHeapAfterGc() / 1024 + " KiB");
      long started = System.nanoTime();
      long completed = 0;
      for (int i = 1; i <= count; i++) {
        List<CallDriver.Call> call = driver.connect(1, 0);
        driver.awaitAccepted(call, SETUP_DEADLINE);
        Await.until(SETUP_DEADLINE, "the greeting", () -> {
          driver.collectFirstBotAudio();
          return call.get(0).firstBotAudioNanos != 0;
        });
        Thread.sleep(holdMs); // the call's length: real time
        driver.terminate(call);
        driver.awaitRecords(call, END_DEADLINE);
        driver.forget(call);
        completed += call.get(0).record.getString("outcome").equals("COMPLETED") ? 1 : 0;
        if (i == count / 2) {
          awaitReleased(stack);
          heap.add(stack.appHeapAfterGc() / 1024 + " KiB");
        }
      }
      Leaks leaks = leaks(stack, sockets, threads);
      heap.add(stack.appHeapAfterGc() / 1024 + " KiB");
      System.out.println("| codec | calls | completed | minutes | heap after GC: start / middle / end | pipelines left | live calls left"
          + " | app sockets before → after | app threads before → after | load average |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      System.out.printf("| %s | %d | %d | %.1f | %s | %s | %s |%n", codec, count, completed, (System.nanoTime() - started) / 60e9,
          String.join(" / ", heap), leaks.describe(), PacerBenchmark.loadAverage());
    }
  }

  /** After calls ended: waits (bounded) for the KMS double's pipelines and the app's sockets and threads to come back, then reports them. */
  static Leaks leaks(LoadStack stack, long socketsBefore, long threadsBefore) {
    try {
      Await.until(Duration.ofSeconds(15), "calls released and sockets and threads back to the baseline",
          () -> stack.kmsStats().get("pipelines") == 0 && stack.noLiveCalls() && stack.appSockets() <= socketsBefore
              && stack.appThreads() <= threadsBefore);
    } catch (AssertionError | RuntimeException notBack) {
      // reported below as found
    }
    return new Leaks(stack.kmsStats().get("pipelines"), stack.noLiveCalls() ? 0 : 1, socketsBefore, stack.appSockets(), threadsBefore,
        stack.appThreads());
  }

  static void awaitReleased(LoadStack stack) {
    Await.until(END_DEADLINE, "every pipeline released and no live call", () -> stack.kmsStats().get("pipelines") == 0 && stack.noLiveCalls());
  }

  /** p50 / p99 in milliseconds of a per-call duration in nanoseconds. */
  static String millis(List<CallDriver.Call> calls, ToLongFunction<CallDriver.Call> nanos) {
    return millis(calls.stream().mapToLong(nanos).toArray());
  }

  /** p50 / p99 in milliseconds of durations in nanoseconds (sorts them in place); "–" when there are none. */
  static String millis(long[] nanos) {
    if (nanos.length == 0) {
      return "–";
    }
    Arrays.sort(nanos);
    return String.format("%.1f / %.1f", percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6);
  }

  /** Between two times of each call's record (the app's wall clock): p50 / p99 over the calls that have both. */
  static String recordMillis(List<CallDriver.Call> calls, String from, String to) {
    return millis(calls.stream()
        .filter(c -> c.record.get(from) instanceof JsonString && c.record.get(to) instanceof JsonString)
        .mapToLong(c -> Duration.between(Instant.parse(c.record.getString(from)), Instant.parse(c.record.getString(to))).toNanos())
        .toArray());
  }

  /**
   * Where the greeting's wait is spent on the OpenAI side, for the sessions of this step (from index
   * {@code from}): open → the app's first {@code response.create} (the greeting, asked for at accept),
   * and that → the double's first audio delta sent (its own response time on the shared cores).
   */
  static String openAiGreetingTimes(JsonArray sessions, int from) {
    LongStream.Builder toCreate = LongStream.builder();
    LongStream.Builder toDelta = LongStream.builder();
    for (int i = from; i < sessions.size(); i++) {
      JsonObject s = sessions.getJsonObject(i);
      long opened = s.getJsonNumber("opened_nanos").longValue();
      long create = s.getJsonNumber("first_response_create_nanos").longValue();
      long delta = s.getJsonNumber("first_audio_delta_nanos").longValue();
      if (create != 0) {
        toCreate.add(create - opened);
        if (delta >= create) { // a server-VAD answer may come before any response.create: not the greeting's
          toDelta.add(delta - create);
        }
      }
    }
    return millis(toCreate.build().toArray()) + " | " + millis(toDelta.build().toArray());
  }

  static long percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** {@link #APP_JVM} and the options of {@code --app-jvm "..."} (e.g. another collector), space-separated. */
  static List<String> appJvm(Map<String, String> options) {
    List<String> jvm = new java.util.ArrayList<>(APP_JVM);
    String extra = options.getOrDefault("--app-jvm", "").strip();
    if (!extra.isEmpty()) {
      jvm.addAll(List.of(extra.split("\\s+")));
    }
    return List.copyOf(jvm);
  }

  static void printMachine(List<String> appJvm) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println("## Machine");
    System.out.println();
    System.out.println("- date: " + LocalDate.now());
    System.out.println("- cores: " + Runtime.getRuntime().availableProcessors() + ", memory: " + os.getTotalMemorySize() / (1 << 20)
        + " MiB, CPU: " + PacerBenchmark.cpuModel());
    System.out.println("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "; app JVM "
        + String.join(" ", appJvm) + "; load average at start " + PacerBenchmark.loadAverage());
  }
}
