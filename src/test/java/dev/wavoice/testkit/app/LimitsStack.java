package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.util.Map;

/**
 * The {@link DoublesStack} configuration with the call limits short enough to reach in a test: accept
 * without media after 1 s, media deadline 4 s, calls at most 10 s long, a caller silent for 2 s gone, and a
 * greeting. Its own doubles and app (its KMS double on its own port range), started once per run and shared.
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
  private final DoublesStack doubles;

  private LimitsStack(DoublesStack doubles) {
    this.doubles = doubles;
    this.whatsapp = doubles.whatsapp;
    this.openai = doubles.openai;
    this.kms = doubles.kms;
    this.app = doubles.app;
  }

  static LimitsStack start() {
    return new LimitsStack(DoublesStack.start("limits", KmsDouble.Options.defaults().ports(43000, 43999), Map.of(
        "WAVOICE_KURENTO_INSTANCE_TAG", "it-limits-stack",
        "WAVOICE_CALLS_ACCEPT_WITHOUT_MEDIA_AFTER_MS", Integer.toString(ACCEPT_WITHOUT_MEDIA_AFTER_MS),
        "WAVOICE_CALLS_MEDIA_TIMEOUT_SECONDS", Integer.toString(MEDIA_TIMEOUT_SECONDS),
        "WAVOICE_CALLS_MAX_DURATION_SECONDS", Integer.toString(MAX_DURATION_SECONDS),
        "WAVOICE_CALLS_INACTIVITY_SECONDS", Integer.toString(INACTIVITY_SECONDS),
        // a greeting, so the tests see that it waits for media
        "WAVOICE_AGENT_GREETING", GREETING)));
  }

  public WebhookSender webhooks() {
    return doubles.webhooks();
  }

  public AdminClient admin() {
    return doubles.admin();
  }

  @Override
  public void close() {
    doubles.close();
  }
}
