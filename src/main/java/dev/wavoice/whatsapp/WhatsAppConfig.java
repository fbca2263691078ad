package dev.wavoice.whatsapp;

import dev.wavoice.ConfigValues;
import dev.wavoice.RequiredSettings;
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
  public static final String END_BUDGET_MS = "wavoice.whatsapp.end-budget-ms";
  public static final String RETRY_BASE_MS = "wavoice.whatsapp.retry-base-ms";
  public static final String WABA_ID = "wavoice.whatsapp.waba-id";
  public static final String APP_ID = "wavoice.whatsapp.app-id";
  public static final String PUBLIC_URL = "wavoice.public-url";
  public static final String CALL_ICON_VISIBILITY = "wavoice.whatsapp.calling.call-icon-visibility";
  public static final String CALLBACK_PERMISSION = "wavoice.whatsapp.calling.callback-permission";
  public static final String MAX_BODY_BYTES = "wavoice.webhook.max-body-bytes";
  public static final String DEDUP_WINDOW_SECONDS = "wavoice.webhook.dedup-window-seconds";

  private static final List<String> REQUIRED =
      List.of(APP_SECRET, VERIFY_TOKEN, ACCESS_TOKEN, PHONE_NUMBER_ID);

  /** Not needed to answer calls, but the doctor cannot check the subscriptions and the webhook URL without them. */
  private static final List<String> FOR_THE_DOCTOR = List.of(WABA_ID, APP_ID, PUBLIC_URL);

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

  /** The WhatsApp Business Account the phone number belongs to. */
  public Optional<String> wabaId() {
    return text(WABA_ID);
  }

  /** The Meta app whose webhook is this server. */
  public Optional<String> appId() {
    return text(APP_ID);
  }

  /** The https base Meta calls, without a trailing slash; the webhook is {@code <public-url>/webhook}. */
  public Optional<String> publicUrl() {
    return text(PUBLIC_URL).map(u -> u.replaceAll("/+$", ""));
  }

  /** The app access token {@code <app-id>|<app-secret>} (a secret), when both are set. */
  public Optional<String> appAccessToken() {
    return appId().flatMap(id -> appSecret().map(secret -> id + "|" + secret));
  }

  /** {@code call_icon_visibility} for enabling calling: {@code DEFAULT} or {@code DISABLE_ALL}. */
  public String callIconVisibility() {
    return text(CALL_ICON_VISIBILITY).map(String::toUpperCase).orElse("DEFAULT");
  }

  /** {@code callback_permission_status} for enabling calling: {@code ENABLED} or {@code DISABLED}. */
  public String callbackPermission() {
    return text(CALLBACK_PERMISSION).map(String::toUpperCase).orElse("DISABLED");
  }

  /** The keys the doctor needs that are not set. */
  public List<String> missingDoctorKeys() {
    return FOR_THE_DOCTOR.stream().filter(key -> text(key).isEmpty()).toList();
  }

  public GraphSettings graph() {
    return new GraphSettings(
        config.getOptionalValue(GRAPH_BASE_URL, String.class).orElse("https://graph.facebook.com"),
        config.getOptionalValue(GRAPH_VERSION, String.class).orElse("v23.0"),
        text(PHONE_NUMBER_ID).orElse(""),
        text(ACCESS_TOKEN).orElse(""),
        Duration.ofMillis(config.getOptionalValue(TIMEOUT_MS, Long.class).orElse(5000L)),
        config.getOptionalValue(MAX_RETRIES, Integer.class).orElse(3),
        Duration.ofMillis(config.getOptionalValue(RETRY_BASE_MS, Long.class).orElse(250L)),
        Duration.ofMillis(config.getOptionalValue(END_BUDGET_MS, Long.class).orElse(GraphSettings.DEFAULT_END_BUDGET.toMillis())));
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
    return ConfigValues.text(config, key);
  }
}
