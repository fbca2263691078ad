package dev.wavoice.doctor;

import dev.wavoice.call.CallRecord;
import dev.wavoice.media.KmsStatus;
import dev.wavoice.realtime.ModelAccessProbe;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.GraphMessages.AppSubscriptions;
import dev.wavoice.whatsapp.GraphMessages.DebugToken;
import dev.wavoice.whatsapp.GraphMessages.PhoneNumber;
import dev.wavoice.whatsapp.GraphMessages.PhoneSettings;
import dev.wavoice.whatsapp.GraphMessages.SubscribedApps;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import dev.wavoice.whatsapp.WebhookTraffic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads the live setup and judges each prerequisite of WhatsApp calling. Every outside read (Meta's
 * Graph API five times, OpenAI once, the call records once) runs in parallel with its own deadline; a read that fails or
 * times out makes only the checks built on it UNKNOWN, with the reason. Nothing here changes anything.
 */
public final class Doctor {

  public static final String CONFIG = "config";
  public static final String TOKEN = "token";
  public static final String PHONE_NUMBER = "phone-number";
  public static final String MESSAGING_LIMIT = "messaging-limit";
  public static final String WABA_SUBSCRIPTION = "waba-subscription";
  public static final String CALLS_WEBHOOK_FIELD = "calls-webhook-field";
  public static final String CALLING_ENABLED = "calling-enabled";
  public static final String SIP_DISABLED = "sip-disabled";
  public static final String WEBHOOK_TRAFFIC = "webhook-traffic";
  public static final String KURENTO = "kurento";
  public static final String OPENAI = "openai";
  public static final String MEDIA_PATH = "media-path";

  /** The phone number fields the doctor reads, in one request. */
  static final String PHONE_FIELDS =
      "id,display_phone_number,verified_name,platform_type,status,quality_rating,messaging_limit_tier,health_status";

  /** Where the doctor looks. */
  public record Sources(
      Supplier<List<String>> missingRequiredKeys,
      WebhookTraffic traffic,
      Instant startedAt,
      Supplier<List<KmsStatus>> kurento,
      Supplier<String> kurentoConfigProblem,
      Supplier<ModelAccessProbe.Target> openai,
      ModelAccessProbe openaiProbe,
      PrerequisiteSightings sightings,
      Supplier<List<CallRecord>> recentCalls) {}

  private final DoctorSettings settings;
  private final GraphApi graph;
  private final Sources sources;
  private final Clock clock;
  private final Executor executor;

  /** {@code graph} is used for reads only; give it a short timeout and no retries, the doctor has its own deadline. */
  public Doctor(DoctorSettings settings, GraphApi graph, Sources sources, Clock clock, Executor executor) {
    this.settings = settings;
    this.graph = graph;
    this.sources = sources;
    this.clock = clock;
    this.executor = executor;
  }

  public DoctorSettings settings() {
    return settings;
  }

