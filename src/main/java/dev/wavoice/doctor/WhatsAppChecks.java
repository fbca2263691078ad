package dev.wavoice.doctor;

import dev.wavoice.whatsapp.GraphErrorKind;
import dev.wavoice.whatsapp.GraphMessages.AppSubscription;
import dev.wavoice.whatsapp.GraphMessages.AppSubscriptions;
import dev.wavoice.whatsapp.GraphMessages.CallingSettings;
import dev.wavoice.whatsapp.GraphMessages.DebugToken;
import dev.wavoice.whatsapp.GraphMessages.GranularScope;
import dev.wavoice.whatsapp.GraphMessages.HealthEntity;
import dev.wavoice.whatsapp.GraphMessages.HealthError;
import dev.wavoice.whatsapp.GraphMessages.PhoneNumber;
import dev.wavoice.whatsapp.GraphMessages.PhoneSettings;
import dev.wavoice.whatsapp.GraphMessages.SubscribedApp;
import dev.wavoice.whatsapp.GraphMessages.SubscribedApps;
import dev.wavoice.whatsapp.GraphMessages.SubscribedField;
import dev.wavoice.whatsapp.GraphMessages.TokenData;
import dev.wavoice.whatsapp.Prerequisite;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Judges what the doctor read from Meta, one check per prerequisite of WhatsApp calling. A check
 * whose read failed is UNKNOWN with the reason. Where Meta itself has refused a call action or a
 * settings change with an error naming the prerequisite (see {@link PrerequisiteSightings}), the check
 * FAILs with the time that was seen, whatever the read says.
 */
final class WhatsAppChecks {

  static final String MESSAGING_SCOPE = "whatsapp_business_messaging";
  static final String MANAGEMENT_SCOPE = "whatsapp_business_management";
  static final Duration EXPIRY_WARNING = Duration.ofDays(7);
  static final Set<String> CALLING_TIERS = Set.of("TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED");
  static final Set<String> LOW_TIERS = Set.of("TIER_50", "TIER_250", "TIER_1K");

  private static final String NEW_TOKEN = "Create a system-user token in Meta Business Suite → Business settings → Users → "
      + "System users → Generate new token, for the app, with whatsapp_business_messaging and "
      + "whatsapp_business_management on this WhatsApp Business Account, and set wavoice.whatsapp.access-token.";

  private final DoctorSettings settings;
  private final PrerequisiteSightings sightings;
  private final Instant now;

  WhatsAppChecks(DoctorSettings settings, PrerequisiteSightings sightings, Instant now) {
    this.settings = settings;
    this.sightings = sightings;
    this.now = now;
  }

  // ---- token

  /** UNKNOWN for a read that failed (with {@code fix}) or could not be made for a missing setting. */
  private static DoctorCheck unread(String id, ReadOutcome<?> read, String fix) {
    if (read.failure() instanceof java.util.concurrent.TimeoutException) {
      return DoctorCheck.unknown(id, read.problem(), "Meta's Graph API did not answer in time: check this server's connection "
          + "to it (wavoice.whatsapp.graph-base-url; the deadline is wavoice.doctor.timeout-ms), then ask again.");
    }
    return DoctorCheck.unknown(id, read.problem(), read.failure() == null
        ? "Set it (see the config check and docs/configuration.md)." : fix);
  }

