package dev.wavoice.bench;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.media.PipelineTags;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.WallClock;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.caller.Caller;
import dev.wavoice.testkit.kms.CallerSpeech;
import dev.wavoice.testkit.audio.Onsets;
import dev.wavoice.testkit.kms.RealKms;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;

/**
 * {@code --kms real}: the ramp against the real Kurento Media Server 7.3 with real WebRTC callers
 * ({@link Caller}: GStreamer webrtcbin, full ICE, DTLS-SRTP, Opus), all on this machine. Each caller
 * offers in WhatsApp's shape ({@code a=ice-lite}), takes the app's answer from {@code pre_accept}, plays
 * {@link CallLoadBenchmark#CALLER}'s talk-and-pause pattern and records what it hears. Per step it
 * measures set-up (connect → pre_accept → accept after real ICE and DTLS), the CPU of the app, of
 * Kurento and of the callers over {@code --seconds}, what the callers received and heard (the bot's
 * turns and the dropouts inside them), what the app counted (caller packets lost or late on the RTP leg,
 * Opus frames not encoded in time), and after the calls: records, pipelines left on Kurento, the
 * app's sockets and threads, and which coders Kurento's graph of a call holds. In PCMU mode Kurento transcodes
 * every call (Opus ⇄ PCMU); in Opus mode it passes Opus through. Either way it, not the app, is where these 2
 * cores run out. {@code --callers peers} runs every call's WhatsApp peer in one process ({@link RealCallers});
 * {@code --perf DIR} profiles Kurento over each measured step ({@link PerfRecording}).
 */
final class RealKmsLoadBenchmark {

  /** Kurento binds a few ports per call (ICE, RTP leg): room for the largest step and more. */
  static final int KMS_PORTS_PER_CALL = 8;
  /** A step breaks when a caller heard less than this share of its call as audio (packets lost on the way). */
  static final double MIN_AUDIO_SHARE = 0.9;
  /** The callers' tone while they talk. */
  static final int CALLER_TONE_HZ = 440;
  /** With the WhatsApp peers, caller {@code i} talks at {@code CALLER_TONE_HZ + i * CALLER_TONE_STEP_HZ}: its pitch names it. */
  static final int CALLER_TONE_STEP_HZ = 20;

  private RealKmsLoadBenchmark() {}

