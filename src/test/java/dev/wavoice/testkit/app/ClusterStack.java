package dev.wavoice.testkit.app;

import dev.wavoice.testkit.Ports;
import dev.wavoice.testkit.db.RealPostgres;
import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Two members of one wavoice cluster: the WAR on two Payara Micro processes forming one data grid on
 * loopback, sharing a real PostgreSQL, one Kurento (the KMS double: callers connect as soon as their
 * endpoint is negotiated) and the doubles of Meta and OpenAI. Each member has its own instance tag.
 * Started once per test run for the tests that ask for it; a test may kill member {@link #a} and start
 * it again (it rejoins the grid).
 */
public final class ClusterStack implements AutoCloseable {

  public static final String TAG_A = "it-cluster-a";
  public static final String TAG_B = "it-cluster-b";
  private static final String CLUSTER_NAME = "wavoice-it";

  public final WhatsAppCloudDouble whatsapp;
  public final OpenAiRealtimeDouble openai;
  public final KmsDouble kms;
  public final RealPostgres postgres;
  public final PayaraApp a;
  public final PayaraApp b;

  private ClusterStack(WhatsAppCloudDouble whatsapp, OpenAiRealtimeDouble openai, KmsDouble kms, RealPostgres postgres,
      PayaraApp a, PayaraApp b) {
    this.whatsapp = whatsapp;
    this.openai = openai;
    this.kms = kms;
    this.postgres = postgres;
    this.a = a;
    this.b = b;
  }

  static ClusterStack start() {
    return start(Map.of());
  }

  /** This stack with {@code extraEnv} added to both members' configuration (the benchmarks' call limits). */
  public static ClusterStack start(Map<String, String> extraEnv) {
    WhatsAppCloudDouble whatsapp = DoublesStack.startWhatsApp();
    OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(DoublesStack.OPENAI_API_KEY);
    KmsDouble kms = KmsDouble.start(KmsDouble.Options.defaults().autoConnectCallers(true).callerToneHz(440));
    RealPostgres postgres = null;
    try {
      postgres = RealPostgres.start();
      int gridA = Ports.freeTcpPort();
      int gridB = Ports.freeTcpPort();
      String members = "tcpip:127.0.0.1:" + gridA + ",127.0.0.1:" + gridB;
      Map<String, String> envA = env(whatsapp, openai, kms, postgres, "cluster-a", TAG_A);
      Map<String, String> envB = env(whatsapp, openai, kms, postgres, "cluster-b", TAG_B);
      envA.putAll(extraEnv);
      envB.putAll(extraEnv);
      // both at once: each waits for the other to form the grid anyway
      CompletableFuture<PayaraApp> a = CompletableFuture.supplyAsync(
          () -> PayaraApp.startMember("cluster-a", envA, clusterArgs(members, gridA)));
      CompletableFuture<PayaraApp> b = CompletableFuture.supplyAsync(
          () -> PayaraApp.startMember("cluster-b", envB, clusterArgs(members, gridB)));
      try {
        return new ClusterStack(whatsapp, openai, kms, postgres, a.join(), b.join());
      } catch (CompletionException e) {
        a.thenAccept(PayaraApp::close);
        b.thenAccept(PayaraApp::close);
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    } catch (RuntimeException e) {
      if (postgres != null) {
        postgres.close();
      }
      kms.close();
      whatsapp.close();
      openai.close();
      throw e;
    }
  }

  private static Map<String, String> env(WhatsAppCloudDouble whatsapp, OpenAiRealtimeDouble openai, KmsDouble kms,
      RealPostgres postgres, String name, String tag) {
    Map<String, String> env = DoublesStack.appEnv(whatsapp, openai.url(), openai.apiUrl(), kms.url(),
        PayaraApp.workDir(name).resolve("data"));
    env.put("WAVOICE_CLUSTER_ENABLED", "true");
    env.put("WAVOICE_DB_URL", postgres.jdbcUrl());
    env.put("WAVOICE_DB_USER", postgres.user());
    env.put("WAVOICE_KURENTO_INSTANCE_TAG", tag);
    env.put("WAVOICE_CALLS_ACCEPT_WITHOUT_MEDIA_AFTER_MS", "0");
    return env;
  }

  /** Payara Micro's flags for one member of the grid on loopback (docs/scaling.md). */
  private static List<String> clusterArgs(String members, int ownGridPort) {
    return List.of("--clustername", CLUSTER_NAME, "--clustermode", members, "--startport", Integer.toString(ownGridPort),
        "--interfaces", "127.0.0.1", "--nohostaware");
  }

  public WebhookSender webhooks(PayaraApp member) {
    return whatsapp.webhooks(member.uri("/webhook"), DoublesStack.APP_SECRET);
  }

  public AdminClient admin(PayaraApp member) {
    return new AdminClient(member, DoublesStack.ADMIN_TOKEN);
  }

  @Override
  public void close() {
    a.close();
    b.close();
    postgres.close();
    kms.close();
    whatsapp.close();
    openai.close();
  }
}