  DoctorCheck token(ReadOutcome<DebugToken> read) {
    String id = Doctor.TOKEN;
    if (!read.ok() && read.failure() == null) {
      return unread(id, read, "");
    }
    if (!read.ok()) {
      boolean refused = read.graphError().map(e -> e.kind() == GraphErrorKind.ACCESS_TOKEN_REJECTED).orElse(false);
      if (refused && settings.appAccessToken().isEmpty()) {
        // the token inspected itself and Meta refused it: that is the answer
        return DoctorCheck.fail(id, "Meta refused the access token: " + read.problem(), NEW_TOKEN);
      }
      return refused
          ? DoctorCheck.unknown(id, read.problem(), "Meta refused the app access token used to inspect the token: check "
              + "wavoice.whatsapp.app-id and wavoice.whatsapp.app-secret (App Dashboard → App settings → Basic).")
          : unread(id, read, "Check that Meta's Graph API is reachable from this server, then ask again.");
    }
    TokenData data = read.value() == null ? null : read.value().data();
    if (data == null) {
      return DoctorCheck.unknown(id, "debug_token answered without data", "Ask again; if it persists, check the token in "
          + "Meta's Access Token Debugger (developers.facebook.com/tools/debug/accesstoken).");
    }
    if (!Boolean.TRUE.equals(data.isValid())) {
      String why = data.error() == null || data.error().message() == null ? "" : ": " + data.error().message();
      return DoctorCheck.fail(id, "Meta says the access token is not valid" + why, NEW_TOKEN);
    }
    List<String> scopes = data.scopes() == null ? List.of() : data.scopes();
    String who = describeToken(data);
    if (!scopes.contains(MESSAGING_SCOPE)) {
      return DoctorCheck.fail(id, who + " lacks " + MESSAGING_SCOPE + " (scopes: " + String.join(", ", scopes) + ")", NEW_TOKEN);
    }
    if (settings.wabaId().isPresent()) {
      for (GranularScope granted : data.granularScopes() == null ? List.<GranularScope>of() : data.granularScopes()) {
        if (MESSAGING_SCOPE.equals(granted.scope()) && granted.targetIds() != null && !granted.targetIds().isEmpty()
            && !granted.targetIds().contains(settings.wabaId().get())) {
          return DoctorCheck.fail(id, who + " has " + MESSAGING_SCOPE + " only for " + granted.targetIds() + ", not for WABA "
              + settings.wabaId().get(), "In Business settings → System users → Assign assets, give the system user this "
              + "WhatsApp Business Account, then generate a new token and set wavoice.whatsapp.access-token.");
        }
      }
    }
    List<String> warnings = new ArrayList<>();
    if (!scopes.contains(MANAGEMENT_SCOPE)) {
      warnings.add("it lacks " + MANAGEMENT_SCOPE + ", so wavoice cannot read or change the calling settings");
    }
    Long expiresAt = data.expiresAt();
    if (expiresAt != null && expiresAt > 0) {
      Instant expiry = Instant.ofEpochSecond(expiresAt);
      if (!expiry.isAfter(now)) {
        return DoctorCheck.fail(id, who + " expired at " + expiry, NEW_TOKEN);
      }
      if (Duration.between(now, expiry).compareTo(EXPIRY_WARNING) < 0) {
        warnings.add("it expires at " + expiry);
      }
    }
    if (settings.appId().isPresent() && data.appId() != null && !settings.appId().get().equals(data.appId())) {
      warnings.add("it belongs to app " + data.appId() + ", but wavoice.whatsapp.app-id is " + settings.appId().get());
    }
    if (!warnings.isEmpty()) {
      return DoctorCheck.warn(id, who + ", but " + String.join("; ", warnings), NEW_TOKEN);
    }
    return DoctorCheck.pass(id, who + ", " + (expiresAt == null || expiresAt == 0 ? "never expires" : "expires at "
        + Instant.ofEpochSecond(expiresAt)) + "; scopes include " + MESSAGING_SCOPE + " and " + MANAGEMENT_SCOPE);
  }

  private static String describeToken(TokenData data) {
    StringBuilder text = new StringBuilder("valid ");
    text.append(data.type() == null ? "" : data.type().toLowerCase().replace('_', '-') + " ").append("token");
    if (data.application() != null || data.appId() != null) {
      text.append(" of app ").append(Objects.requireNonNullElse(data.application(), ""));
      if (data.appId() != null) {
        text.append(data.application() == null ? "" : " ").append('(').append(data.appId()).append(')');
      }
    }
    return text.toString();
  }

  // ---- phone number

