package dev.wavoice.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.AudioPlane;
import dev.wavoice.audio.AudioSettings;
import dev.wavoice.audio.CallAudio;
import dev.wavoice.audio.MonotonicClock;
import dev.wavoice.audio.HalfBandDecimator;
import dev.wavoice.audio.OpusFrameDecoder;
import dev.wavoice.audio.OpusFrameEncoder;
import dev.wavoice.audio.Pacer;
import dev.wavoice.audio.PacerStats;
import dev.wavoice.audio.Pcm16;
import dev.wavoice.audio.PortRange;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Benchmark of the audio plane's pacer and codec paths. Prints markdown tables:
 *
 * <ol>
 *   <li>codec cost per 20 ms frame, single thread: Opus decode + 48→24 kHz, Opus encode from 24 kHz,
 *       and the PCMU path (which has no transcoding);
 *   <li>for 50/100/200 calls (PCMU and Opus mode): the real pacer thread on the system clock sending
 *       RTP on loopback to a load peer in its own process ({@link RtpLoadPeer}), which also sends every
 *       call 20 ms of caller audio per frame. "OpenAI" enqueues 2 s of audio per call at once every
 *       2.5 s. Measured: jitter of the pacer's tick times (|gap − 20 ms|), bursts (4 or more frames each
 *       under 5 ms after the previous) at the pacer and at the receiving peer, skipped ticks, CPU of this
 *       process per call, the pacer thread's CPU and allocation, heap per call.
 * </ol>
 *
 * Command: see {@code docs/performance.md}. Options: {@code --seconds N} (measured time per run,
 * default 20), {@code --calls 50,100,200}, {@code --codecs pcmu,opus}, {@code --only codecs} (the codec costs alone).
 */
public final class PacerBenchmark {

  static final long FRAME_NANOS = Pacer.FRAME_NANOS;
  static final int WARMUP_SECONDS = 5;

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int seconds = Integer.parseInt(options.getOrDefault("--seconds", "20"));
    List<Integer> callCounts = callCounts(options);
    List<AudioCodec> codecs = codecs(options);

