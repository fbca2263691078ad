package dev.wavoice.bench;

import dev.wavoice.testkit.MapConfig;
import dev.wavoice.ConfigValues;
import dev.wavoice.audio.RtpRemote;
import com.sun.management.OperatingSystemMXBean;
import dev.wavoice.CallId;
import dev.wavoice.WireJson;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.AudioPlane;
import dev.wavoice.audio.AudioSettings;
import dev.wavoice.audio.MonotonicClock;
import dev.wavoice.audio.Pacer;
import dev.wavoice.bridge.BridgeListener;
import dev.wavoice.bridge.BridgeMetrics;
import dev.wavoice.bridge.BridgeSettings;
import dev.wavoice.bridge.BridgeTimings;
import dev.wavoice.bridge.CallBridge;
import dev.wavoice.bridge.CallContext;
import dev.wavoice.bridge.RealtimeBridgeFactory;
import dev.wavoice.bridge.RecordingSettings;
import dev.wavoice.bridge.TranscriptLine;
import dev.wavoice.realtime.Prices;
import dev.wavoice.realtime.RealtimeClient;
import dev.wavoice.realtime.RealtimeSettings;
import dev.wavoice.realtime.RealtimeWire.TurnDetection;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Benchmark of the bridge: N real bridges (audio plane with the real pacer thread, Realtime client,
 * barge-in, transcript) in this process, the OpenAI double ({@code OpenAiRealtimeDoubleMain}, lean) and
 * the RTP load driver ({@link BridgeLoadPeer}) each in their own process, so only the bridge's CPU is
 * counted. Every call is a conversation: the caller talks 1 s in every 4 s; the double's turn detection
 * hears it and answers with 3 s of audio (as fast as its socket takes it), which the caller's next turn
 * interrupts after about 2.5 s: one answer and one barge-in per call every 4 s.
 *
 * <p>Per codec mode and number of calls, after a warm-up, it prints one row:
 *
 * <ul>
 *   <li>caller direction: RTP packet in (arrival at the call's socket) → its {@code
 *       input_audio_buffer.append} handed to the WebSocket, p50/p99, for the packet that completed the
 *       batch (the bridge's own work) and for the batch's first packet (plus the batching wait);
 *   <li>bot direction, for answers that began with an empty queue: first delta received → its first
 *       frame on RTP (p50/p99; includes the wait for the next 20 ms tick), and → queued (the bridge's own
 *       work);
 *   <li>pacing, measured by the receiving peer over the frames of each bot turn: jitter |gap − 20 ms|
 *       p99, bursts (4 or more frames each under 5 ms after the previous), sequence breaks; and the
 *       pacer thread's own tick lateness p99;
 *   <li>barge-in: {@code speech_started} received → the call's queue flushed (the next tick sends silence);
 *   <li>CPU of this process per call (% of a core) and calls per core, heap per call, GC pauses, the
 *       machine's load average.
 * </ul>
 *
 * Command: see {@code docs/performance.md}. Options: {@code --seconds N} (measured, default 20),
 * {@code --warmup N} (default 10; {@code --first-warmup N}, default 40, for each codec's first row, while the JIT
 * compiles), {@code --calls 50,100,200}, {@code --codecs pcmu,opus},
 * {@code --batch-ms 40}.
 */
public final class BridgeBenchmark {

  static final String KEY = "test-openai-key-bench-bridge";
  static final int PREPARE_WAVE = 20;
  static final String ANSWER =
      "{\"steps\":[{\"kind\":\"audio\",\"ms\":3000,\"frequency_hz\":523.0,\"transcript\":\"Here is a fairly long answer.\"}]}";

  /** What the bridges' timings recorded, thread-safe (HdrHistogram recorders, microseconds). */
  static final class Timings implements BridgeTimings {
    final Recorder callerLast = new Recorder(3);
    final Recorder callerFirst = new Recorder(3);
    final Recorder botOnWire = new Recorder(3);
    final Recorder botQueued = new Recorder(3);
    final Recorder bargeIn = new Recorder(3);

    @Override
    public void callerAudioSent(long firstArrivalNanos, long lastArrivalNanos, long sentNanos) {
      callerLast.recordValue(Math.max(0, (sentNanos - lastArrivalNanos) / 1000));
      callerFirst.recordValue(Math.max(0, (sentNanos - firstArrivalNanos) / 1000));
    }

    @Override
    public void botAudioStarted(long deltaNanos, long queuedNanos, long onWireNanos) {
      botOnWire.recordValue(Math.max(0, (onWireNanos - deltaNanos) / 1000));
      botQueued.recordValue(Math.max(0, (queuedNanos - deltaNanos) / 1000));
    }

    @Override
    public void bargeIn(long eventNanos, long flushedNanos) {
      bargeIn.recordValue(Math.max(0, (flushedNanos - eventNanos) / 1000));
    }

    void reset() {
      callerLast.reset();
      callerFirst.reset();
      botOnWire.reset();
      botQueued.reset();
      bargeIn.reset();
    }
  }

  /** What the bridges told the "call layer". */
  static final class Listener implements BridgeListener {
    final AtomicLong failures = new AtomicLong();
    final AtomicLong ends = new AtomicLong();
    final AtomicLong lines = new AtomicLong();
    volatile String lastFailure;

    @Override
    public void endRequested(String detail) {
      ends.incrementAndGet();
    }

    @Override
    public void failed(String detail) {
      failures.incrementAndGet();
      lastFailure = detail;
    }

    @Override
    public void firstBotAudio(Instant at) {}

    @Override
    public void transcriptLine(TranscriptLine line) {
      lines.incrementAndGet();
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = PacerBenchmark.options(args);
    int seconds = Integer.parseInt(options.getOrDefault("--seconds", "20"));
    int warmup = Integer.parseInt(options.getOrDefault("--warmup", "10"));
    // a fresh JVM's first row: the JIT was still compiling concentus after 10 s (in a flight recording the
    // C2 compiler threads took as much CPU as the encoders over the measured 20 s), which a server that runs for days does not pay
    int firstWarmup = Integer.parseInt(options.getOrDefault("--first-warmup", "40"));
    int batchMs = Integer.parseInt(options.getOrDefault("--batch-ms", "40"));
    List<Integer> callCounts = PacerBenchmark.callCounts(options);
    List<AudioCodec> codecs = PacerBenchmark.codecs(options);
    PacerBenchmark.printMachine();
    System.out.println("- append batch: " + batchMs + " ms; " + seconds + " s measured after " + warmup + " s warm-up per row ("
        + firstWarmup + " s for a codec's first row)");
    System.out.println();
    System.out.println("| codec | calls | caller: last packet → append p50 / p99 (µs) | caller: first packet → append p50 / p99 (µs) | bot: delta → queued p50 / p99 (µs) | bot: delta → on RTP p50 / p99 (µs) | frames per call per s at the peer (50 = every tick) | pacing jitter p50 / p99 / max (µs) | arrival bursts | seq breaks | pacer tick jitter p99 (µs) | pacer skipped ticks | pacer bursts | barge-in flush p50 / p99 / max (µs) | answers from an empty queue / speech starts | CPU per call (% of a core) | calls per core | heap per call (KiB) | GC pauses (count, ms) | failures | OpenAI double / load peer CPU (% of a core) | load average |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (AudioCodec codec : codecs) {
      boolean first = true;
      for (int calls : callCounts) {
        try {
          System.out.println(run(codec, calls, first ? Math.max(warmup, firstWarmup) : warmup, seconds, batchMs));
          first = false;
        } catch (Exception failed) {
          System.out.println("| " + codec + " | " + calls + " | run failed: " + failed + " (load average "
              + PacerBenchmark.loadAverage() + ") |");
        }
      }
    }
  }

  static String run(AudioCodec codec, int callCount, int warmup, int seconds, int batchMs) throws Exception {
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      ChildJvm.OpenAiDouble openai = ChildJvm.openAiDouble(KEY);
      opened.add(openai.jvm());
      openai.everySession("{\"auto_vad\":true,\"record_audio_text\":false,"
          + "\"record_input_audio\":false,\"default_turn\":" + ANSWER + "}");
      String wsUrl = openai.wsUrl();

      ChildJvm peerJvm = ChildJvm.start(List.of("-Xmx256m"), BridgeLoadPeer.class.getName());
      opened.add(peerJvm);
      int peerPort = Integer.parseInt(peerJvm.awaitLine("PORT ").split(" ")[1]);
      InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort);

      MonotonicClock clock = MonotonicClock.system();
      Pacer pacer = new Pacer(clock);
      pacer.start();
      opened.add(pacer::stop);
      AudioSettings defaults = AudioSettings.defaults();
      AudioPlane plane = new AudioPlane(new AudioSettings(InetAddress.getLoopbackAddress(), PacerBenchmark.freeRange(callCount + 10),
          defaults.reorderDepthFrames(), defaults.rtcpInterval(), defaults.outboundQueueFrames(), defaults.opusBitrateBps(),
          defaults.opusComplexity()), pacer, Clock.systemUTC(), clock);
      RealtimeSettings realtime = RealtimeSettings.builder().url(URI.create(wsUrl)).apiKey(KEY).model("gpt-realtime")
          .connectTimeout(Duration.ofSeconds(20)).rolloverAfter(Duration.ofMinutes(55)).keepalive(Duration.ofSeconds(15))
          .instructions("You are the benchmark agent.").voice("marin").speed(1.0)
          .turnDetection(new TurnDetection("server_vad", 0.5, 300, 500, null, null, true, true))
          .transcriptionModel("gpt-4o-mini-transcribe").noiseReduction("near_field").prices(Prices.GPT_REALTIME).build();
      RealtimeClient client = new RealtimeClient(() -> realtime, WireJson.create());
      opened.add(client);
      Timings timings = new Timings();
      RealtimeBridgeFactory factory = new RealtimeBridgeFactory(plane, client, null, BridgeSettings.from(ConfigValues.lookup(MapConfig.of(BridgeSettings.APPEND_BATCH_MS, Integer.toString(batchMs)))),
          RecordingSettings.disabled(), BridgeMetrics.NONE, timings, Clock.systemUTC(), clock);
      opened.add(factory::close);
      Listener listener = new Listener();

      System.gc();
      long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      List<CallBridge> bridges = new ArrayList<>();
      StringBuilder ports = new StringBuilder();
      List<CompletableFuture<Void>> wave = new ArrayList<>();
      for (int i = 0; i < callCount; i++) {
        CallBridge bridge = factory.create(new CallContext(new CallId("bench-" + i), "whatsapp", "1555000" + i, null, codec),
            listener);
        bridges.add(bridge);
        wave.add(bridge.prepare().toCompletableFuture());
        ports.append(' ').append(bridge.rtpLeg().address().getPort());
        if (wave.size() == PREPARE_WAVE || i == callCount - 1) { // calls arrive over time, not all in one instant
          CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
          wave.clear();
        }
      }
      for (CallBridge bridge : bridges) {
        bridge.connectRtp(RtpRemote.at(peer));
        bridge.start();
      }
      peerJvm.send("START " + codec.name().toLowerCase() + ports);

      Thread.sleep(warmup * 1000L); // a benchmark, not a test: real time is what is measured
      System.gc();
      long heapPerCall = (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - heapBefore) / callCount;

      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      PacerBenchmark.TickRecorder ticks = new PacerBenchmark.TickRecorder();
      pacer.observeTicks(ticks);
      timings.reset();
      peerJvm.send("MEASURE");
      long cpu0 = os.getProcessCpuTime();
      long openaiCpu0 = openai.jvm().cpuNanos();
      long peerCpu0 = peerJvm.cpuNanos();
      long wall0 = System.nanoTime();
      long[] gc0 = PacerBenchmark.gcPauses();
      long skipped0 = pacer.stats().skippedTicks();
      Thread.sleep(seconds * 1000L);
      long[] gc = PacerBenchmark.gcPauses();
      long skipped = pacer.stats().skippedTicks() - skipped0;
      long wall = System.nanoTime() - wall0;
      long cpu = os.getProcessCpuTime() - cpu0;
      long openaiCpu = openai.jvm().cpuNanos() - openaiCpu0;
      long peerCpu = peerJvm.cpuNanos() - peerCpu0;
      String peerLine = peerJvm.ask("STOP", "RESULT");
      if (System.getProperty("bench.debug") != null) {
        System.err.println(peerLine);
      }
      Map<String, String> peerResult = PacerBenchmark.parseResult(peerLine);
      Histogram callerLast = timings.callerLast.getIntervalHistogram();
      Histogram callerFirst = timings.callerFirst.getIntervalHistogram();
      Histogram botOnWire = timings.botOnWire.getIntervalHistogram();
      Histogram botQueued = timings.botQueued.getIntervalHistogram();
      Histogram bargeIn = timings.bargeIn.getIntervalHistogram();
      PacerBenchmark.TickRecorder.Snapshot tick = ticks.snapshot();
      String load = PacerBenchmark.loadAverage();

      for (CallBridge bridge : bridges) {
        bridge.close();
      }

      double cpuPerCall = 100.0 * cpu / wall / callCount;
      return String.format("| %s | %d | %s | %s | %s | %s | %.1f | %s / %s / %s | %s | %s | %d | %d | %d | %s | %d / %d | %.3f | %.0f | %d | %d, %d | %d%s | %.0f / %.0f | %s |",
          codec, callCount, p(callerLast), p(callerFirst), p(botQueued), p(botOnWire),
          Long.parseLong(peerResult.get("packets")) * 1e9 / wall / callCount,
          peerResult.get("gapP50us"), peerResult.get("gapP99us"), peerResult.get("gapMaxUs"), peerResult.get("bursts"),
          peerResult.get("sequenceBreaks"), tick.p99Micros(), skipped, tick.bursts(),
          bargeIn.getTotalCount() == 0 ? "–" : bargeIn.getValueAtPercentile(50) + " / " + bargeIn.getValueAtPercentile(99) + " / "
              + bargeIn.getMaxValue(),
          botOnWire.getTotalCount(), bargeIn.getTotalCount(), cpuPerCall, 100 / cpuPerCall, heapPerCall / 1024,
          gc[0] - gc0[0], gc[1] - gc0[1], listener.failures.get(),
          listener.lastFailure == null ? "" : " (" + listener.lastFailure + ")", 100.0 * openaiCpu / wall, 100.0 * peerCpu / wall,
          load);
    } finally {
      for (AutoCloseable c : opened.reversed()) {
        c.close(); // the factory closes any bridge still open; the children exit when their input closes
      }
    }
  }

  private static String p(Histogram h) {
    return h.getTotalCount() == 0 ? "–" : h.getValueAtPercentile(50) + " / " + h.getValueAtPercentile(99);
  }
}