  DoctorCheck phoneNumber(ReadOutcome<PhoneNumber> read) {
    String id = Doctor.PHONE_NUMBER;
    if (!read.ok()) {
      return unread(id, read, "Check wavoice.whatsapp.phone-number-id (WhatsApp Manager → Phone numbers, or App Dashboard → "
          + "WhatsApp → API Setup) and that the token may read it.");
    }
    if (read.value() == null) {
      return DoctorCheck.unknown(id, "the phone number read returned nothing", "Ask again.");
    }
    PhoneNumber number = read.value();
    String name = Objects.requireNonNullElse(number.displayPhoneNumber(), settings.phoneNumberId())
        + (number.verifiedName() == null ? "" : " (" + number.verifiedName() + ")");
    if (!"CLOUD_API".equals(number.platformType())) {
      return DoctorCheck.fail(id, name + " is on platform " + number.platformType() + ", not the Cloud API",
          "Register the number with the Cloud API (POST /<PHONE_NUMBER_ID>/register with the two-step PIN); a number "
              + "in the WhatsApp Business app cannot take API calls.");
    }
    if (!"CONNECTED".equals(number.status())) {
      return DoctorCheck.fail(id, name + " has status " + number.status() + ", not CONNECTED",
          "Finish the number's registration in WhatsApp Manager → Phone numbers (verification, display name, two-step PIN).");
    }
    String health = number.healthStatus() == null ? null : number.healthStatus().canSendMessage();
    String base = name + " is on the Cloud API, CONNECTED"
        + (number.qualityRating() == null ? "" : ", quality " + number.qualityRating());
    if ("BLOCKED".equals(health) || "LIMITED".equals(health)) {
      String errors = healthErrors(number);
      String summary = base + ", but its health is " + health + (errors.isEmpty() ? "" : ": " + errors);
      String fix = "Resolve what Meta lists in health_status (WhatsApp Manager → Phone numbers → the number → Insights"
          + " and Business settings → Security centre)" + solutions(number);
      return "BLOCKED".equals(health) ? DoctorCheck.fail(id, summary, fix) : DoctorCheck.warn(id, summary, fix);
    }
    return DoctorCheck.pass(id, base + (health == null ? "" : ", health " + health));
  }

  private static String healthErrors(PhoneNumber number) {
    List<String> errors = new ArrayList<>();
    for (HealthEntity entity : number.healthStatus().entities() == null ? List.<HealthEntity>of() : number.healthStatus().entities()) {
      for (HealthError error : entity.errors() == null ? List.<HealthError>of() : entity.errors()) {
        errors.add(entity.entityType() + " " + error.errorCode() + " " + error.errorDescription());
      }
    }
    return String.join("; ", errors);
  }

  private static String solutions(PhoneNumber number) {
    List<String> solutions = new ArrayList<>();
    for (HealthEntity entity : number.healthStatus().entities() == null ? List.<HealthEntity>of() : number.healthStatus().entities()) {
      for (HealthError error : entity.errors() == null ? List.<HealthError>of() : entity.errors()) {
        if (error.possibleSolution() != null) {
          solutions.add(error.possibleSolution());
        }
      }
    }
    return solutions.isEmpty() ? "." : ": " + String.join(" ", solutions);
  }

  // ---- messaging limit

  DoctorCheck messagingLimit(ReadOutcome<PhoneNumber> read) {
    String id = Doctor.MESSAGING_LIMIT;
    String fix = "Calling needs a messaging limit of at least 2,000 users a day: verify the business (Business settings → "
        + "Security centre) and keep message quality high until Meta raises the limit (WhatsApp Manager → Phone numbers → "
        + "Messaging limit). Public test numbers are exempt.";
    DoctorCheck check;
    if (!read.ok()) {
      check = unread(id, read, "Ask again once the phone number can be read (see phone-number).");
    } else if (read.value() == null) {
      check = DoctorCheck.unknown(id, "the phone number read returned nothing", "Ask again.");
    } else {
      String tier = read.value().messagingLimitTier();
      if (tier == null) {
        check = DoctorCheck.unknown(id, "Meta did not report messaging_limit_tier for the number", fix);
      } else if (CALLING_TIERS.contains(tier)) {
        check = DoctorCheck.pass(id, "messaging limit " + tier + " (calling needs TIER_2K or more)");
      } else if (LOW_TIERS.contains(tier)) {
        check = DoctorCheck.fail(id, "messaging limit " + tier + " is below the 2,000 calling needs", fix);
      } else {
        check = DoctorCheck.warn(id, "messaging limit " + tier + " is not a tier the doctor knows", fix);
      }
    }
    return sighted(check, Prerequisite.MESSAGING_LIMIT, fix);
  }

  // ---- WABA subscription