    printMachine();
    System.out.println();
    codecCosts();
    if ("codecs".equals(options.get("--only"))) {
      return;
    }
    receiveAllocation();
    System.out.println("## Pacer under load (" + seconds + " s measured after " + WARMUP_SECONDS + " s warm-up per row)");
    System.out.println();
    System.out.println("| codec | calls | tick jitter p50 / p99 / max (µs) | skipped ticks | pacer bursts | arrival jitter p50 / p99 / max (µs) | arrival bursts | seq breaks | CPU per call (% of a core) | pacer thread µs per tick | pacer alloc bytes per tick | heap per call (KiB) | GC pauses (count, total ms) | load average |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (AudioCodec codec : codecs) {
      for (int calls : callCounts) {
        System.out.println(load(codec, calls, seconds));
      }
    }
  }

  // ---- codec costs ----

  static void codecCosts() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    int frames = 20_000;
    short[][] tone48 = new short[50][];
    for (int f = 0; f < 50; f++) {
      tone48[f] = new short[960];
      for (int i = 0; i < 960; i++) {
        tone48[f][i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * (f * 960 + i) / 48_000.0) + 2000 * Math.sin(2 * Math.PI * 2300 * (f * 960 + i) / 48_000.0));
      }
    }
    OpusFrameEncoder encoder48 = new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 20_000, 5);
    byte[][] packets = new byte[50][];
    byte[] out = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
    for (int f = 0; f < 50; f++) {
      packets[f] = java.util.Arrays.copyOf(out, encoder48.encode(tone48[f], 0, out, 0));
    }
    byte[][] pcm24 = new byte[50][];
    for (int f = 0; f < 50; f++) {
      short[] tone24 = new short[480];
      for (int i = 0; i < 480; i++) {
        tone24[i] = tone48[f][2 * i];
      }
      pcm24[f] = new byte[960];
      Pcm16.toBytes(tone24, 0, pcm24[f], 0, 480);
    }

    // inbound Opus: decode, 48 → 24 kHz, to bytes (as OpusInboundDecoder)
    OpusFrameDecoder decoder = new OpusFrameDecoder();
    HalfBandDecimator decimator = new HalfBandDecimator();
    short[] half = new short[2881];
    byte[] bytes = new byte[5762];
    Runnable inbound = () -> {
      for (int f = 0; f < frames; f++) {
        byte[] p = packets[f % 50];
        int n = decoder.decode(p, 0, p.length);
        int m = decimator.process(decoder.pcm(), 0, n, half, 0);
        Pcm16.toBytes(half, 0, bytes, 0, m);
      }
    };
    // outbound Opus: bytes, encode at 24 kHz (as OpusOutboundEncoder)
    OpusFrameEncoder encoder = new OpusFrameEncoder(24_000, 20_000, AudioSettings.defaults().opusComplexity());
    short[] s24 = new short[480];
    Runnable outbound = () -> {
      for (int f = 0; f < frames; f++) {
        Pcm16.toSamples(pcm24[f % 50], 0, s24, 0, 480);
        encoder.encode(s24, 0, out, 0);
      }
    };
    Map<String, Runnable> cases = new LinkedHashMap<>();
    cases.put("Opus in: decode + 48→24 kHz (per frame)", inbound);
    cases.put("Opus out: encode from 24 kHz, complexity " + AudioSettings.defaults().opusComplexity() + ", 20 kbit/s (per frame)", outbound);
    // the alternatives weighed against wavoice's choices (not summed below)
    OpusFrameDecoder decoder24 = new OpusFrameDecoder(24_000);
    cases.put("alternative: decode at 24 kHz (right for these SILK packets only: concentus decodes hybrid ones to silence below 48 kHz)", () -> {
      for (int f = 0; f < frames; f++) {
        byte[] p = packets[f % 50];
        int n = decoder24.decode(p, 0, p.length);
        Pcm16.toBytes(decoder24.pcm(), 0, bytes, 0, n);
      }
    });
    for (int complexity : new int[] {0, 1}) {
      OpusFrameEncoder cheaper = new OpusFrameEncoder(24_000, 20_000, complexity);
      cases.put("alternative: encode from 24 kHz, complexity " + complexity, () -> {
        for (int f = 0; f < frames; f++) {
          Pcm16.toSamples(pcm24[f % 50], 0, s24, 0, 480);
          cheaper.encode(s24, 0, out, 0);
        }
      });
    }
    OpusFrameEncoder encoder16 = new OpusFrameEncoder(16_000, 20_000, AudioSettings.defaults().opusComplexity());
    short[][] tone16 = new short[50][320];
    for (int f = 0; f < 50; f++) {
      for (int i = 0; i < 320; i++) {
        tone16[f][i] = tone48[f][3 * i];
      }
    }
    cases.put("alternative: encode from 16 kHz (the resampling to 16 kHz left out)", () -> {
      for (int f = 0; f < frames; f++) {
        encoder16.encode(tone16[f % 50], 0, out, 0);
      }
    });
    System.out.println("## Codec cost per 20 ms frame (one thread, " + frames + " frames after warm-up)");
    System.out.println();
    System.out.println("| step | µs per frame | bytes allocated per frame |");
    System.out.println("|---|---|---|");
    double opusMicros = 0;
    for (var c : cases.entrySet()) {
      c.getValue().run(); // warm-up: JIT
      c.getValue().run();
      long id = Thread.currentThread().threadId();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long alloc0 = threads.getThreadAllocatedBytes(id);
      c.getValue().run();
      double micros = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / frames;
      double alloc = (threads.getThreadAllocatedBytes(id) - alloc0) / (double) frames;
      if (c.getKey().startsWith("Opus ")) {
        opusMicros += micros;
      }
      System.out.printf("| %s | %.1f | %.0f |%n", c.getKey(), micros, alloc);
    }
    System.out.println();
    System.out.printf("Opus mode transcoding per call (50 frames/s each way): %.1f %% of one core, i.e. at most %.0f calls per core for codec work alone. PCMU mode does no transcoding (frames are copied).%n%n",
        opusMicros * 50 / 10_000.0, 1_000_000 / (opusMicros * 50));
  }

  // ---- receive path allocation ----

  /**
   * Bytes allocated per received packet by every thread but the sender: wavoice's receive path (RTP
   * thread, reorder, decode, 20 ms frames), and for comparison a bare receive loop on a virtual thread.
   */
  static void receiveAllocation() throws Exception {
    System.out.println("## Allocation per received packet (100 000 packets to one call, all threads but the sender)");
    System.out.println();
    System.out.println("| receive path | bytes per packet |");
    System.out.println("|---|---|");
    for (AudioCodec codec : AudioCodec.values()) {
      AudioSettings defaults = AudioSettings.defaults();
      AudioSettings settings = new AudioSettings(InetAddress.getLoopbackAddress(), freeRange(2),
          defaults.reorderDepthFrames(), defaults.rtcpInterval(), defaults.outboundQueueFrames(),
          defaults.opusBitrateBps(), defaults.opusComplexity());
      AudioPlane plane = new AudioPlane(settings, new Pacer(MonotonicClock.system()), Clock.systemUTC(), MonotonicClock.system());
      try (CallAudio audio = plane.open(new CallId("alloc-" + codec), codec)) {
        audio.attach((frame, off, len) -> { });
        byte[] payload = codec == AudioCodec.PCMU ? new byte[160] : opusPacket();
        int payloadType = codec.payloadType();
        double perPacket = blast(audio.localAddress(), payloadType, codec.samplesPerFrame(), payload,
            () -> audio.stats().inbound().packets());
        System.out.printf("| wavoice %s (RTP thread → reorder → decode → frames) | %.1f |%n", codec, perPacket);
      }
    }
    try (java.nio.channels.DatagramChannel bare = java.nio.channels.DatagramChannel.open()
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      AtomicLong received = new AtomicLong();
      Thread.ofVirtual().start(() -> {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(2048);
        try {
          while (true) {
            buffer.clear();
            bare.receive(buffer);
            received.incrementAndGet();
          }
        } catch (IOException closed) {
          // done
        }
      });
      double perPacket = blast((InetSocketAddress) bare.getLocalAddress(), 0, 160, new byte[160], received::get);
      System.out.printf("| bare receive loop on a virtual thread (JDK only) | %.1f |%n", perPacket);
    }
    System.out.println();
  }

  private static double blast(InetSocketAddress to, int payloadType, int samplesPerFrame, byte[] payload,
      java.util.function.LongSupplier receivedCount) throws Exception {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    byte[] packet = new byte[12 + payload.length];
    System.arraycopy(payload, 0, packet, 12, payload.length);
    java.nio.ByteBuffer wire = java.nio.ByteBuffer.allocateDirect(2048);
    double result = 0;
    try (java.nio.channels.DatagramChannel tx = java.nio.channels.DatagramChannel.open()
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int seq = 0;
      for (int round = 0; round < 3; round++) { // the first two warm up the JIT
        long total0 = threads.getTotalThreadAllocatedBytes();
        long own0 = threads.getCurrentThreadAllocatedBytes();
        long received0 = receivedCount.getAsLong();
        for (int i = 0; i < 100_000; i++, seq++) {
          dev.wavoice.audio.RtpHeader.write(packet, 0, false, payloadType, seq & 0xFFFF, (long) samplesPerFrame * seq, 0x1234);
          wire.clear();
          wire.put(packet).flip();
          tx.send(wire, to);
          if ((i & 63) == 0) {
            Thread.sleep(1); // let the receiver keep up: no drops in the socket buffer
          }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (receivedCount.getAsLong() - received0 < 100_000 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        long received = receivedCount.getAsLong() - received0;
        long others = (threads.getTotalThreadAllocatedBytes() - total0) - (threads.getCurrentThreadAllocatedBytes() - own0);
        result = others / (double) Math.max(1, received);
      }
    }
    return result;
  }

  private static byte[] opusPacket() {
    short[] pcm = new short[960];
    for (int i = 0; i < 960; i++) {
      pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
    }
    byte[] out = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
    return java.util.Arrays.copyOf(out, new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 20_000, 3).encode(pcm, 0, out, 0));
  }

  // ---- pacer under load ----

  static String load(AudioCodec codec, int callCount, int seconds) throws Exception {
    Process peerProcess = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), RtpLoadPeer.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader peerOut = new BufferedReader(new InputStreamReader(peerProcess.getInputStream()));
    PrintWriter peerIn = new PrintWriter(peerProcess.getOutputStream(), true);
    int peerPort = Integer.parseInt(peerOut.readLine().split(" ")[1]);
    InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort);

    MonotonicClock clock = MonotonicClock.system();
    Pacer pacer = new Pacer(clock);
    TickRecorder ticks = new TickRecorder();
    pacer.observeTicks(ticks);
    pacer.start();
    AudioSettings defaults = AudioSettings.defaults();
    AudioSettings settings = new AudioSettings(InetAddress.getLoopbackAddress(), freeRange(callCount + 10),
        defaults.reorderDepthFrames(), defaults.rtcpInterval(), defaults.outboundQueueFrames(),
        defaults.opusBitrateBps(), defaults.opusComplexity());
    AudioPlane plane = new AudioPlane(settings, pacer, Clock.systemUTC(), clock);

    System.gc();
    long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    List<CallAudio> calls = new ArrayList<>();
    AtomicLong inboundFrames = new AtomicLong();
    StringBuilder ports = new StringBuilder();
    for (int i = 0; i < callCount; i++) {
      CallAudio audio = plane.open(new CallId("bench-" + i), codec);
      audio.attach((frame, off, len) -> inboundFrames.incrementAndGet());
      audio.start(peer);
      calls.add(audio);
      ports.append(' ').append(audio.localAddress().getPort());
    }
    peerIn.println("START " + codec.name().toLowerCase() + ports);
    Thread openAi = Thread.ofPlatform().name("bench-openai").daemon(true).start(() -> speak(codec, calls));

    Thread.sleep(WARMUP_SECONDS * 1000L); // a benchmark, not a test: real time is what is measured
    System.gc();
    long heapPerCall = (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - heapBefore) / callCount;

    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long pacerThread = pacerThreadId();
    PacerStats before = pacer.stats();
    ticks.reset();
    peerIn.println("MEASURE");
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    long pacerCpu0 = threads.getThreadCpuTime(pacerThread);
    long pacerAlloc0 = threads.getThreadAllocatedBytes(pacerThread);
    long[] gc0 = gcPauses();
    Thread.sleep(seconds * 1000L);
    long[] gc = gcPauses();
    long wall = System.nanoTime() - wall0;
    long cpu = os.getProcessCpuTime() - cpu0;
    long pacerCpu = threads.getThreadCpuTime(pacerThread) - pacerCpu0;
    long pacerAlloc = threads.getThreadAllocatedBytes(pacerThread) - pacerAlloc0;
    PacerStats after = pacer.stats();
    peerIn.println("STOP");
    Map<String, String> result = parseResult(peerOut.readLine());
    TickRecorder.Snapshot t = ticks.snapshot();

    openAi.interrupt();
    calls.forEach(CallAudio::close);
    pacer.stop();
    peerProcess.destroy();
    peerProcess.waitFor();

    long tickCount = after.ticks() - before.ticks();
    return String.format("| %s | %d | %d / %d / %d | %d | %d | %s / %s / %s | %s | %s | %.2f | %.1f | %.1f | %d | %d, %d | %s |",
        codec, callCount, t.p50Micros, t.p99Micros, t.maxMicros, after.skippedTicks() - before.skippedTicks(), t.bursts,
        result.get("gapP50us"), result.get("gapP99us"), result.get("gapMaxUs"), result.get("bursts"), result.get("sequenceBreaks"),
        100.0 * cpu / wall / callCount, pacerCpu / 1000.0 / tickCount, pacerAlloc / (double) tickCount, heapPerCall / 1024,
        gc[0] - gc0[0], gc[1] - gc0[1], loadAverage());
  }

  /** "OpenAI": every 2.5 s each call gets 2 s of audio at once, in 8 deltas (faster than real time). */
  static void speak(AudioCodec codec, List<CallAudio> calls) {
    int bytesPerMs = codec == AudioCodec.PCMU ? 8 : 48;
    byte[] delta = new byte[250 * bytesPerMs];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = codec == AudioCodec.PCMU ? (byte) (i % 100) : (byte) (i % 2 == 0 ? (i * 37) : ((i / 50) % 16));
    }
    long[] next = new long[calls.size()];
    long start = System.nanoTime();
    for (int c = 0; c < calls.size(); c++) {
      next[c] = start + ThreadLocalRandom.current().nextLong(2_500_000_000L); // spread the calls out
    }
    int item = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long now = System.nanoTime();
      for (int c = 0; c < calls.size(); c++) {
        if (now - next[c] >= 0) {
          String itemId = "item_" + item++;
          try {
            for (int d = 0; d < 8; d++) {
              calls.get(c).outbound().enqueue(itemId, delta);
            }
            calls.get(c).outbound().end(itemId);
          } catch (RuntimeException closed) {
            return;
          }
          next[c] += 2_500_000_000L;
        }
      }
      LockSupport.parkNanos(10_000_000L);
    }
  }

  /** Records the pacer's tick times on the pacer thread, allocation-free. */
  static final class TickRecorder implements java.util.function.LongConsumer {
    record Snapshot(long p50Micros, long p99Micros, long maxMicros, long bursts) {}

    private final Histogram jitterMicros = new Histogram(1, 10_000_000, 3);
    private long last;
    private int closeGaps;
    private long bursts;

    @Override
    public synchronized void accept(long now) {
      if (last != 0) {
        long gap = now - last;
        jitterMicros.recordValue(Math.max(1, Math.abs(gap - FRAME_NANOS) / 1000));
        closeGaps = gap < 5_000_000L ? closeGaps + 1 : 0;
        if (closeGaps == 3) {
          bursts++;
        }
      }
      last = now;
    }

    synchronized void reset() {
      jitterMicros.reset();
      bursts = 0;
      closeGaps = 0;
    }

    synchronized Snapshot snapshot() {
      return new Snapshot(jitterMicros.getValueAtPercentile(50), jitterMicros.getValueAtPercentile(99),
          jitterMicros.getMaxValue(), bursts);
    }
  }

  /** Pauses and their total time in ms, over all collectors (not their concurrent cycles). */
  static long[] gcPauses() {
    long count = 0;
    long millis = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().endsWith(" Cycles")) {
        continue; // ZGC's (and Shenandoah's) concurrent cycles: the threads ran on; their pauses have a bean of their own
      }
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** The 1-minute load average of the machine (other processes share its cores). */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  static long pacerThreadId() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("wavoice-pacer")) {
        return t.threadId();
      }
    }
    throw new IllegalStateException("no pacer thread");
  }

  /** A run of free loopback port pairs below the ephemeral range. */
  static PortRange freeRange(int pairs) {
    return freeRange(pairs, null);
  }

  /**
   * As {@link #freeRange(int)}, apart from {@code avoid} (another process's range, free now only because
   * it binds its ports later), or anywhere when that is null.
   */
  static PortRange freeRange(int pairs, PortRange avoid) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = 20_000 + 2 * ThreadLocalRandom.current().nextInt(4_000);
      if (avoid != null && first <= avoid.last() && first + 2 * pairs - 1 >= avoid.first()) {
        continue;
      }
      List<DatagramSocket> held = new ArrayList<>();
      try {
        for (int port = first; port < first + 2 * pairs; port++) {
          held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
        return new PortRange(first, first + 2 * pairs - 1);
      } catch (SocketException e) {
        // taken: try elsewhere
      } finally {
        held.forEach(DatagramSocket::close);
      }
    }
    throw new IllegalStateException("no free port range");
  }

  static Map<String, String> parseResult(String line) {
    Map<String, String> values = new LinkedHashMap<>();
    if (line == null || !line.startsWith("RESULT")) {
      throw new IllegalStateException("the load peer answered: " + line);
    }
    for (String pair : line.substring(7).split(" ")) {
      String[] kv = pair.split("=", 2);
      values.put(kv[0], kv[1]);
    }
    return values;
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  /** {@code --calls 50,100,200}: the numbers of concurrent calls, one row each. */
  static List<Integer> callCounts(Map<String, String> options) {
    List<Integer> counts = new ArrayList<>();
    for (String n : options.getOrDefault("--calls", "50,100,200").split(",")) {
      counts.add(Integer.parseInt(n));
    }
    return counts;
  }

  /** {@code --codecs pcmu,opus}: the codec modes to measure. */
  static List<AudioCodec> codecs(Map<String, String> options) {
    List<AudioCodec> codecs = new ArrayList<>();
    for (String c : options.getOrDefault("--codecs", "pcmu,opus").split(",")) {
      codecs.add(AudioCodec.fromConfig(c));
    }
    return codecs;
  }

  /** The machine section every benchmark report starts with: date, cores, memory, CPU, JDK, heap. */
  static void printMachine() {
    System.out.println("## Machine");
    System.out.println();
    System.out.println("- date: " + LocalDate.now());
    System.out.println("- cores: " + Runtime.getRuntime().availableProcessors() + ", memory: "
        + ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / (1 << 20) + " MiB"
        + ", CPU: " + cpuModel());
    System.out.println("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
  }
}
