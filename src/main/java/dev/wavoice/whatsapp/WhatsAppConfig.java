package dev.wavoice.whatsapp;

import dev.wavoice.ConfigValues;
import dev.wavoice.RequiredSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
  private volatile GraphSettings graph;
  private volatile WebhookSettings webhook;

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

  /** Reads and checks the Graph and webhook settings at deploy: a bad value fails the deploy naming its key. */
  void checkAtDeploy(@Observes @Initialized(ApplicationScoped.class) Object started) {
    graph();
    webhook();
  }

  /** The Graph API settings, read and checked once (configuration is immutable while the app runs). */
  public GraphSettings graph() {
    GraphSettings current = graph;
    if (current == null) {
      Function<String, Optional<String>> lookup = ConfigValues.lookup(config);
      current = new GraphSettings(
          text(GRAPH_BASE_URL).orElse("https://graph.facebook.com"),
          text(GRAPH_VERSION).orElse("v23.0"),
          text(PHONE_NUMBER_ID).orElse(""),
          text(ACCESS_TOKEN).orElse(""),
          Duration.ofMillis(ConfigValues.atLeast(lookup, TIMEOUT_MS, 5000, 1)),
          ConfigValues.intAtLeast(lookup, MAX_RETRIES, 3, 0),
          Duration.ofMillis(ConfigValues.atLeast(lookup, RETRY_BASE_MS, 250, 0)),
          Duration.ofMillis(ConfigValues.atLeast(lookup, END_BUDGET_MS, GraphSettings.DEFAULT_END_BUDGET.toMillis(), 1)));
      graph = current;
    }
    return current;
  }

  /** The webhook settings, read and checked once. */
  public WebhookSettings webhook() {
    WebhookSettings current = webhook;
    if (current == null) {
      Function<String, Optional<String>> lookup = ConfigValues.lookup(config);
      current = new WebhookSettings(ConfigValues.intAtLeast(lookup, MAX_BODY_BYTES, 1_048_576, 1), Duration.ofSeconds(ConfigValues.atLeast(lookup, DEDUP_WINDOW_SECONDS, 600, 1)));
      webhook = current;
    }
    return current;
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
