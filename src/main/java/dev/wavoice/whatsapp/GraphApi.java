package dev.wavoice.whatsapp;

import static dev.wavoice.whatsapp.GraphMessages.WHATSAPP;

import dev.wavoice.whatsapp.GraphMessages.CallActionRequest;
import dev.wavoice.whatsapp.GraphMessages.CallActionResponse;
import dev.wavoice.whatsapp.GraphMessages.AppSubscriptions;
import dev.wavoice.whatsapp.GraphMessages.CallPermissions;
import dev.wavoice.whatsapp.GraphMessages.DebugToken;
import dev.wavoice.whatsapp.GraphMessages.InteractiveMessageRequest;
import dev.wavoice.whatsapp.GraphMessages.MessagesResponse;
import dev.wavoice.whatsapp.GraphMessages.PhoneNumber;
import dev.wavoice.whatsapp.GraphMessages.PhoneSettings;
import dev.wavoice.whatsapp.GraphMessages.SubscribedApps;
import dev.wavoice.whatsapp.GraphMessages.SuccessResponse;
import dev.wavoice.whatsapp.GraphMessages.TextMessageRequest;
import jakarta.json.bind.Jsonb;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Meta's Graph API for WhatsApp calling, over the JDK HTTP client: call actions, calling settings, call
 * permissions and messages. Every request carries the bearer token and a timeout. Failures become a
 * {@link GraphApiException} typed by Meta's error code. Throttling (HTTP 429, Meta's rate-limit codes),
 * 5xx and I/O errors are retried with exponential backoff and jitter, honouring {@code Retry-After} —
 * except that a request which is not safe to repeat ({@code connect}, a message) is retried only when
 * Meta refused it outright, because a lost reply may mean it did take effect.
 */
public final class GraphApi {

  private static final Logger LOG = Logger.getLogger(GraphApi.class.getName());
  private static final Duration MAX_DELAY = Duration.ofSeconds(30);

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final GraphSettings settings;
  private final HttpClient http;
  private final Jsonb jsonb;
  private final Pause pause;

  private static final BooleanSupplier ALWAYS = () -> true;

  public GraphApi(GraphSettings settings, HttpClient http, Jsonb jsonb, Pause pause) {
    this.settings = settings;
    this.http = http;
    this.jsonb = jsonb;
    this.pause = pause;
  }

