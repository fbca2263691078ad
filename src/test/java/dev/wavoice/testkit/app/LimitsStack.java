package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.util.Map;

/**
 * The app with the doubles, like {@link DoublesStack}, but with the call limits short enough to reach in a
 * test: accept without media after 1 s, media deadline 4 s, calls at most 10 s long, a caller silent for
 * 2 s gone. Its own doubles and app, started once per run and shared.
 */
public final class LimitsStack implements AutoCloseable {

  public static final int ACCEPT_WITHOUT_MEDIA_AFTER_MS = 1000;
  public static final int MEDIA_TIMEOUT_SECONDS = 4;
  public static final int MAX_DURATION_SECONDS = 10;
  public static final int INACTIVITY_SECONDS = 2;
  public static final String GREETING = "Hello, you are speaking with the wavoice test agent.";

  public final WhatsAppCloudDouble whatsapp;
  public final OpenAiRealtimeDouble openai;
  /** Kurento: callers connect as soon as their endpoint is negotiated and speak a 440 Hz tone. */
  public final KmsDouble kms;
  public final PayaraApp app;

  private LimitsStack(WhatsAppCloudDouble whatsapp, OpenAiRealtimeDouble openai, KmsDouble kms, PayaraApp app) {
    this.whatsapp = whatsapp;
    this.openai = openai;
    this.kms = kms;
    this.app = app;
  }

  static LimitsStack start() {
    WhatsAppCloudDouble whatsapp = DoublesStack.startWhatsApp();
    OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(DoublesStack.OPENAI_API_KEY);
    // its own candidate port range, apart from the other stack's KMS double
    KmsDouble kms = KmsDouble.start(KmsDouble.Options.defaults().ports(43000, 43999).autoConnectCallers(true).callerToneHz(440));
    try {
      Map<String, String> env = DoublesStack.appEnv(whatsapp, openai.url(), openai.apiUrl(), kms.url(),
          PayaraApp.workDir("limits").resolve("data"));
      env.put("WAVOICE_KURENTO_INSTANCE_TAG", "it-limits-stack");
      env.put("WAVOICE_CALLS_ACCEPT_WITHOUT_MEDIA_AFTER_MS", Integer.toString(ACCEPT_WITHOUT_MEDIA_AFTER_MS));
      env.put("WAVOICE_CALLS_MEDIA_TIMEOUT_SECONDS", Integer.toString(MEDIA_TIMEOUT_SECONDS));
      env.put("WAVOICE_CALLS_MAX_DURATION_SECONDS", Integer.toString(MAX_DURATION_SECONDS));
      env.put("WAVOICE_CALLS_INACTIVITY_SECONDS", Integer.toString(INACTIVITY_SECONDS));
      // a greeting, so the tests see that it waits for media
      env.put("WAVOICE_AGENT_GREETING", GREETING);
      return new LimitsStack(whatsapp, openai, kms, PayaraApp.start("limits", env));
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