  DoctorCheck wabaSubscription(ReadOutcome<SubscribedApps> read) {
    String id = Doctor.WABA_SUBSCRIPTION;
    String fix = "POST /api/doctor/fix/" + id + " (wavoice sends POST /<WABA_ID>/subscribed_apps with its token), or "
        + "App Dashboard → WhatsApp → Configuration: subscribe the app to the WhatsApp Business Account.";
    if (!read.ok() && read.failure() == null) {
      return DoctorCheck.unknown(id, read.problem(),
          "Set wavoice.whatsapp.waba-id (WhatsApp Manager → Account tools, or App Dashboard → WhatsApp → API Setup).");
    }
    if (!read.ok()) {
      return unread(id, read, "Check wavoice.whatsapp.waba-id and that the token has whatsapp_business_management on it, then "
          + "ask again.");
    }
    String waba = settings.wabaId().orElse("?");
    if (settings.appId().isEmpty()) {
      return DoctorCheck.unknown(id, "cannot tell whether our app is among the apps subscribed to WABA " + waba
          + ": wavoice.whatsapp.app-id is not set", "Set wavoice.whatsapp.app-id (App Dashboard → App settings → Basic).");
    }
    String app = settings.appId().get();
    List<SubscribedApp> apps = read.value() == null || read.value().data() == null ? List.of() : read.value().data();
    List<String> names = new ArrayList<>();
    for (SubscribedApp subscribed : apps) {
      if (subscribed == null || subscribed.whatsappBusinessApiData() == null) {
        continue;
      }
      if (app.equals(subscribed.whatsappBusinessApiData().id())) {
        String name = subscribed.whatsappBusinessApiData().name();
        return DoctorCheck.pass(id, "app " + (name == null ? app : name + " (" + app + ")") + " is subscribed to WABA " + waba);
      }
      names.add(subscribed.whatsappBusinessApiData().id());
    }
    return DoctorCheck.fail(id, "app " + app + " is not subscribed to WABA " + waba + " (subscribed: "
        + (names.isEmpty() ? "none" : String.join(", ", names)) + "), so Meta sends it none of the WABA's webhooks", fix);
  }

  // ---- the calls webhook field

  DoctorCheck callsWebhookField(ReadOutcome<AppSubscriptions> read) {
    String id = Doctor.CALLS_WEBHOOK_FIELD;
    String url = settings.webhookUrl().orElse("<public-url>/webhook");
    String fix = "App Dashboard → WhatsApp → Configuration → Webhook: callback URL " + url + " with the verify token "
        + "(wavoice.whatsapp.verify-token), Verify and save; then under Webhook fields subscribe to calls (and messages, "
        + "for call permission replies).";
    DoctorCheck check;
    if (!read.ok()) {
      check = read.failure() == null
          ? DoctorCheck.unknown(id, read.problem(), "Set wavoice.whatsapp.app-id (App Dashboard → App settings → Basic); the app "
              + "secret is already needed by the webhook.")
          : unread(id, read, "Check wavoice.whatsapp.app-id and wavoice.whatsapp.app-secret: the app access token is made of both.");
      return sighted(check, Prerequisite.CALLS_WEBHOOK_FIELD, fix);
    }
    AppSubscription waba = null;
    for (AppSubscription subscription : read.value() == null || read.value().data() == null
        ? List.<AppSubscription>of() : read.value().data()) {
      if (subscription != null && "whatsapp_business_account".equals(subscription.object())) {
        waba = subscription;
      }
    }
    if (waba == null) {
      check = DoctorCheck.fail(id, "the app has no webhook for whatsapp_business_account", fix);
    } else {
      List<String> fields = waba.fields() == null ? List.of()
          : waba.fields().stream().filter(Objects::nonNull).map(SubscribedField::name).toList();
      String seen = "the app's whatsapp_business_account webhook (" + waba.callbackUrl() + ", fields: "
          + (fields.isEmpty() ? "none" : String.join(", ", fields)) + (Boolean.FALSE.equals(waba.active()) ? ", inactive" : "")
          + ")";
      if (!fields.contains("calls")) {
        check = DoctorCheck.fail(id, seen + " does not include calls, so Meta sends no call to this server", fix);
      } else if (Boolean.FALSE.equals(waba.active())) {
        check = DoctorCheck.fail(id, seen + " is not active", fix);
      } else if (settings.webhookUrl().isPresent() && !settings.webhookUrl().get().equals(waba.callbackUrl())) {
        check = DoctorCheck.fail(id, seen + " points at " + waba.callbackUrl() + ", not at " + settings.webhookUrl().get(), fix);
      } else if (settings.webhookUrl().isEmpty()) {
        check = DoctorCheck.warn(id, seen + " includes calls, but wavoice.public-url is not set, so the callback URL was not compared",
            "Set wavoice.public-url to the https base Meta calls.");
      } else if (!fields.contains("messages")) {
        check = DoctorCheck.warn(id, seen + " includes calls but not messages: replies to call permission requests will not arrive",
            fix);
      } else {
        check = DoctorCheck.pass(id, seen + " is active and includes calls");
      }
    }
    return sighted(check, Prerequisite.CALLS_WEBHOOK_FIELD, fix);
  }