  public GraphApi(GraphSettings settings, Jsonb jsonb) {
    this(
        settings,
        HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1).build(),
        jsonb,
        d -> Thread.sleep(d.toMillis()));
  }

  public GraphSettings settings() {
    return settings;
  }

  // ---- calls

  /** Sends the SDP answer before media is up, so WhatsApp can start connecting. */
  public void preAccept(String callId, String sdpAnswer) {
    preAccept(callId, sdpAnswer, null);
  }

  /** {@link #preAccept(String, String)} within {@code budget}, retries and their waits included. */
  public void preAccept(String callId, String sdpAnswer, Duration budget) {
    preAccept(callId, sdpAnswer, budget, ALWAYS);
  }

  /**
   * {@link #preAccept(String, String, Duration)}, retried only while {@code wanted} says the call still
   * needs the answer (a retry after the call ended would reach Meta on an ended call).
   */
  public void preAccept(String callId, String sdpAnswer, Duration budget, BooleanSupplier wanted) {
    callAction(new CallActionRequest(WHATSAPP, callId, null, "pre_accept", CallSession.answer(sdpAnswer), null), budget,
        wanted);
  }

  /** Accepts with the same SDP answer as pre_accept (Meta refuses a different one). */
  public void accept(String callId, String sdpAnswer, String bizOpaqueCallbackData) {
    accept(callId, sdpAnswer, bizOpaqueCallbackData, null);
  }

  /** {@link #accept(String, String, String)} within {@code budget}, retries and their waits included. */
  public void accept(String callId, String sdpAnswer, String bizOpaqueCallbackData, Duration budget) {
    accept(callId, sdpAnswer, bizOpaqueCallbackData, budget, ALWAYS);
  }

  /** {@link #accept(String, String, String, Duration)}, retried only while {@code wanted} (see preAccept). */
  public void accept(String callId, String sdpAnswer, String bizOpaqueCallbackData, Duration budget, BooleanSupplier wanted) {
    callAction(
        new CallActionRequest(
            WHATSAPP, callId, null, "accept", CallSession.answer(sdpAnswer), bizOpaqueCallbackData), budget, wanted);
  }

  /** Within {@link GraphSettings#endBudget()}, retries and their waits included. */
  public void reject(String callId) {
    callAction(new CallActionRequest(WHATSAPP, callId, null, "reject", null, null), settings.endBudget(), ALWAYS);
  }

  /** Within {@link GraphSettings#endBudget()}, retries and their waits included. */
  public void terminate(String callId) {
    callAction(new CallActionRequest(WHATSAPP, callId, null, "terminate", null, null), settings.endBudget(), ALWAYS);
  }

  /**
   * Places a business-initiated call with our SDP offer; returns Meta's call id. Not repeated when the
   * outcome is unknown (that could ring the user twice).
   */
  public String connect(String to, String sdpOffer, String bizOpaqueCallbackData) {
    var request = new CallActionRequest(WHATSAPP, null, to, "connect", CallSession.offer(sdpOffer), bizOpaqueCallbackData);
    CallActionResponse reply =
        send("calls/connect", "POST", phonePath("calls"), request, CallActionResponse.class, false);
    if (reply == null || reply.calls() == null || reply.calls().isEmpty() || reply.calls().get(0).id() == null) {
      throw new GraphApiException("calls/connect", 200, null, true, new IOException("reply has no call id"));
    }
    return reply.calls().get(0).id();
  }

  private void callAction(CallActionRequest request, Duration budget, BooleanSupplier wanted) {
    String operation = "calls/" + request.action();
    CallActionResponse reply = send(operation, "POST", phonePath("calls"), request, CallActionResponse.class, true,
        settings.accessToken(), budget, wanted);
    if (reply == null || !Boolean.TRUE.equals(reply.success())) {
      throw new GraphApiException(operation, 200, null, true, new IOException("reply without success:true"));
    }
    LOG.fine(() -> operation + " " + request.callId() + " ok");
  }

  // ---- settings and permissions

  public PhoneSettings callingSettings() {
    return send("settings", "GET", phonePath("settings"), null, PhoneSettings.class, true);
  }

  public void updateCallingSettings(PhoneSettings settings) {
    SuccessResponse reply = send("settings/update", "POST", phonePath("settings"), settings, SuccessResponse.class, true);
    if (reply == null || !Boolean.TRUE.equals(reply.success())) {
      throw new GraphApiException("settings/update", 200, null, true, new IOException("reply without success:true"));
    }
  }

  public CallPermissions callPermissions(String userWaId) {
    String path = phonePath("call_permissions") + "?user_wa_id=" + URLEncoder.encode(userWaId, StandardCharsets.UTF_8);
    return send("call_permissions", "GET", path, null, CallPermissions.class, true);
  }

  // ---- the setup (what the doctor reads, and its fixes)

  /** The number's fields as Meta sees it ({@code platform_type}, {@code status}, {@code health_status}, ...). */
  public PhoneNumber phoneNumber(String fields) {
    return send("phone_number", "GET", settings.phoneNumberId() + "?fields=" + encode(fields), null, PhoneNumber.class,
        true, settings.accessToken());
  }

  /**
   * What Meta knows about {@code inputToken}: validity, expiry, scopes. {@code bearer} is the app access
   * token (or the token itself, which may inspect itself).
   */
  public DebugToken debugToken(String inputToken, String bearer) {
    return send("debug_token", "GET", "debug_token?input_token=" + encode(inputToken), null, DebugToken.class, true, bearer);
  }

  /** The apps subscribed to the WhatsApp Business Account's webhooks. */
  public SubscribedApps subscribedApps(String wabaId) {
    return send("subscribed_apps", "GET", wabaId + "/subscribed_apps", null, SubscribedApps.class, true, settings.accessToken());
  }

  /** Subscribes the app of the access token to the WhatsApp Business Account ({@code POST /<waba-id>/subscribed_apps}). */
  public void subscribeApp(String wabaId) {
    SuccessResponse reply = send("subscribed_apps/update", "POST", wabaId + "/subscribed_apps", null, SuccessResponse.class,
        true, settings.accessToken());
    if (reply == null || !Boolean.TRUE.equals(reply.success())) {
      throw new GraphApiException("subscribed_apps/update", 200, null, true, new IOException("reply without success:true"));
    }
  }

  /** The app's webhook subscriptions; needs the app access token {@code <app-id>|<app-secret>}. */
  public AppSubscriptions appSubscriptions(String appId, String appAccessToken) {
    return send("app_subscriptions", "GET", appId + "/subscriptions", null, AppSubscriptions.class, true, appAccessToken);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // ---- messages

  /** Sends a text message; returns the message id. */
  public String sendText(String to, String body) {
    var request = new TextMessageRequest(WHATSAPP, "individual", to, "text", new GraphMessages.Text(false, body));
    return messageId(send("messages/text", "POST", phonePath("messages"), request, MessagesResponse.class, false));
  }

  /** Asks the user for permission to call them; returns the message id (the reply's context id). */
  public String sendCallPermissionRequest(String to, String bodyText) {
    var interactive =
        new GraphMessages.Interactive(
            "call_permission_request",
            new GraphMessages.Action("call_permission_request"),
            new GraphMessages.Body(bodyText));
    var request = new InteractiveMessageRequest(WHATSAPP, "individual", to, "interactive", interactive);
    return messageId(
        send("messages/call_permission_request", "POST", phonePath("messages"), request, MessagesResponse.class, false));
  }

  private static String messageId(MessagesResponse reply) {
    return reply == null || reply.messages() == null || reply.messages().isEmpty()
        ? null
        : reply.messages().get(0).id();
  }

  // ---- plumbing

  /** GET any Graph path (relative to the version), e.g. for the doctor's reads. */
  public <T> T get(String operation, String pathAndQuery, Class<T> type) {
    return send(operation, "GET", pathAndQuery, null, type, true);
  }

  /** POST any Graph path (relative to the version) with a JSON body or none. */
  public <T> T post(String operation, String pathAndQuery, Object body, Class<T> type) {
    return send(operation, "POST", pathAndQuery, body, type, true);
  }

  private String phonePath(String edge) {
    return settings.phoneNumberId() + "/" + edge;
  }

  private <T> T send(String operation, String method, String pathAndQuery, Object body, Class<T> type, boolean repeatable) {
    return send(operation, method, pathAndQuery, body, type, repeatable, settings.accessToken());
  }

  private <T> T send(String operation, String method, String pathAndQuery, Object body, Class<T> type, boolean repeatable,
      String bearer) {
    return send(operation, method, pathAndQuery, body, type, repeatable, bearer, null, ALWAYS);
  }

  /**
   * One request with its retries; with a {@code budget} (null: none), each attempt's timeout is cut to
   * the time left and a retry whose wait does not fit is not made: the last failure is thrown instead. A
   * retry is made only while {@code wanted} still holds after its wait.
   */
  private <T> T send(String operation, String method, String pathAndQuery, Object body, Class<T> type, boolean repeatable,
      String bearer, Duration budget, BooleanSupplier wanted) {
    URI uri = URI.create(settings.baseUrl() + "/" + settings.version() + "/" + pathAndQuery);
    String json = body == null ? null : jsonb.toJson(body);
    long end = budget == null ? 0 : System.nanoTime() + budget.toNanos();
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0 && !wanted.getAsBoolean()) {
        LOG.info(() -> "Graph API " + operation + ": the answer is no longer needed; not retried");
        throw new GraphApiException(operation, 0, null, false,
            new CancellationException("no longer needed: not retried"));
      }
      Duration timeout = settings.timeout();
      if (budget != null) {
        Duration left = Duration.ofNanos(end - System.nanoTime());
        if (!left.isPositive()) {
          throw new GraphApiException(operation, 0, null, false, new HttpTimeoutException("no time left in the call's budget of " + budget.toMillis() + " ms"));
        }
        timeout = left.compareTo(timeout) < 0 ? left : timeout;
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Authorization", "Bearer " + bearer)
              .header("Accept", "application/json");
      if (json != null) {
        request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (HttpConnectTimeoutException | ConnectException notSent) {
        // the request never reached Meta: safe to repeat whatever it was
        Duration wait = delay(attempt, Optional.empty());
        if (attempt < settings.maxRetries() && fits(end, budget, wait)) {
          backoff(operation, attempt, wait, notSent.toString());
          continue;
        }
        throw new GraphApiException(operation, 0, null, false, notSent);
      } catch (IOException lost) {
        Duration wait = delay(attempt, Optional.empty());
        if (repeatable && attempt < settings.maxRetries() && fits(end, budget, wait)) {
          backoff(operation, attempt, wait, lost.toString());
          continue;
        }
        throw new GraphApiException(operation, 0, null, !repeatable, lost);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new GraphApiException(operation, 0, null, !repeatable, interrupted);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return parse(operation, status, response.body(), type, repeatable);
      }
      GraphError error = parseError(response.body());
      GraphErrorKind kind = GraphErrorKind.of(status, error);
      boolean throttled = status == 429 || kind == GraphErrorKind.RATE_LIMITED;
      boolean retry = throttled || (repeatable && status >= 500);
      Duration wait = delay(attempt, retryAfter(response));
      if (retry && attempt < settings.maxRetries() && fits(end, budget, wait)) {
        backoff(operation, attempt, wait, "HTTP " + status + (error == null ? "" : " code " + error.code()));
        continue;
      }
      throw new GraphApiException(operation, status, error, !repeatable && status >= 500, null);
    }
  }

  private <T> T parse(String operation, int status, String body, Class<T> type, boolean repeatable) {
    if (type == Void.class || body == null || body.isBlank()) {
      return null;
    }
    try {
      return jsonb.fromJson(body, type);
    } catch (RuntimeException unreadable) {
      throw new GraphApiException(operation, status, null, !repeatable, unreadable);
    }
  }

  private GraphError parseError(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      GraphError.Envelope envelope = jsonb.fromJson(body, GraphError.Envelope.class);
      return envelope == null ? null : envelope.error();
    } catch (RuntimeException notMetaShape) {
      return null;
    }
  }

  /** The wait before retry {@code attempt + 1}: Meta's Retry-After, else jittered backoff; at most {@link #MAX_DELAY}. */
  private Duration delay(int attempt, Optional<Duration> retryAfter) {
    Duration delay = retryAfter.orElseGet(() -> jittered(attempt));
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  /** Whether a retry after {@code wait} still has time left within the budget (always, without one). */
  private static boolean fits(long end, Duration budget, Duration wait) {
    return budget == null || end - System.nanoTime() > wait.toNanos();
  }

  private void backoff(String operation, int attempt, Duration wait, String why) {
    LOG.info(() -> "Graph API " + operation + ": " + why + "; retry " + (attempt + 1) + " of "
        + settings.maxRetries() + " in " + wait.toMillis() + " ms");
    try {
      pause.pause(wait);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new GraphApiException(operation, 0, null, false, interrupted);
    }
  }

  /** base × 2^attempt, with jitter: a random point in the upper half of that interval. */
  private Duration jittered(int attempt) {
    long ceiling = settings.retryBase().toMillis() << Math.min(attempt, 16);
    long millis = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    return Duration.ofMillis(millis);
  }

  private static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .flatMap(
            value -> {
              try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
              } catch (NumberFormatException httpDate) {
                return Optional.empty();
              }
            });
  }
}
