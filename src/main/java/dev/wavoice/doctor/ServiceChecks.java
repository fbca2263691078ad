package dev.wavoice.doctor;

import dev.wavoice.ConfigValues;
import dev.wavoice.media.KmsStatus;
import dev.wavoice.realtime.ModelAccessProbe;
import dev.wavoice.whatsapp.WebhookTraffic;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Judges wavoice's own configuration, the webhook traffic it has seen, Kurento and OpenAI. */
final class ServiceChecks {

  private ServiceChecks() {}

  static DoctorCheck config(List<String> missingRequired, DoctorSettings settings) {
    String id = Doctor.CONFIG;
    if (!missingRequired.isEmpty()) {
      return DoctorCheck.fail(id, "required settings are missing: " + String.join(", ", missingRequired),
          "Set " + String.join(", ", missingRequired) + " (as " + envNames(missingRequired)
              + ") and restart wavoice; see docs/configuration.md.");
    }
    if (settings.publicUrl().isPresent()) {
      String url = settings.publicUrl().get();
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        return DoctorCheck.fail(id, "wavoice.public-url '" + url + "' is not a URL", "Set wavoice.public-url to the https base Meta calls.");
      }
      if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        return DoctorCheck.fail(id, "wavoice.public-url '" + url + "' is not an http(s) URL",
            "Set wavoice.public-url to the https base Meta calls, e.g. https://calls.example.com.");
      }
      if (!"https".equals(uri.getScheme())) {
        return DoctorCheck.warn(id, "wavoice.public-url '" + url + "' is not https; Meta only delivers webhooks over https",
            "Serve wavoice behind https and set wavoice.public-url to that https base.");
      }
    }
    if (!settings.missingDoctorKeys().isEmpty()) {
      return DoctorCheck.warn(id, "the required settings are set, but the doctor cannot check everything without "
              + String.join(", ", settings.missingDoctorKeys()),
          "Set " + String.join(", ", settings.missingDoctorKeys()) + " (as " + envNames(settings.missingDoctorKeys()) + ").");
    }
    return DoctorCheck.pass(id, "every required setting is set; WABA " + settings.wabaId().orElse("?") + ", app "
        + settings.appId().orElse("?") + ", webhook " + settings.webhookUrl().orElse("?"));
  }

  private static String envNames(List<String> keys) {
    return String.join(", ", keys.stream().map(ConfigValues::envName).toList());
  }

  static DoctorCheck webhookTraffic(WebhookTraffic traffic, Instant startedAt, Instant now, DoctorSettings settings) {
    String id = Doctor.WEBHOOK_TRAFFIC;
    String url = settings.webhookUrl().orElse("<public-url>/webhook");
    Optional<Instant> signed = traffic.lastSignedDelivery();
    Optional<Instant> verified = traffic.lastVerified();
    Optional<Instant> refused = traffic.lastRefused();
    String verifiedText = verified.map(v -> "; Meta last verified the webhook at " + v).orElse("")
        + unsigned(traffic);
    if (refused.isPresent() && (signed.isEmpty() || refused.get().isAfter(signed.get()))) {
      return DoctorCheck.fail(id, "signed deliveries with a wrong signature were refused (last at " + refused.get() + ")"
          + signed.map(s -> "; the last correctly signed one was at " + s).orElse("; none was correctly signed since start-up"),
          "Set wavoice.whatsapp.app-secret to the secret of the app that owns the webhook (App Dashboard → App settings → "
              + "Basic → App secret).");
    }
    if (signed.isPresent()) {
      return DoctorCheck.pass(id, "the last signed delivery from Meta arrived at " + signed.get() + " ("
          + ago(signed.get(), now) + " ago)" + verifiedText);
    }
    String fix = "Check that Meta can reach " + url + " over https (App Dashboard → WhatsApp → Configuration → Verify and "
        + "save), and that waba-subscription and calls-webhook-field pass. If they do, no one has called or written yet: call "
        + "the number from WhatsApp.";
    if (verified.isPresent()) {
      return DoctorCheck.warn(id, "Meta verified the webhook at " + verified.get() + ", but no signed event has arrived since "
          + "start-up at " + startedAt, fix);
    }
    return DoctorCheck.warn(id, "no webhook from Meta since start-up at " + startedAt + " (" + ago(startedAt, now) + " ago)"
        + unsigned(traffic), fix);
  }

  /** Unsigned POSTs are anyone's, never Meta's: counted for the operator, never a failure. */
  private static String unsigned(WebhookTraffic traffic) {
    long count = traffic.unsignedRefused();
    return count == 0 ? "" : "; " + count + " unsigned POST" + (count == 1 ? " was" : "s were") + " refused (not from Meta"
        + traffic.lastUnsigned().map(at -> ", last at " + at).orElse("") + ")";
  }

  private static String ago(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    return d.toSeconds() < 120 ? d.toSeconds() + " s" : d.toMinutes() < 120 ? d.toMinutes() + " min" : d.toHours() + " h";
  }

  static DoctorCheck kurento(List<KmsStatus> servers, String configProblem) {
    String id = Doctor.KURENTO;
    if (configProblem != null) {
      return DoctorCheck.fail(id, "the Kurento settings are invalid: " + configProblem,
          "Correct wavoice.kurento.* (see docs/configuration.md) and restart wavoice.");
    }
    String fix = "Start the Kurento Media Server (docker compose up kms) and check that wavoice.kurento.url points at it; "
        + "wavoice keeps retrying in the background.";
    if (servers.isEmpty()) {
      return DoctorCheck.fail(id, "no Kurento Media Server is configured", fix);
    }
    List<String> parts = servers.stream().map(ServiceChecks::describe).toList();
    long connected = servers.stream().filter(KmsStatus::connected).count();
    String summary = String.join("; ", parts);
    if (connected == 0) {
      return DoctorCheck.fail(id, "no Kurento Media Server is connected: " + summary, fix);
    }
    if (connected < servers.size()) {
      return DoctorCheck.warn(id, connected + " of " + servers.size() + " Kurento Media Servers connected: " + summary, fix);
    }
    return DoctorCheck.pass(id, summary);
  }

  private static String describe(KmsStatus kms) {
    StringBuilder text = new StringBuilder(kms.url()).append(' ').append(kms.state());
    if (kms.version() != null && !kms.version().isEmpty()) {
      text.append(", Kurento ").append(kms.version());
    }
    if (kms.connected()) {
      text.append(", ").append(kms.openSessions()).append(" calls");
    }
    if (kms.problem() != null && !kms.problem().isEmpty()) {
      text.append(" (").append(kms.problem()).append(')');
    }
    return text.toString();
  }

  static DoctorCheck openai(ReadOutcome<ModelAccessProbe.Result> read) {
    String id = Doctor.OPENAI;
    String newKey = "Set wavoice.openai.api-key to a valid secret key (platform.openai.com → API keys) of a project that may "
        + "use the Realtime model.";
    if (!read.ok()) {
      if (read.failure() == null) {
        return DoctorCheck.fail(id, read.problem(), newKey);
      }
      return DoctorCheck.unknown(id, read.problem(),
          "Check that this server can reach OpenAI (wavoice.openai.url, wavoice.openai.api-url), then ask again.");
    }
    ModelAccessProbe.Result result = read.value();
    String code = result.errorCode() == null ? "" : " " + result.errorCode();
    return switch (result.httpStatus()) {
      case 200 -> DoctorCheck.pass(id, "OpenAI accepted the API key; model " + result.modelId() + " is available"
          + (result.ownedBy() == null ? "" : " (owned by " + result.ownedBy() + ")"));
      case 401 -> DoctorCheck.fail(id, "OpenAI refused the API key (401" + code + ")", newKey);
      case 403 -> DoctorCheck.fail(id, "OpenAI accepted the key but refused access (403" + code + ")",
          "Give the key's project access to the model (platform.openai.com → Settings → Project → Limits), or use another key.");
      case 404 -> DoctorCheck.fail(id, "OpenAI accepted the key, but the model is not available to it (404" + code + ")",
          "Set wavoice.openai.model to a Realtime model this key may use (e.g. gpt-realtime).");
      case 429 -> "insufficient_quota".equals(result.errorCode())
          ? DoctorCheck.fail(id, "OpenAI accepted the key, but its quota is used up (429 insufficient_quota)",
              "Add credit or raise the usage limit (platform.openai.com → Settings → Billing / Limits).")
          : DoctorCheck.warn(id, "OpenAI accepted the key but is rate limiting it (429" + code + ")",
              "Raise the rate limits of the key's project, or ask again later.");
      default -> DoctorCheck.unknown(id, "OpenAI answered HTTP " + result.httpStatus() + code,
          "Ask again later; see status.openai.com.");
    };
  }
}