  static void run(Map<String, String> options, List<AudioCodec> codecs) throws Exception {
    propertyFromEnv(Caller.CALLER_PROPERTY, "WAVOICE_CALLER");
    propertyFromEnv(RealKms.RUN_PROPERTY, "WAVOICE_KMS_RUN");
    int seconds = Integer.parseInt(options.getOrDefault("--seconds", "20"));
    int settle = Integer.parseInt(options.getOrDefault("--warmup", "5"));
    int spacingMs = Integer.parseInt(options.getOrDefault("--spacing-ms", "200"));
    List<Integer> ramp = Arrays.stream(options.getOrDefault("--calls", "5,10,20").split(",")).map(Integer::parseInt).toList();
    int maxCalls = ramp.stream().max(Integer::compare).orElseThrow();
    String callers = options.getOrDefault("--callers", "gstreamer");
    Map<String, String> kmsEnv = kmsEnv(options.getOrDefault("--kms-env", ""));
    PerfRecording perf = PerfRecording.from(options.get("--perf"));
    Map<String, String> appEnv = kmsEnv(options.getOrDefault("--app-env", ""));

    Path speech = Path.of("target", "load", "caller-speech.wav").toAbsolutePath();
    Files.createDirectories(speech.getParent());
    CallerSpeech pattern = CallLoadBenchmark.CALLER;
    // it begins at the longest pause, so that the greeting is heard whole before the caller first talks
    HeardAudio.writeSpeech(speech, pattern, CALLER_TONE_HZ, (2 * pattern.talkMs() + pattern.pausesMs().getFirst()) / HeardAudio.FRAME_MS);

    System.out.println("- real Kurento Media Server and real WebRTC callers ("
        + ("peers".equals(callers) ? "WhatsApp peers, all in one process" : "GStreamer, one process each") + ") on this machine; " + seconds
        + " s measured per step after " + settle + " s; calls connect " + spacingMs + " ms apart; the caller talks "
        + pattern.talkMs() + " ms then pauses " + ("peers".equals(callers) ? RealCallers.averagePauseMs(pattern) : pattern.pausesMs())
        + " ms by turns; answers 3 s"
        + (kmsEnv.isEmpty() ? "" : "; Kurento's environment adds " + kmsEnv)
        + (appEnv.isEmpty() ? "" : "; the app's environment adds " + appEnv));
    System.out.println();
    System.out.println("| codec | calls | connect → pre_accept p50 / p99 (ms) | connect → accept p50 / p99 (ms)"
        + " | bridge: caller → OpenAI p50 / p99 (µs) | bridge: OpenAI → first frame on RTP p50 / p99 (ms)"
        + " | bridge: barge-in flush p50 / p99 (µs)"
        + " | app CPU per call (% of a core) | Kurento CPU per call (% of a core) | Kurento CPU (% of a core) | callers' CPU (% of a core)"
        + " | audio received by callers, least (% of the call) | bot turns heard | dropouts heard (count / ms)"
        + " | packets lost on the way to the callers | longest wait between two packets at a caller (ms)"
        + " | caller packets lost / late at the app | Opus frames not encoded in time | completed | pipelines left"
        + " | app sockets before → after | app threads before → after | load average | coders in a call's pipeline (Kurento's graph) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (AudioCodec codec : codecs) {
      try (LoadStack stack = LoadStack.start("load-real-" + codec.name().toLowerCase(), codec,
          () -> new LoadKms.Real(RealKms.start(KMS_PORTS_PER_CALL * (maxCalls + 10), kmsEnv)), CallLoadBenchmark.ANSWER, maxCalls + 10,
          CallLoadBenchmark.appJvm(options), appEnv)) {
        CallDriver driver = new CallDriver(stack);
        List<String> latencies = new ArrayList<>();
        try { // warm-up: first connections, JIT, Kurento's first pipelines
          step(stack, driver, codec, 2, spacingMs, settle, settle, speech, callers, PerfRecording.OFF, new ArrayList<>());
        } catch (Exception | AssertionError failed) {
          System.out.println("| " + codec + " | 2 (warm-up) | failed: " + String.valueOf(failed.getMessage()).replace('\n', ' ') + " |");
          continue;
        }
        for (int calls : ramp) {
          CallLoadBenchmark.Row row;
          try {
            row = step(stack, driver, codec, calls, spacingMs, settle, seconds, speech, callers, perf, latencies);
          } catch (Exception | AssertionError failed) {
            row = new CallLoadBenchmark.Row(codec, calls, "| " + codec + " | " + calls + " | step failed: "
                + String.valueOf(failed.getMessage()).replace('\n', ' ') + " (load average " + PacerBenchmark.loadAverage() + ") |", true);
          }
          System.out.println(row.line());
          if (row.broken()) {
            break;
          }
        }
        if ("peers".equals(callers)) {
          printLatencies(codec, latencies);
        }
      }
    }
  }

