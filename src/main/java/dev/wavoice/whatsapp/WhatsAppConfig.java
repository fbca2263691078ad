package dev.wavoice.whatsapp;

import dev.wavoice.ops.RequiredSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The WhatsApp settings, read from MicroProfile Config ({@code wavoice.whatsapp.*}, env
 * {@code WAVOICE_WHATSAPP_*}). Secrets are only handed to the code that uses them, never logged.
 */
@ApplicationScoped
public class WhatsAppConfig implements RequiredSettings {

  public static final String APP_SECRET = "wavoice.whatsapp.app-secret";
  public static final String VERIFY_TOKEN = "wavoice.whatsapp.verify-token";
  public static final String ACCESS_TOKEN = "wavoice.whatsapp.access-token";
  public static final String PHONE_NUMBER_ID = "wavoice.whatsapp.phone-number-id";
  public static final String GRAPH_BASE_URL = "wavoice.whatsapp.graph-base-url";
  public static final String GRAPH_VERSION = "wavoice.whatsapp.graph-version";
  public static final String TIMEOUT_MS = "wavoice.whatsapp.timeout-ms";
  public static final String MAX_RETRIES = "wavoice.whatsapp.max-retries";
  public static final String RETRY_BASE_MS = "wavoice.whatsapp.retry-base-ms";
  public static final String MAX_BODY_BYTES = "wavoice.webhook.max-body-bytes";
  public static final String DEDUP_WINDOW_SECONDS = "wavoice.webhook.dedup-window-seconds";

  private static final List<String> REQUIRED =
      List.of(APP_SECRET, VERIFY_TOKEN, ACCESS_TOKEN, PHONE_NUMBER_ID);

  private Config config;

  protected WhatsAppConfig() {}

  @Inject
  public WhatsAppConfig(Config config) {
    this.config = config;
  }

  public Optional<String> appSecret() {
    return text(APP_SECRET);
  }

  public Optional<String> verifyToken() {
    return text(VERIFY_TOKEN);
  }

  public GraphSettings graph() {
    return new GraphSettings(
        config.getOptionalValue(GRAPH_BASE_URL, String.class).orElse("https://graph.facebook.com"),
        config.getOptionalValue(GRAPH_VERSION, String.class).orElse("v23.0"),
        text(PHONE_NUMBER_ID).orElse(""),
        text(ACCESS_TOKEN).orElse(""),
        Duration.ofMillis(config.getOptionalValue(TIMEOUT_MS, Long.class).orElse(5000L)),
        config.getOptionalValue(MAX_RETRIES, Integer.class).orElse(3),
        Duration.ofMillis(config.getOptionalValue(RETRY_BASE_MS, Long.class).orElse(250L)));
  }

  public WebhookSettings webhook() {
    return new WebhookSettings(
        config.getOptionalValue(MAX_BODY_BYTES, Integer.class).orElse(1_048_576),
        Duration.ofSeconds(config.getOptionalValue(DEDUP_WINDOW_SECONDS, Long.class).orElse(600L)));
  }

  @Override
  public List<String> missingKeys() {
    List<String> missing = new ArrayList<>();
    for (String key : REQUIRED) {
      if (text(key).isEmpty()) {
        missing.add(key);
      }
    }
    return missing;
  }

  private Optional<String> text(String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
  }
}
