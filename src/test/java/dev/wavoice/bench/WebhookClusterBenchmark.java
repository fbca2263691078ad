package dev.wavoice.bench;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.ClusterStack;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.PayaraApp;
import dev.wavoice.testkit.db.RealPostgres;
import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Webhook handling across two clustered instances, and on one instance for comparison: the WAR on two
 * Payara Micro members forming one data grid on loopback (or one Payara Micro alone), a real PostgreSQL,
 * the KMS double (callers connect and send a tone) and the doubles of Meta and OpenAI in this JVM.
 *
 * <p>Per mode: warm-up calls; a ramp of {@code --live} calls connecting {@code --rate} per second; then
 * {@code --seconds} of steady churn at the same rate: each tick a new call's {@code connect} (to the
 * members by turns), the oldest live call's {@code terminate} (by turns to the member holding the call
 * and to the other, which hands it over), and every {@code --dup-every}-th tick the redelivery of a
 * recent {@code connect} to the member that did not take it (the cluster's de-duplication must reject
 * it). Every webhook's ack (the POST's round trip at the sender, signing left out) is timed; afterwards
 * every call's record, Meta's double and the KMS double say whether each call was answered once and
 * ended by its terminate.
 *
 * <p>{@code java ... dev.wavoice.bench.WebhookClusterBenchmark [--modes single,cluster] [--live 100]
 * [--rate 20] [--seconds 20] [--warmup-calls 40] [--dup-every 4]
 * [--profile DIR]} (a flight recording of each member over the churn) {@code [--nice N]} (the load
 * generator's threads, all but the senders and the schedule, at nice value N once the app is up)
 * {@code [--http-threads N]} (one instance's HTTP pool fixed at N threads) (docs/performance.md).
 */
public final class WebhookClusterBenchmark {

  private static final Duration WAIT = Duration.ofSeconds(120);

  /** One wavoice deployment under test: one or two members and the doubles they share. */
  private record Target(String mode, List<PayaraApp> members, WhatsAppCloudDouble whatsapp, KmsDouble kms,
      List<WebhookSender> senders, AdminClient admin, AutoCloseable closer) {}

  /** One call of the run: where its connect went (that member holds it). */
  private record Call(String id, int owner) {}

  /** Ack times (ns) of one kind of delivery. */
  private static final class Acks {
    final Queue<Long> nanos = new ConcurrentLinkedQueue<>();
    final AtomicInteger non200 = new AtomicInteger();

    void add(long ns, int status) {
      nanos.add(ns);
      if (status != 200) {
        non200.incrementAndGet();
      }
    }

    String row() {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return "– | –";
      }
      return "%s / %s / %s | %d%s".formatted(ms(pct(sorted, 50)), ms(pct(sorted, 99)), ms(sorted[sorted.length - 1]),
          sorted.length, non200.get() == 0 ? "" : " (" + non200.get() + " not 200)");
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>(Map.of("--modes", "single,cluster", "--live", "100", "--rate", "20",
        "--seconds", "20", "--warmup-calls", "40", "--dup-every", "4", "--profile", "", "--nice", "0",
        "--http-threads", "0"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      options.put(args[i], args[i + 1]);
    }
    int live = Integer.parseInt(options.get("--live"));
    int rate = Integer.parseInt(options.get("--rate"));
    int seconds = Integer.parseInt(options.get("--seconds"));
    int warmup = Integer.parseInt(options.get("--warmup-calls"));
    int dupEvery = Integer.parseInt(options.get("--dup-every"));
    FlightRecordings profile = FlightRecordings.from(options.get("--profile").isEmpty() ? null : options.get("--profile"));
    int nice = Integer.parseInt(options.get("--nice"));
    int httpThreads = Integer.parseInt(options.get("--http-threads"));
    Map<String, String> extraEnv = Map.of(
        // room for the live calls and the churn's overlap on each member
        "WAVOICE_CALLS_MAX_ACTIVE", Integer.toString(2 * live + 50),
        "WAVOICE_CALLS_MEDIA_TIMEOUT_SECONDS", "30");

    List<String> rows = new ArrayList<>();
    for (String mode : options.get("--modes").split(",")) {
      System.out.println("== " + mode + ": starting");
      try (Senders senders = new Senders()) {
        Target target = "cluster".equals(mode) ? cluster(extraEnv, senders) : single(extraEnv, senders, httpThreads);
        try {
          if (nice > 0) {
            // everything of this JVM but the senders: the doubles, the KMS double's callers, their clients
            int lowered = LoadPriority.lowerAllBut(nice, senders::keeps);
            System.out.println("== " + mode + ": " + lowered + " threads of the load generator at nice " + nice);
          }
          rows.add(run(target, live, rate, seconds, warmup, dupEvery, profile, senders));
        } finally {
          target.closer().close();
        }
      }
    }
    System.out.println();
    System.out.println("| mode | connect ack p50 / p99 / max (ms) | connects | terminate on the owner ack p50 / p99 / max (ms) | terminates |"
        + " terminate on the other member (hand-off) ack p50 / p99 / max (ms) | terminates | redelivered connect ack p50 / p99 / max (ms) |"
        + " redeliveries | redeliveries rejected | connect → accept p50 / p99 (ms) | calls answered once / ended by their terminate |"
        + " pipelines left | app CPU (% of a core, each member) | Graph / KMS protocol violations | load average |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static String run(Target t, int live, int rate, int seconds, int warmup, int dupEvery, FlightRecordings profile,
      Senders pool) throws Exception {
    long tickNanos = 1_000_000_000L / rate;
    Map<String, Long> connectSent = new java.util.concurrent.ConcurrentHashMap<>();
    Queue<Long> connectToAccept = new ConcurrentLinkedQueue<>();
    t.whatsapp().observeRequests(r -> {
      if ("accept".equals(r.action()) && r.status() / 100 == 2 && r.callId() != null) {
        Long sent = connectSent.get(r.callId());
        if (sent != null) {
          connectToAccept.add(System.nanoTime() - sent);
        }
      }
    });
    int members = t.members().size();
    List<Call> all = new ArrayList<>();
    java.util.ArrayDeque<Call> liveCalls = new java.util.ArrayDeque<>();

    // warm-up: JIT, pools, first connections; its figures are dropped
    System.out.println("== " + t.mode() + ": " + warmup + " warm-up calls");
    Acks ignore = new Acks();
    List<Call> warm = new ArrayList<>();
    try (Senders.Batch senders = pool.batch()) {
      long next = System.nanoTime();
      for (int i = 0; i < warmup; i++) {
        next = waitUntil(next, tickNanos);
        Call c = newCall(i % members);
        warm.add(c);
        senders.submit(() -> send(t, c.owner(), connect(c), ignore));
      }
    }
    awaitAccepted(t, warm);
    try (Senders.Batch senders = pool.batch()) {
      for (Call c : warm) {
        senders.submit(() -> send(t, (c.owner() + 1) % members, terminate(c), ignore));
      }
    }
    awaitEnded(t, warm);

    Acks connects = new Acks();
    Acks terminatesOwner = new Acks();
    Acks terminatesOther = new Acks();
    Acks redeliveries = new Acks();
    System.out.println("== " + t.mode() + ": ramp to " + live + " live calls at " + rate + " per s");
    try (Senders.Batch senders = pool.batch()) {
      long next = System.nanoTime();
      for (int i = 0; i < live; i++) {
        next = waitUntil(next, tickNanos);
        Call c = newCall(i % members);
        all.add(c);
        liveCalls.add(c);
        connectSent.put(c.id(), System.nanoTime());
        senders.submit(() -> send(t, c.owner(), connect(c), connects));
      }
    }
    awaitAccepted(t, all);
    connectToAccept.clear(); // the steady state's only

    System.out.println("== " + t.mode() + ": " + seconds + " s of churn (a connect and a terminate each tick)");
    Map<String, Long> jvms = new java.util.LinkedHashMap<>();
    for (int m = 0; m < members; m++) {
      jvms.put("member" + m, t.members().get(m).pid());
    }
    profile.start(jvms);
    long[] cpuBefore = cpu(t);
    long started = System.nanoTime();
    try (Senders.Batch senders = pool.batch()) {
      long next = System.nanoTime();
      for (int i = 0; i < seconds * rate; i++) {
        next = waitUntil(next, tickNanos);
        Call c = newCall(i % members);
        all.add(c);
        connectSent.put(c.id(), System.nanoTime());
        senders.submit(() -> send(t, c.owner(), connect(c), connects));
        Call old = liveCalls.poll();
        liveCalls.add(c);
        boolean toOwner = members == 1 || i % 2 == 0;
        int to = toOwner ? old.owner() : (old.owner() + 1) % members;
        Acks kind = toOwner ? terminatesOwner : terminatesOther;
        senders.submit(() -> send(t, to, terminate(old), kind));
        if (i % dupEvery == 0) {
          // a connect from a second ago (answered by now), redelivered where it did not go
          Call again = all.get(all.size() - 1 - Math.min(rate, all.size() - 1));
          senders.submit(() -> send(t, (again.owner() + 1) % members, connect(again), redeliveries));
        }
      }
    }
    double wallSeconds = (System.nanoTime() - started) / 1e9;
    long[] cpuAfter = cpu(t);
    profile.stop(jvms, t.members().size() == 1 ? "single" : "cluster");
    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    long[] acceptLatency = connectToAccept.stream().mapToLong(Long::longValue).sorted().toArray();

    System.out.println("== " + t.mode() + ": ending the last " + liveCalls.size() + " calls");
    awaitAccepted(t, new ArrayList<>(liveCalls));
    try (Senders.Batch senders = pool.batch()) {
      for (Call c : liveCalls) {
        senders.submit(() -> send(t, c.owner(), terminate(c), new Acks()));
      }
    }
    awaitEnded(t, all);
    int answeredOnce = 0;
    int endedByTerminate = 0;
    for (Call c : all) {
      List<String> actions = t.whatsapp().acceptedActions(c.id());
      if (actions.stream().filter("accept"::equals).count() == 1 && actions.stream().filter("pre_accept"::equals).count() == 1) {
        answeredOnce++;
      }
      if ("REMOTE_TERMINATE".equals(record(t, c).getString("endReason", ""))) {
        endedByTerminate++;
      }
    }
    Await.until(WAIT, "the pipelines released", () -> t.kms().pipelines().isEmpty());
    int redelivered = redeliveries.nanos.size();
    // a redelivery is rejected when its call was still answered exactly once (checked for every call above)
    int rejected = answeredOnce == all.size() ? redelivered : -1;
    StringBuilder cpu = new StringBuilder();
    for (int m = 0; m < cpuBefore.length; m++) {
      cpu.append(m == 0 ? "" : ", ").append("%.0f".formatted((cpuAfter[m] - cpuBefore[m]) / 1e9 / wallSeconds * 100));
    }
    return "| %s | %s | %s | %s | %s | %d | %s / %s | %d of %d / %d of %d | %d | %s | %d / %d | %s |".formatted(
        t.mode(), connects.row(), terminatesOwner.row(), members == 1 ? "– | –" : terminatesOther.row(), redeliveries.row(),
        rejected, ms(pct(acceptLatency, 50)), ms(pct(acceptLatency, 99)), answeredOnce, all.size(), endedByTerminate, all.size(),
        t.kms().pipelines().size(), cpu, t.whatsapp().violations().size(), t.kms().protocolViolations().size(), load);
  }

  private static Call newCall(int owner) {
    return new Call("wacid.WHB" + UUID.randomUUID().toString().replace("-", ""), owner);
  }

  private static String connect(Call c) {
    return Fixtures.withCallId("webhook-connect-user-initiated.json", c.id());
  }

  private static String terminate(Call c) {
    return Fixtures.withCallId("webhook-terminate-completed.json", c.id());
  }

  /** Sends one webhook; its ack is the POST's round trip (signing and the doubles' bookkeeping left out). */
  private static void send(Target t, int member, String body, Acks acks) {
    long[] roundTrip = new long[1];
    HttpResponse<String> response = t.senders().get(member).send(body, nanos -> roundTrip[0] = nanos);
    acks.add(roundTrip[0], response.statusCode());
  }

  /**
   * The threads that send the webhooks and read their answers: a fixed pool started before anything is
   * lowered ({@code --nice}), with an HTTP client of its own (its selector thread and executor), so
   * what is timed runs at the app's priority while the rest of the load generator yields.
   */
  private static final class Senders implements AutoCloseable {
    private static final int THREADS = 64;
    private static final String SENDER = "ack-sender-";
    private static final String CLIENT = "ack-client-";

    final ThreadPoolExecutor sending = started(THREADS, SENDER);
    final ThreadPoolExecutor clientThreads = started(4, CLIENT);
    final java.util.Set<String> before = threadNames();
    final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(clientThreads).build();
    /** The client's own selector thread, named by the JDK. */
    final java.util.Set<String> selector = threadNames().stream().filter(n -> !before.contains(n)).collect(java.util.stream.Collectors.toSet());

    private static ThreadPoolExecutor started(int threads, String prefix) {
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
          r -> new Thread(r, prefix + count.incrementAndGet()));
      pool.prestartAllCoreThreads();
      return pool;
    }

    private static java.util.Set<String> threadNames() {
      return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(java.util.stream.Collectors.toSet());
    }

    /** Whether a thread's kernel name (the Java name's first 15 characters) is one of these, or the schedule's ({@code main}). */
    boolean keeps(String kernelName) {
      return kernelName.startsWith("ack-") || kernelName.equals("main") || selector.stream().anyMatch(n -> n.startsWith(kernelName));
    }

    Batch batch() {
      return new Batch();
    }

    /** Sends submitted together; closing waits for all of them. */
    final class Batch implements AutoCloseable {
      private final List<java.util.concurrent.Future<?>> sent = new ArrayList<>();

      void submit(Runnable send) {
        sent.add(sending.submit(send));
      }

      @Override
      public void close() throws Exception {
        for (java.util.concurrent.Future<?> f : sent) {
          f.get();
        }
      }
    }

    @Override
    public void close() {
      http.close();
      sending.shutdownNow();
      clientThreads.shutdownNow();
    }
  }

  /** A load generator's schedule (not a wait for a condition): the next tick's time. */
  private static long waitUntil(long next, long tickNanos) {
    long wait;
    while ((wait = next - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
    return next + tickNanos;
  }

  private static void awaitAccepted(Target t, List<Call> calls) {
    Await.until(WAIT, "accept of all " + calls.size() + " calls",
        () -> calls.stream().allMatch(c -> t.whatsapp().acceptedActions(c.id()).contains("accept")));
  }

  private static void awaitEnded(Target t, List<Call> calls) {
    Await.until(WAIT, "the records of all " + calls.size() + " calls closed",
        () -> calls.stream().allMatch(c -> record(t, c).containsKey("endReason")));
  }

  private static JsonObject record(Target t, Call c) {
    HttpResponse<String> response = t.admin().get("/api/calls/" + c.id());
    return response.statusCode() == 200 ? Fixtures.parse(response.body()) : JsonObject.EMPTY_JSON_OBJECT;
  }

  /** CPU time (ns) of each member's process so far. */
  private static long[] cpu(Target t) {
    return t.members().stream().mapToLong(m -> ProcessHandle.of(m.pid()).flatMap(h -> h.info().totalCpuDuration())
        .map(Duration::toNanos).orElse(0L)).toArray();
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static String ms(long nanos) {
    return "%.1f".formatted(nanos / 1e6);
  }

  private static Target cluster(Map<String, String> extraEnv, Senders senders) {
    ClusterStack stack = ClusterStack.start(extraEnv);
    return new Target("cluster (2 members)", List.of(stack.a, stack.b), stack.whatsapp, stack.kms,
        List.of(stack.whatsapp.webhooks(stack.a.uri("/webhook"), DoublesStack.APP_SECRET, senders.http),
            stack.whatsapp.webhooks(stack.b.uri("/webhook"), DoublesStack.APP_SECRET, senders.http)),
        stack.admin(stack.b), stack);
  }

  /** The cluster's configuration on one Payara Micro without a grid, on the same kind of PostgreSQL. */
  private static Target single(Map<String, String> extraEnv, Senders senders, int httpThreads) {
    WhatsAppCloudDouble whatsapp = DoublesStack.startWhatsApp();
    OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(DoublesStack.OPENAI_API_KEY);
    KmsDouble kms = KmsDouble.start(KmsDouble.Options.defaults().autoConnectCallers(true).callerToneHz(440));
    RealPostgres postgres = RealPostgres.start();
    try {
      Map<String, String> env = DoublesStack.appEnv(whatsapp, openai.url(), openai.apiUrl(), kms.url(),
          PayaraApp.workDir("bench-single").resolve("data"));
      env.put("WAVOICE_DB_URL", postgres.jdbcUrl());
      env.put("WAVOICE_DB_USER", postgres.user());
      env.put("WAVOICE_KURENTO_INSTANCE_TAG", "bench-single");
      env.put("WAVOICE_CALLS_ACCEPT_WITHOUT_MEDIA_AFTER_MS", "0");
      env.putAll(extraEnv);
      // --http-threads N: Payara Micro's HTTP pool fixed at N threads (0: its own default, 2 to 200)
      String pool = "configs.config.server-config.thread-pools.thread-pool.http-thread-pool.";
      PayaraApp app = httpThreads <= 0 ? PayaraApp.start("bench-single", env)
          : PayaraApp.startWithPreboot("bench-single", env, List.of(
              "set " + pool + "max-thread-pool-size=" + httpThreads, "set " + pool + "min-thread-pool-size=" + httpThreads));
      return new Target("one instance", List.of(app), whatsapp, kms, List.of(whatsapp.webhooks(app.uri("/webhook"),
          DoublesStack.APP_SECRET, senders.http)), new AdminClient(app, DoublesStack.ADMIN_TOKEN), () -> {
            app.close();
            postgres.close();
            kms.close();
            whatsapp.close();
            openai.close();
          });
    } catch (RuntimeException e) {
      postgres.close();
      kms.close();
      whatsapp.close();
      openai.close();
      throw e;
    }
  }

  private WebhookClusterBenchmark() {}
}