  /** Reads everything in parallel and judges it; returns within about one read deadline. */
  public DoctorReport examine() {
    String noGraph = settings.accessToken().isEmpty() ? "wavoice.whatsapp.access-token is not set"
        : settings.phoneNumberId().isEmpty() ? "wavoice.whatsapp.phone-number-id is not set" : null;
    CompletableFuture<ReadOutcome<DebugToken>> token = settings.accessToken().isEmpty()
        ? skipped("wavoice.whatsapp.access-token is not set")
        : read("GET /debug_token", () -> graph.debugToken(settings.accessToken(),
            settings.appAccessToken().orElse(settings.accessToken())));
    CompletableFuture<ReadOutcome<PhoneNumber>> phone = noGraph != null ? skipped(noGraph)
        : read("GET /<PHONE_NUMBER_ID>", () -> graph.phoneNumber(PHONE_FIELDS));
    CompletableFuture<ReadOutcome<SubscribedApps>> apps = settings.accessToken().isEmpty()
        ? skipped("wavoice.whatsapp.access-token is not set")
        : settings.wabaId().isEmpty() ? skipped("wavoice.whatsapp.waba-id is not set")
        : read("GET /<WABA_ID>/subscribed_apps", () -> graph.subscribedApps(settings.wabaId().get()));
    CompletableFuture<ReadOutcome<AppSubscriptions>> subscriptions = settings.appAccessToken().isEmpty()
        ? skipped("wavoice.whatsapp.app-id and wavoice.whatsapp.app-secret are needed to read the app's webhook subscriptions")
        : read("GET /<APP_ID>/subscriptions", () -> graph.appSubscriptions(settings.appId().get(), settings.appAccessToken().get()));
    CompletableFuture<ReadOutcome<PhoneSettings>> calling = noGraph != null ? skipped(noGraph)
        : read("GET /<PHONE_NUMBER_ID>/settings", graph::callingSettings);
    CompletableFuture<ReadOutcome<ModelAccessProbe.Result>> openai = openai();
    CompletableFuture<ReadOutcome<List<CallRecord>>> calls = read("reading the call records",
        () -> sources.recentCalls().get());

    Instant now = clock.instant();
    WhatsAppChecks whatsapp = new WhatsAppChecks(settings, sources.sightings(), now);
    List<DoctorCheck> checks = new ArrayList<>();
    checks.add(ServiceChecks.config(sources.missingRequiredKeys().get(), settings));
    checks.add(whatsapp.token(token.join()));
    ReadOutcome<PhoneNumber> phoneRead = phone.join();
    checks.add(whatsapp.phoneNumber(phoneRead));
    checks.add(whatsapp.messagingLimit(phoneRead));
    checks.add(whatsapp.wabaSubscription(apps.join()));
    checks.add(whatsapp.callsWebhookField(subscriptions.join()));
    ReadOutcome<PhoneSettings> callingRead = calling.join();
    checks.add(whatsapp.callingEnabled(callingRead));
    checks.add(whatsapp.sipDisabled(callingRead));
    checks.add(ServiceChecks.webhookTraffic(sources.traffic(), sources.startedAt(), clock.instant(), settings));
    checks.add(ServiceChecks.kurento(sources.kurento().get(), sources.kurentoConfigProblem().get()));
    checks.add(ServiceChecks.openai(openai.join()));
    checks.add(MediaPathCheck.judge(calls.join()));
    return DoctorReport.of(checks, now);
  }

  private CompletableFuture<ReadOutcome<ModelAccessProbe.Result>> openai() {
    ModelAccessProbe.Target target;
    try {
      target = sources.openai().get();
    } catch (IllegalArgumentException badConfig) {
      return skipped(badConfig.getMessage());
    }
    return read("GET " + target.apiUrl().getHost() + "/models/" + target.model(), () -> {
      try {
        return sources.openaiProbe().check(target, settings.readTimeout());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    });
  }

  private static <T> CompletableFuture<ReadOutcome<T>> skipped(String why) {
    return CompletableFuture.completedFuture(ReadOutcome.skipped(why));
  }

  private <T> CompletableFuture<ReadOutcome<T>> read(String what, Supplier<T> read) {
    long deadlineMs = settings.readTimeout().toMillis();
    return CompletableFuture.supplyAsync(read, executor)
        .orTimeout(deadlineMs, TimeUnit.MILLISECONDS)
        .handle((value, failure) -> failure == null ? ReadOutcome.of(value) : ReadOutcome.failed(describe(what, failure, deadlineMs), cause(failure)));
  }

  private static Throwable cause(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    // our deadline and the HTTP client's request timeout are one setting: whichever fires first, it is one timeout
    if (t.getCause() instanceof HttpTimeoutException http) {
      TimeoutException timeout = new TimeoutException(http.getMessage());
      timeout.initCause(t);
      return timeout;
    }
    return t;
  }

  private static String describe(String what, Throwable failure, long deadlineMs) {
    Throwable t = cause(failure);
    if (t instanceof TimeoutException) {
      return what + ": no answer within " + deadlineMs + " ms";
    }
    if (t instanceof GraphApiException graph) {
      return what + " failed: " + graph.getMessage();
    }
    if (t instanceof UncheckedIOException io) {
      t = io.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    return what + " failed: " + message;
  }
}