  // ---- calling settings

  DoctorCheck callingEnabled(ReadOutcome<PhoneSettings> read) {
    String id = Doctor.CALLING_ENABLED;
    String fix = "POST /api/doctor/fix/" + id + " (wavoice sends POST /<PHONE_NUMBER_ID>/settings with calling.status ENABLED, "
        + "the configured call hours, call icon visibility and callback permission), or WhatsApp Manager → Phone numbers → "
        + "the number → Call settings. Meta refuses it until calls-webhook-field and messaging-limit pass.";
    DoctorCheck check;
    CallingSettings calling = calling(read);
    if (!read.ok()) {
      check = unread(id, read, "Check that the token has whatsapp_business_management, then ask again.");
    } else if (calling == null) {
      check = DoctorCheck.fail(id, "the number has no calling settings", fix);
    } else if ("ENABLED".equals(calling.status())) {
      check = DoctorCheck.pass(id, "calling.status is ENABLED" + callHours(calling));
    } else {
      check = DoctorCheck.fail(id, "calling.status is " + calling.status() + ": WhatsApp shows no call button and sends no calls", fix);
    }
    return sighted(check, Prerequisite.CALLING_ENABLED, fix);
  }

  private static String callHours(CallingSettings calling) {
    if (calling.callHours() == null || !"ENABLED".equals(calling.callHours().status())) {
      return "";
    }
    int windows = calling.callHours().weeklyOperatingHours() == null ? 0 : calling.callHours().weeklyOperatingHours().size();
    return ", call hours ENABLED in " + calling.callHours().timezoneId() + " (" + windows + " weekly windows)";
  }

  DoctorCheck sipDisabled(ReadOutcome<PhoneSettings> read) {
    String id = Doctor.SIP_DISABLED;
    String fix = "Turn SIP off: WhatsApp Manager → Phone numbers → the number → Call settings → SIP, or "
        + "POST /<PHONE_NUMBER_ID>/settings {\"calling\":{\"sip\":{\"status\":\"DISABLED\"}}}. With SIP on, Meta sends no "
        + "call webhooks and refuses the calling API (131055).";
    DoctorCheck check;
    CallingSettings calling = calling(read);
    if (!read.ok()) {
      check = unread(id, read, "Check that the token has whatsapp_business_management, then ask again.");
    } else if (calling != null && calling.sip() != null && "ENABLED".equals(calling.sip().status())) {
      check = DoctorCheck.fail(id, "SIP is ENABLED on the number, which turns off the call webhooks and the calling API", fix);
    } else {
      check = DoctorCheck.pass(id, "SIP is " + (calling == null || calling.sip() == null || calling.sip().status() == null
          ? "off" : calling.sip().status()) + ": calls come as webhooks and are answered through the Graph API");
    }
    return sighted(check, Prerequisite.SIP_DISABLED, fix);
  }

  private static CallingSettings calling(ReadOutcome<PhoneSettings> read) {
    return read.ok() && read.value() != null ? read.value().calling() : null;
  }

  // ---- Meta's own word

  /** FAIL while Meta's error naming this prerequisite stands, with when and where it was seen. */
  private DoctorCheck sighted(DoctorCheck check, Prerequisite prerequisite, String fix) {
    return sightings.latest(prerequisite)
        .map(s -> DoctorCheck.fail(check.id(), "Meta refused " + s.operation() + " with " + s.code() + " at " + s.at()
            + " (" + s.context() + "): " + prerequisite.explanation() + ". Read now: " + check.status() + " — " + check.summary(),
            fix))
        .orElse(check);
  }
}