  /** The latency each way through wavoice and Kurento ({@link MouthToEar}) of each step, as a table of its own. */
  static void printLatencies(AudioCodec codec, List<String> lines) {
    System.out.println();
    System.out.println("Latency mouth to ear, " + codec + " (the wall clock of this machine, shared by its processes):");
    System.out.println();
    System.out.println("| codec | calls | caller → OpenAI: turn's first packet sent → append with its first sound read p50 / p99 (ms)"
        + " | of which the app's batching wait p50 / p99 (ms) | caller → OpenAI without the batching wait p50 / p99 (ms)"
        + " | OpenAI → caller: response's first delta sent → packet with its first sound received p50 / p99 (ms)"
        + " | app: bridge caller → OpenAI p50 / p99 (µs) | app: OpenAI → first frame on RTP p50 / p99 (ms) | app: barge-in flush p50 / p99 (µs)"
        + " | turns / responses paired | sessions told apart | load average |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    lines.forEach(System.out::println);
    System.out.println();
  }

  static CallLoadBenchmark.Row step(LoadStack stack, CallDriver driver, AudioCodec codec, int count, int spacingMs, int settle,
      int seconds, Path speech, String kind, PerfRecording perf, List<String> latencies) throws Exception {
    int sessionsBefore = stack.openai.sessions().size();
    long socketsBefore = stack.appSockets();
    long threadsBefore = stack.appThreads();
    Map<String, Double> countersBefore = stack.appCounters();
    int callSeconds = settle + seconds + 10; // media time from each caller's answer: it outlasts the measured window
    try (RealCallers callers = RealCallers.start(kind, count, callSeconds, speech, CallLoadBenchmark.CALLER, CALLER_TONE_HZ,
        CALLER_TONE_STEP_HZ)) {
      List<CallDriver.Offer> offers = callers.offers();
      List<CallDriver.Call> calls = driver.connect(count, spacingMs, offers::get);
      driver.awaitAccepted(calls, CallLoadBenchmark.SETUP_DEADLINE);
      Thread.sleep(settle * 1000L); // a benchmark: real time is what is measured
      String coders = coders(stack);

      Process profile = stack.kms instanceof LoadKms.Real real ? perf.start(real.kms().pid(), codec.name().toLowerCase() + "-" + count) : null;
      long wallClock0;
      long wall;
      long appCpu;
      long kmsCpu;
      long callersCpu;
      try {
        wallClock0 = WallClock.nanos();
        long wall0 = System.nanoTime();
        long app0 = stack.appCpuNanos();
        long kms0 = stack.kms.cpuNanos();
        long callers0 = callers.cpuNanos();
        Thread.sleep(seconds * 1000L);
        wall = System.nanoTime() - wall0;
        appCpu = stack.appCpuNanos() - app0;
        kmsCpu = stack.kms.cpuNanos() - kms0;
        callersCpu = callers.cpuNanos() - callers0;
      } finally {
        PerfRecording.stop(profile); // never left attached to Kurento, whatever failed
      }
      String load = PacerBenchmark.loadAverage();
      String bridge = stack.bridgeLatencies();

      List<RealCallers.Heard> heard = callers.awaitHeard(Duration.ofSeconds(callSeconds + 30));
      if ("peers".equals(kind)) {
        // from the measured window on, to the calls' end (the peers' media time outlasts the window)
        MouthToEar.Figures m = MouthToEar.measure(heard.stream().map(RealCallers.Heard::times).toList(),
            sessions(stack.openai.sessions(), sessionsBefore), CALLER_TONE_HZ, CALLER_TONE_STEP_HZ, wallClock0, WallClock.nanos());
        latencies.add(String.format("| %s | %d | %s | %s | %s | %s | %s | %d / %d | %d of %d | %s |", codec, count,
            MouthToEar.millis(m.upNanos()), MouthToEar.millis(m.batchWaitNanos()), MouthToEar.millis(m.upWithoutBatchingNanos()),
            MouthToEar.millis(m.downNanos()), bridge, m.upNanos().length, m.downNanos().length, m.matched(), m.sessions(), load));
      }
      Map<String, Double> countersAfter = stack.appCounters();
      int turns = heard.stream().mapToInt(h -> h.audio().turns()).sum();
      int dropouts = heard.stream().mapToInt(h -> h.audio().dropouts()).sum();
      long dropoutMs = heard.stream().mapToLong(h -> h.audio().dropoutMs()).sum();
      long lostOnTheWay = heard.stream().mapToLong(RealCallers.Heard::lostPackets).sum();
      long longestGap = heard.stream().mapToLong(RealCallers.Heard::maxGapMs).max().orElse(0);
      double leastAudio = heard.stream().mapToDouble(h -> h.receivedAudioMs() / (callSeconds * 1000.0)).min().orElse(0);
      boolean media = heard.stream().allMatch(RealCallers.Heard::dtlsConnected);

      driver.terminate(calls);
      driver.awaitRecords(calls, CallLoadBenchmark.END_DEADLINE);
      driver.forget(calls);
      long completed = calls.stream().filter(c -> c.record.getString("outcome").equals("COMPLETED")).count();
      long pipelines = awaitNoPipelines(stack);
      try {
        Await.until(Duration.ofSeconds(15), "the app's sockets and threads back to the baseline",
            () -> stack.noLiveCalls() && stack.appSockets() <= socketsBefore && stack.appThreads() <= threadsBefore);
      } catch (AssertionError notBack) {
        // reported below as found
      }

      boolean broken = completed < count || !media || leastAudio < MIN_AUDIO_SHARE;
      String line = String.format(
          "| %s | %d | %s | %s | %s | %.2f | %.2f | %.0f | %.0f | %.1f | %d | %d / %d | %s | %s | %.0f / %.0f | %.0f | %d / %d | %d | %d → %d | %d → %d | %s | %s |",
          codec, count, CallLoadBenchmark.millis(calls, c -> c.preAcceptNanos - c.connectSentNanos),
          CallLoadBenchmark.millis(calls, c -> c.acceptNanos - c.connectSentNanos), bridge,
          100.0 * appCpu / wall / count, 100.0 * kmsCpu / wall / count, 100.0 * kmsCpu / wall, 100.0 * callersCpu / wall,
          100 * leastAudio, turns, dropouts, dropoutMs, "peers".equals(kind) ? Long.toString(lostOnTheWay) : "-",
          "peers".equals(kind) ? Long.toString(longestGap) : "-",
          delta(countersBefore, countersAfter, "wavoice_bridge_caller_packets_lost"),
          delta(countersBefore, countersAfter, "wavoice_bridge_caller_packets_late"),
          delta(countersBefore, countersAfter, "wavoice_bridge_bot_frames_encode_late"), completed, count, pipelines, socketsBefore,
          stack.appSockets(), threadsBefore, stack.appThreads(), load, coders);
      return new CallLoadBenchmark.Row(codec, count, line, broken);
    }
  }

  /** What the OpenAI double noted for the sessions from index {@code from} on (its {@code /sessions}). */
  static List<MouthToEar.Session> sessions(JsonArray all, int from) {
    List<MouthToEar.Session> sessions = new ArrayList<>();
    for (int i = from; i < all.size(); i++) {
      JsonObject s = all.getJsonObject(i);
      List<Onsets.Onset> onsets = s.getJsonArray("caller_onsets").getValuesAs(JsonObject.class).stream()
          .map(o -> new Onsets.Onset(o.getJsonNumber("at_unix_ns").longValue(), o.getJsonNumber("offset_ns").longValue(),
              o.getJsonNumber("chunk_ns").longValue(), o.getJsonNumber("hz").doubleValue() < 0 ? Double.NaN : o.getJsonNumber("hz").doubleValue()))
          .toList();
      List<Long> starts = s.getJsonArray("response_audio_unix_ns").getValuesAs(JsonNumber.class).stream().map(JsonNumber::longValue).toList();
      sessions.add(new MouthToEar.Session(onsets, starts));
    }
    return sessions;
  }


  /** Waits (bounded) until Kurento holds none of the app's pipelines and returns how many are left. */
  static long awaitNoPipelines(LoadStack stack) {
    KurentoClient kurento = KurentoClient.create(stack.kms.url());
    try {
      Await.until(CallLoadBenchmark.END_DEADLINE, "the app's pipelines released on Kurento", () -> appPipelines(kurento) == 0);
    } catch (AssertionError notReleased) {
      // reported as found
    }
    try {
      return appPipelines(kurento);
    } finally {
      kurento.destroy();
    }
  }

  private static long appPipelines(KurentoClient kurento) {
    return kurento.getServerManager().getPipelines().stream().filter(RealKmsLoadBenchmark::ours).count();
  }

  /** Audio coders, resamplers and converters in one of the app's pipelines, from Kurento's own graph of it. */
  static String coders(LoadStack stack) {
    KurentoClient kurento = KurentoClient.create(stack.kms.url());
    try {
      return kurento.getServerManager().getPipelines().stream().filter(RealKmsLoadBenchmark::ours).findFirst()
          .map(p -> PipelineCoders.in(p.getGstreamerDot()).toString()).orElse("no pipeline");
    } finally {
      kurento.destroy();
    }
  }

  private static boolean ours(MediaPipeline pipeline) {
    return pipeline.getTags().stream()
        .anyMatch(t -> PipelineTags.INSTANCE.equals(t.getKey()) && DoublesStack.KURENTO_INSTANCE_TAG.equals(t.getValue()));
  }

  /** {@code --kms-env K=V;K=V}: added to Kurento's environment. */
  static Map<String, String> kmsEnv(String spec) {
    Map<String, String> env = new java.util.TreeMap<>();
    for (String pair : spec.split(";")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("--kms-env is NAME=VALUE;NAME=VALUE, got " + pair);
      }
      env.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return env;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String counter) {
    return after.getOrDefault(counter, 0.0) - before.getOrDefault(counter, 0.0);
  }

  private static void propertyFromEnv(String property, String env) {
    if (System.getProperty(property) == null && System.getenv(env) != null) {
      System.setProperty(property, System.getenv(env));
    }
  }
}
