package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.util.Map;

/**
 * The app with the doubles, as {@link DoublesStack}, but of its own because its test kills it: the
 * default embedded H2 file in its own data directory (kept across a kill and a start), live calls marked
 * alive every second, and the agent greets the caller. Started once per test run for the tests that ask for it.
 */
public final class CrashStack implements AutoCloseable {

  /** The app's {@code wavoice.kurento.instance-tag}: its pipelines on the KMS double and its records carry it. */
  public static final String KURENTO_INSTANCE_TAG = "it-crash-stack";
  /** The agent greets first, so a call has a transcript line without the caller's turn. */
  public static final String GREETING = "Hello, this is the wavoice agent.";

  public final WhatsAppCloudDouble whatsapp;
  public final OpenAiRealtimeDouble openai;
  /** Kurento: callers connect as soon as their endpoint is negotiated and speak a 440 Hz tone. */
  public final KmsDouble kms;
  public final PayaraApp app;

  private CrashStack(WhatsAppCloudDouble whatsapp, OpenAiRealtimeDouble openai, KmsDouble kms, PayaraApp app) {
    this.whatsapp = whatsapp;
    this.openai = openai;
    this.kms = kms;
    this.app = app;
  }

  static CrashStack start() {
    WhatsAppCloudDouble whatsapp = DoublesStack.startWhatsApp();
    OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(DoublesStack.OPENAI_API_KEY);
    KmsDouble kms = KmsDouble.start(KmsDouble.Options.defaults().autoConnectCallers(true).callerToneHz(440));
    try {
      Map<String, String> env = DoublesStack.appEnv(whatsapp, openai.url(), openai.apiUrl(), kms.url(),
          PayaraApp.workDir("crash").resolve("data"));
      // the default database: the embedded H2 file under the data directory, which only the app opens
      env.remove("WAVOICE_DB_URL");
      env.put("WAVOICE_DATA_DIR", PayaraApp.workDir("crash").resolve("data").toAbsolutePath().toString());
      env.put("WAVOICE_KURENTO_INSTANCE_TAG", KURENTO_INSTANCE_TAG);
      env.put("WAVOICE_CALLS_ALIVE_INTERVAL_SECONDS", "1");
      env.put("WAVOICE_AGENT_GREETING", GREETING);
      env.put("WAVOICE_CALLS_ACCEPT_WITHOUT_MEDIA_AFTER_MS", "0");
      return new CrashStack(whatsapp, openai, kms, PayaraApp.start("crash", env));
    } catch (RuntimeException e) {
      kms.close();
      whatsapp.close();
      openai.close();
      throw e;
    }
  }

  public WebhookSender webhooks() {
    return whatsapp.webhooks(app.uri("/webhook"), DoublesStack.APP_SECRET);
  }

  public AdminClient admin() {
    return new AdminClient(app, DoublesStack.ADMIN_TOKEN);
  }

  @Override
  public void close() {
    app.close();
    kms.close();
    whatsapp.close();
    openai.close();
  }
}
