package dev.wavoice.testkit.whatsapp;

import static dev.wavoice.testkit.JsonProviders.JSON;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wavoice.testkit.Fixtures;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict stand-in for Meta's Graph API (WhatsApp Cloud API), on loopback: the endpoints wavoice
 * calls, checked the way Meta checks them and answered with Meta's reply and error shapes. Every
 * request is recorded.
 *
 * <ul>
 *   <li>Calls ({@code /calls}): bearer token, exact body shapes, SDP rules, the same answer in pre_accept
 *       and accept; refused with 138000 while calling is disabled, 131055 while SIP is on, and a
 *       {@code connect} with 138006 unless the user granted call permission.
 *   <li>Settings: {@code GET}, and {@code POST} validated like Meta (enums, {@code HHMM}, at most 2
 *       windows a day and 20 holidays); enabling calling fails with 138018 unless the app is subscribed to
 *       the WABA with the {@code calls} field, and with 138015 below the 2K messaging tier.
 *   <li>What a setup doctor reads: {@code debug_token}, the phone number node ({@code ?fields=}, unknown
 *       fields refused), {@code /<WABA_ID>/subscribed_apps} (GET, POST subscribes the token's app),
 *       {@code /<APP_ID>/subscriptions} (app access token {@code <APP_ID>|<APP_SECRET>} only).
 *   <li>Call permissions per user: {@code call_permissions} (at most 5 reads a second, else 613), the
 *       {@code call_permission_request} message (1 per 24 h and 2 per 7 days, else 138009), the user's
 *       reply ({@link #permissionReplyWebhook}), and {@code start_call} usage (5 per 24 h).
 *   <li>Token scopes: the management endpoints need {@code whatsapp_business_management}, calls and
 *       messages {@code whatsapp_business_messaging} ({@code (#200) Permissions error}).
 * </ul>
 *
 * <p>By default everything is set up right; a test breaks one prerequisite at a time (e.g.
 * {@link #appSubscriptionFields}, {@link #callingStatus}), queues a failure ({@link #failNext}), or
 * makes a read hang ({@link #stall}) until released. {@link #healthy()} puts everything right again.
 */
public final class WhatsAppCloudDouble implements AutoCloseable {

  public static final String DEFAULT_WABA_ID = "366634483210360";
  public static final String DEFAULT_APP_ID = "1209834567012345";
  static final String MANAGEMENT = "whatsapp_business_management";
  static final String MESSAGING = "whatsapp_business_messaging";

  private static final Pattern PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([^/]+)(?:/([^/]+))?/?$");
  private static final Set<String> ACTIONS = Set.of("pre_accept", "accept", "reject", "terminate", "connect");
  private static final Set<String> PHONE_FIELDS = Set.of("id", "display_phone_number", "verified_name", "platform_type",
      "status", "quality_rating", "messaging_limit_tier", "code_verification_status", "name_status", "health_status");
  private static final Set<String> CALLING_TIERS = Set.of("TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED");
  private static final Set<String> DAYS = Set.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY");
  private static final Pattern HHMM = Pattern.compile("([01][0-9]|2[0-3])[0-5][0-9]");
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  /** A queued answer for the next request to an operation (e.g. {@code calls/accept}, {@code settings}). */
  public record Failure(int status, JsonObject body, Map<String, String> headers) {}

  /**
   * Where a call is, as Meta keeps it. A user-initiated call is OFFERED (its connect webhook), then
   * PRE_ACCEPTED, ACCEPTED; a business-initiated one is RINGING (its connect request) until the user's
   * connect webhook makes it CONNECTED. Any call ENDS with a terminate (webhook or request) or a reject.
   */
  private enum CallState { OFFERED, PRE_ACCEPTED, ACCEPTED, RINGING, CONNECTED, ENDED }

  private static final class CallTrack {
    final boolean userInitiated;
    CallState state;
    /** Ended by Meta's side (a webhook) whose delivery the app has confirmed: from then on it knows. */
    boolean endDelivered;

    CallTrack(boolean userInitiated, CallState state) {
      this.userInitiated = userInitiated;
      this.state = state;
    }
  }

  /** One user's call permission as Meta keeps it. */
  private static final class UserPermission {
    String status = "no_permission";
    Long expiresAt;
    final List<Instant> requests = new ArrayList<>();
    final List<Instant> calls = new ArrayList<>();
    String lastRequestMessageId;
  }

  private final String accessToken;
  private final String phoneNumberId;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final List<GraphRequest> requests = new CopyOnWriteArrayList<>();
  private volatile java.util.function.Consumer<GraphRequest> requestObserver = request -> {};
  private final Map<String, Deque<Failure>> failures = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> stalls = new ConcurrentHashMap<>();
  private final Map<String, Integer> held = new ConcurrentHashMap<>();
  private final Map<String, String> preAcceptedSdp = new ConcurrentHashMap<>();
  private final Map<String, CallTrack> calls = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Map<String, String> offers = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> permissionOverrides = new ConcurrentHashMap<>();
  private final Map<String, UserPermission> permissions = new HashMap<>();
  private final Deque<Long> permissionReads = new ConcurrentLinkedDeque<>();

  private volatile String wabaId = DEFAULT_WABA_ID;
  private volatile String appId = DEFAULT_APP_ID;
  private volatile String appSecret;
  private volatile String callbackUrl = "https://wavoice.example.test/webhook";
  private volatile JsonObject settings;
  private volatile JsonObject token;
  private volatile boolean tokenRefused;
  private volatile JsonObject phoneNumber;
  private volatile boolean appSubscribedToWaba;
  private volatile JsonObject appSubscription;

  private WhatsAppCloudDouble(String accessToken, String phoneNumberId) {
    this.accessToken = accessToken;
    this.phoneNumberId = phoneNumberId;
    healthy();
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static WhatsAppCloudDouble start(String accessToken, String phoneNumberId) {
    return new WhatsAppCloudDouble(accessToken, phoneNumberId);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String phoneNumberId() {
    return phoneNumberId;
  }

  public String wabaId() {
    return wabaId;
  }

  public String appId() {
    return appId;
  }

  /** The Meta app: its id and secret (the app access token is {@code <id>|<secret>}). */
  public WhatsAppCloudDouble app(String id, String secret) {
    this.appId = id;
    this.appSecret = secret;
    healthy();
    return this;
  }

  /** Where the app's whatsapp_business_account webhook points (the server's {@code <public-url>/webhook}). */
  public WhatsAppCloudDouble webhookCallbackUrl(String url) {
    this.callbackUrl = url;
    appSubscription = JSON.createObjectBuilder(appSubscription).add("callback_url", url).build();
    return this;
  }

  /** Signs and sends webhooks to the app the way Meta does. */
  public WebhookSender webhooks(URI webhookUri, String appSecret) {
    return new WebhookSender(webhookUri, appSecret, this);
  }

  /** As {@link #webhooks(URI, String)}, sending through {@code http} (a benchmark's own client and threads). */
  public WebhookSender webhooks(URI webhookUri, String appSecret, java.net.http.HttpClient http) {
    return new WebhookSender(webhookUri, appSecret, this, http);
  }

  // ---- what happened

  public List<GraphRequest> requests() {
    return List.copyOf(requests);
  }

  /** Called with each request as it is answered, on the double's thread (load runs time them; keep it short). */
  public void observeRequests(java.util.function.Consumer<GraphRequest> observer) {
    requestObserver = observer;
  }

  /** Forgets the requests seen so far (a shared double, between tests). */
  public void clearRequests() {
    requests.clear();
  }

  /** The requests to one operation ({@code settings/update}, {@code subscribed_apps/update}, {@code messages}, ...). */
  public List<GraphRequest> requests(String operation) {
    return requests.stream().filter(r -> operation.equals(r.operation())).toList();
  }

  /** The {@code /calls} requests about one call id, in order. */
  public List<GraphRequest> callActions(String callId) {
    return requests.stream().filter(r -> callId.equals(r.callId())).toList();
  }

  /** The actions ({@code pre_accept}, {@code accept}, ...) Meta accepted (2xx) for this call id, in order. */
  public List<String> acceptedActions(String callId) {
    return callActions(callId).stream().filter(r -> r.status() / 100 == 2).map(GraphRequest::action).toList();
  }

  /** Call actions Meta refused because of the call's state (an action on an ended call, out of order, ...). */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /**
   * Fails the test when the app sent a call action Meta would refuse in the call's state. What it reports
   * is taken off the list, so the next test of a shared double starts clean.
   */
  public void assertNoViolations() {
    List<String> seen = List.copyOf(violations);
    violations.removeAll(seen);
    if (!seen.isEmpty()) {
      throw new AssertionError("the Graph double saw call actions Meta would refuse:\n  " + String.join("\n  ", seen));
    }
  }

  public void clearViolations() {
    violations.clear();
  }

  // ---- scripting: failures and timeouts

  /** The next request to {@code operation} (e.g. {@code calls/accept}, {@code settings}, {@code messages}) gets this answer. */
  public void failNext(String operation, int status, JsonObject body, Map<String, String> headers) {
    failures.computeIfAbsent(operation, k -> new ConcurrentLinkedDeque<>()).add(new Failure(status, body, headers));
  }

  public void failNext(String operation, int status, JsonObject body) {
    failNext(operation, status, body, Map.of());
  }

  /** Requests to {@code operation} hang (no answer) until {@link #release} (at most a minute): a read that times out. */
  public void stall(String operation) {
    stalls.put(operation, new CountDownLatch(1));
  }

  /** How many requests to {@code operation} a {@link #stall} holds right now (the app is waiting on them). */
  public int stalled(String operation) {
    return held.getOrDefault(operation, 0);
  }

  public void release(String operation) {
    CountDownLatch latch = stalls.remove(operation);
    if (latch != null) {
      latch.countDown();
    }
  }

  // ---- scripting: the setup (everything right by default)

  /** Everything as it should be: valid token with both scopes, a 2K number on the Cloud API, the app subscribed to the
   * WABA with messages and calls, calling enabled, SIP off, no permissions granted, no failures queued, no stalls. */
  public synchronized void healthy() {
    JsonObject debug = Fixtures.whatsappJson("graph-debug-token.response.json").getJsonObject("data");
    token = JSON.createObjectBuilder(debug).add("app_id", appId)
        .add("granular_scopes", JSON.createArrayBuilder()
            .add(JSON.createObjectBuilder().add("scope", "business_management"))
            .add(JSON.createObjectBuilder().add("scope", MANAGEMENT).add("target_ids", JSON.createArrayBuilder().add(wabaId)))
            .add(JSON.createObjectBuilder().add("scope", MESSAGING).add("target_ids", JSON.createArrayBuilder().add(wabaId))))
        .build();
    tokenRefused = false;
    phoneNumber = JSON.createObjectBuilder(Fixtures.whatsappJson("graph-phone-number.response.json")).add("id", phoneNumberId).build();
    appSubscribedToWaba = true;
    appSubscription = JSON.createObjectBuilder(
            Fixtures.whatsappJson("graph-app-subscriptions.response.json").getJsonArray("data").getJsonObject(0))
        .add("callback_url", callbackUrl).build();
    settings = Fixtures.whatsappJson("graph-settings.response.json");
    permissions.clear();
    permissionOverrides.clear();
    failures.clear();
    List.copyOf(stalls.keySet()).forEach(this::release);
  }

  /** The scopes of the access token, as debug_token reports them and the endpoints enforce them. */
  public synchronized void tokenScopes(String... scopes) {
    var list = JSON.createArrayBuilder();
    var granular = JSON.createArrayBuilder();
    for (String scope : scopes) {
      list.add(scope);
      granular.add(JSON.createObjectBuilder().add("scope", scope).add("target_ids", JSON.createArrayBuilder().add(wabaId)));
    }
    token = JSON.createObjectBuilder(token).add("scopes", list).add("granular_scopes", granular).build();
  }

  public synchronized void tokenExpiresAt(Instant expiry) {
    token = JSON.createObjectBuilder(token).add("expires_at", expiry.getEpochSecond()).build();
  }

  /** The access token no longer works: every request with it gets 190, debug_token says it is not valid. */
  public void tokenRefused(boolean refused) {
    tokenRefused = refused;
  }

  public synchronized void editPhoneNumber(UnaryOperator<JsonObject> edit) {
    phoneNumber = edit.apply(phoneNumber);
  }

  /** Sets one field of the phone number node (e.g. {@code messaging_limit_tier}, {@code platform_type}). */
  public void phoneNumberField(String field, String value) {
    editPhoneNumber(p -> JSON.createObjectBuilder(p).add(field, value).build());
  }

  public void appSubscribedToWaba(boolean subscribed) {
    appSubscribedToWaba = subscribed;
  }

  public boolean appSubscribedToWaba() {
    return appSubscribedToWaba;
  }

  /** The fields the app's whatsapp_business_account webhook is subscribed to (e.g. only {@code messages}). */
  public synchronized void appSubscriptionFields(String... names) {
    JsonArrayBuilder fields = JSON.createArrayBuilder();
    for (String name : names) {
      fields.add(JSON.createObjectBuilder().add("name", name).add("version", "v23.0"));
    }
    appSubscription = JSON.createObjectBuilder(appSubscription).add("fields", fields).build();
  }

  public synchronized void appSubscriptionActive(boolean active) {
    appSubscription = JSON.createObjectBuilder(appSubscription).add("active", active).build();
  }

  public synchronized void appCallbackUrl(String url) {
    appSubscription = JSON.createObjectBuilder(appSubscription).add("callback_url", url).build();
  }

  /** {@code calling.status} of the number: {@code ENABLED} or {@code DISABLED}. */
  public synchronized void callingStatus(String status) {
    editCalling(c -> JSON.createObjectBuilder(c).add("status", status).build());
  }

  /** {@code calling.sip.status}: {@code ENABLED} turns the calling API off. */
  public synchronized void sipStatus(String status) {
    editCalling(c -> JSON.createObjectBuilder(c).add("sip", JSON.createObjectBuilder(c.getJsonObject("sip")).add("status", status))
        .build());
  }

  private void editCalling(UnaryOperator<JsonObject> edit) {
    settings = JSON.createObjectBuilder(settings).add("calling", edit.apply(settings.getJsonObject("calling"))).build();
  }

  /** A call Meta offered to the business (as a webhook would); actions on other call ids are refused. */
  public void knowCall(String callId) {
    calls.putIfAbsent(callId, new CallTrack(true, CallState.OFFERED));
  }

  /** A call Meta offered with this SDP: its pre_accept/accept answers are checked against the offer (mid, Opus payload type). */
  public void knowCall(String callId, String offerSdp) {
    knowCall(callId);
    offers.put(callId, offerSdp);
  }

  /** The user answered a business-initiated call (Meta's connect webhook with the user's SDP answer). */
  public synchronized void userAnswered(String callId) {
    CallTrack call = calls.computeIfAbsent(callId, id -> new CallTrack(false, CallState.RINGING));
    if (call.state == CallState.RINGING) {
      call.state = CallState.CONNECTED;
    }
  }

  /**
   * Meta's side ended the call (the user hung up or declined: a terminate webhook or a REJECTED status
   * is about to be delivered). Actions on it are refused from now on; they count as the app's violation
   * once {@link #endDelivered} says the app has the news.
   */
  public synchronized void endedByMeta(String callId) {
    CallTrack call = calls.computeIfAbsent(callId, id -> new CallTrack(true, CallState.ENDED));
    call.state = CallState.ENDED;
  }

  /** Whether the call ended and the app has had the news (a webhook it took, or its own reject or terminate). */
  private synchronized boolean endKnown(String callId) {
    CallTrack call = callId == null ? null : calls.get(callId);
    return call != null && call.state == CallState.ENDED && call.endDelivered;
  }

  /** The app took the webhook that ended this call (answered 200). */
  public synchronized void endDelivered(String callId) {
    CallTrack call = calls.get(callId);
    if (call != null && call.state == CallState.ENDED) {
      call.endDelivered = true;
    }
  }

  /** Answers {@code call_permissions} for this user with exactly this body (instead of the user's state). */
  public void setCallPermissions(String userWaId, JsonObject reply) {
    permissionOverrides.put(userWaId, reply);
  }

  /** The user has granted a temporary call permission (as if they accepted a request earlier). */
  public synchronized void grantCallPermission(String userWaId) {
    UserPermission user = user(userWaId);
    user.status = "temporary";
    user.expiresAt = Instant.now().plus(Duration.ofDays(7)).getEpochSecond();
  }

  /**
   * The user answers the last call permission request sent to them: the webhook body Meta would deliver
   * (field {@code messages}, {@code interactive.call_permission_reply}, {@code context.id} = the request's
   * message id). Accepting grants the permission, as Meta records it before delivering.
   */
  public synchronized String permissionReplyWebhook(String userWaId, boolean accept) {
    UserPermission user = user(userWaId);
    if (user.lastRequestMessageId == null) {
      throw new IllegalStateException("no call permission request was sent to " + userWaId);
    }
    if (accept) {
      grantCallPermission(userWaId);
    }
    JsonObject template = Fixtures.whatsappJson("webhook-call-permission-reply.json");
    JsonObject entry = template.getJsonArray("entry").getJsonObject(0);
    JsonObject change = entry.getJsonArray("changes").getJsonObject(0);
    JsonObject value = change.getJsonObject("value");
    JsonObject message = value.getJsonArray("messages").getJsonObject(0);
    JsonObject reply = message.getJsonObject("interactive").getJsonObject("call_permission_reply");
    JsonObjectBuilder newReply = JSON.createObjectBuilder(reply).add("response", accept ? "accept" : "reject");
    if (accept) {
      newReply.add("expiration_timestamp", user.expiresAt);
    } else {
      newReply.remove("expiration_timestamp");
    }
    JsonObject newMessage = JSON.createObjectBuilder(message)
        .add("from", userWaId)
        .add("id", "wamid." + UUID.randomUUID().toString().replace("-", ""))
        .add("timestamp", Long.toString(Instant.now().getEpochSecond()))
        .add("context", JSON.createObjectBuilder(message.getJsonObject("context")).add("id", user.lastRequestMessageId))
        .add("interactive", JSON.createObjectBuilder(message.getJsonObject("interactive")).add("call_permission_reply", newReply))
        .build();
    JsonObject newValue = JSON.createObjectBuilder(value)
        .add("metadata", JSON.createObjectBuilder(value.getJsonObject("metadata")).add("phone_number_id", phoneNumberId))
        .add("contacts", JSON.createArrayBuilder().add(JSON.createObjectBuilder()
            .add("profile", JSON.createObjectBuilder().add("name", "Test Caller")).add("wa_id", userWaId)))
        .add("messages", JSON.createArrayBuilder().add(newMessage))
        .build();
    return JSON.createObjectBuilder(template)
        .add("entry", JSON.createArrayBuilder().add(JSON.createObjectBuilder(entry).add("id", wabaId)
            .add("changes", JSON.createArrayBuilder().add(JSON.createObjectBuilder(change).add("value", newValue)))))
        .build().toString();
  }

  /** How many call permission request messages Meta took for this user. */
  public synchronized int permissionRequestsSentTo(String userWaId) {
    UserPermission user = permissions.get(userWaId);
    return user == null ? 0 : user.requests.size();
  }

  public void setSettings(JsonObject settings) {
    this.settings = settings;
  }

  public JsonObject settings() {
    return settings;
  }

  public JsonObject phoneNumber() {
    return phoneNumber;
  }

  // ---- serving

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String rawPath = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      byte[] raw = exchange.getRequestBody().readAllBytes();
      Matcher m = PATH.matcher(rawPath);
      if (!m.matches()) {
        Reply reply = new Reply(400, MetaErrors.unsupportedRequest(method, rawPath), Map.of());
        record(method, null, rawPath, query, auth, null, reply.status, null);
        reply.send(exchange);
        return;
      }
      String version = m.group(1);
      String path = rawPath.substring(version.length() + 1);
      String node = m.group(2);
      String edge = m.group(3);
      JsonObject body = null;
      if (raw.length > 0) {
        try (var reader = JSON.createReader(new StringReader(new String(raw, StandardCharsets.UTF_8)))) {
          body = reader.readObject();
        } catch (JsonException | IllegalStateException notJson) {
          Reply reply = new Reply(400, MetaErrors.invalidParameter("the body is not a JSON object"), Map.of());
          record(method, version, path, query, auth, null, reply.status, null);
          reply.send(exchange);
          return;
        }
      }
      String operation = operation(method, node, edge, body);
      // a call action is judged by what the app could know when it arrived, not when it is answered (it may be held)
      boolean endKnown = body != null && endKnown(body.getString("call_id", null));
      CountDownLatch stall = operation == null ? null : stalls.get(operation);
      if (stall != null) {
        held.merge(operation, 1, Integer::sum);
        try {
          stall.await(STALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } finally {
          held.merge(operation, -1, Integer::sum);
        }
      }
      Reply reply = route(method, node, edge, operation, query, auth, body, raw.length,
          exchange.getRequestHeaders().getFirst("Content-Type"), endKnown);
      record(method, version, path, query, auth, body, reply.status, operation);
      reply.send(exchange);
    } catch (RuntimeException bug) {
      bug.printStackTrace();
      throw bug;
    }
  }

  private void record(String method, String version, String path, String query, String auth, JsonObject body, int status,
      String operation) {
    GraphRequest request = new GraphRequest(method, version, path, query, auth, body, status, operation);
    requests.add(request);
    requestObserver.accept(request);
  }

  /** The name a test uses for a request ({@code failNext}, {@code stall}, {@code requests(op)}), or null when unknown. */
  private String operation(String method, String node, String edge, JsonObject body) {
    if (node.equals("debug_token") && edge == null) {
      return "debug_token";
    }
    if (node.equals(phoneNumberId)) {
      if (edge == null) {
        return "phone_number";
      }
      return switch (edge) {
        case "calls" -> "calls/" + (body == null ? "?" : body.getString("action", "?"));
        case "settings" -> method.equals("GET") ? "settings" : "settings/update";
        default -> edge;
      };
    }
    if (node.equals(wabaId) && "subscribed_apps".equals(edge)) {
      return method.equals("GET") ? "subscribed_apps" : "subscribed_apps/update";
    }
    if (node.equals(appId) && "subscriptions".equals(edge)) {
      return method.equals("GET") ? "app_subscriptions" : "app_subscriptions/update";
    }
    return null;
  }

  private Reply route(String method, String node, String edge, String operation, String query, String auth, JsonObject body,
      int bodyBytes, String contentType, boolean endKnown) {
    boolean appToken = appSecret != null && auth != null && auth.equals("Bearer " + appId + "|" + appSecret);
    boolean userToken = auth != null && auth.equals("Bearer " + accessToken);
    if (!appToken && !userToken) {
      return new Reply(401, MetaErrors.invalidToken(), Map.of());
    }
    if (userToken && tokenRefused) {
      return new Reply(401, MetaErrors.expiredToken(), Map.of());
    }
    if (operation == null) {
      return new Reply(400, MetaErrors.unsupportedRequest(method, edge == null ? node : node + "/" + edge), Map.of());
    }
    Failure failure = failures.getOrDefault(operation, new ConcurrentLinkedDeque<>()).poll();
    if (failure != null) {
      return new Reply(failure.status(), failure.body(), failure.headers());
    }
    if (bodyBytes > 0 && method.equals("POST") && (contentType == null || !contentType.startsWith("application/json"))) {
      return new Reply(400, MetaErrors.invalidParameter("Content-Type must be application/json"), Map.of());
    }
    if (operation.equals("debug_token")) {
      return method.equals("GET") ? debugToken(query) : unsupported(method, node);
    }
    if (operation.startsWith("app_subscriptions")) {
      if (!appToken) {
        return new Reply(400, MetaErrors.appTokenRequired(), Map.of());
      }
      return method.equals("GET") ? new Reply(200, JSON.createObjectBuilder()
          .add("data", JSON.createArrayBuilder().add(appSubscription)).build(), Map.of()) : unsupported(method, node + "/" + edge);
    }
    if (appToken) {
      return new Reply(403, MetaErrors.applicationHasNoPermission(), Map.of());
    }
    String scope = switch (operation) {
      case "phone_number", "settings", "settings/update", "subscribed_apps", "subscribed_apps/update" -> MANAGEMENT;
      default -> MESSAGING;
    };
    if (!hasScope(scope)) {
      return new Reply(403, MetaErrors.permissionsError(scope), Map.of());
    }
    if (operation.equals("phone_number")) {
      return method.equals("GET") ? phoneNumber(query) : unsupported(method, node);
    }
    if (operation.startsWith("subscribed_apps")) {
      if (method.equals("POST")) {
        if (body != null && !body.isEmpty()) {
          return bad("unexpected parameters " + body.keySet());
        }
        appSubscribedToWaba = true;
        return new Reply(200, JSON.createObjectBuilder().add("success", true).build(), Map.of());
      }
      return method.equals("GET") ? subscribedApps() : unsupported(method, node + "/" + edge);
    }
    if (method.equals("POST") && body == null) {
      return bad("missing body");
    }
    return switch (method + " " + edge) {
      case "POST calls" -> calls(body, endKnown);
      case "GET settings" -> new Reply(200, settings, Map.of());
      case "POST settings" -> updateSettings(body);
      case "GET call_permissions" -> callPermissions(query);
      case "POST messages" -> messages(body);
      default -> unsupported(method, node + "/" + edge);
    };
  }

  private synchronized boolean hasScope(String scope) {
    return token.getJsonArray("scopes").getValuesAs(JsonString.class).stream().anyMatch(s -> s.getString().equals(scope));
  }

  private static Reply unsupported(String method, String what) {
    return new Reply(400, MetaErrors.unsupportedRequest(method, what), Map.of());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return params;
  }

  // ---- the doctor's reads

  private synchronized Reply debugToken(String rawQuery) {
    String input = query(rawQuery).get("input_token");
    if (input == null || input.isEmpty()) {
      return bad("input_token is required");
    }
    boolean expired = token.getJsonNumber("expires_at").longValue() > 0
        && token.getJsonNumber("expires_at").longValue() <= Instant.now().getEpochSecond();
    if (!input.equals(accessToken) || tokenRefused || expired) {
      return new Reply(200, Fixtures.whatsappJson("graph-debug-token-invalid.response.json"), Map.of());
    }
    return new Reply(200, JSON.createObjectBuilder().add("data", token).build(), Map.of());
  }

  private synchronized Reply phoneNumber(String rawQuery) {
    String fields = query(rawQuery).getOrDefault("fields", "id,display_phone_number,verified_name,quality_rating");
    JsonObjectBuilder reply = JSON.createObjectBuilder();
    for (String field : fields.split(",")) {
      String name = field.strip();
      if (!PHONE_FIELDS.contains(name)) {
        return new Reply(400, MetaErrors.nonexistingField(name, "WhatsAppBusinessPhoneNumber"), Map.of());
      }
      if (phoneNumber.containsKey(name)) {
        reply.add(name, phoneNumber.get(name));
      }
    }
    reply.add("id", phoneNumberId);
    return new Reply(200, reply.build(), Map.of());
  }

  private Reply subscribedApps() {
    JsonArrayBuilder data = JSON.createArrayBuilder();
    if (appSubscribedToWaba) {
      data.add(JSON.createObjectBuilder().add("whatsapp_business_api_data", JSON.createObjectBuilder()
          .add("id", appId).add("link", "https://www.facebook.com/games/?app_id=" + appId).add("name", "Wavoice Test App")));
    }
    return new Reply(200, JSON.createObjectBuilder().add("data", data).build(), Map.of());
  }

  private synchronized boolean callsSubscribed() {
    return appSubscribedToWaba && appSubscription.getBoolean("active", false)
        && appSubscription.getJsonArray("fields").stream().anyMatch(f -> "calls".equals(f.asJsonObject().getString("name")));
  }

  // ---- calls

  private Reply calls(JsonObject body, boolean endKnown) {
    if (!"whatsapp".equals(body.getString("messaging_product", null))) return bad("messaging_product must be 'whatsapp'");
    String action = body.getString("action", null);
    if (action == null || !ACTIONS.contains(action)) return bad("action must be one of " + ACTIONS);
    Set<String> allowed = switch (action) {
      case "pre_accept" -> Set.of("messaging_product", "call_id", "action", "session");
      case "accept" -> Set.of("messaging_product", "call_id", "action", "session", "biz_opaque_callback_data");
      case "reject", "terminate" -> Set.of("messaging_product", "call_id", "action");
      default -> Set.of("messaging_product", "to", "action", "session", "biz_opaque_callback_data");
    };
    for (String key : body.keySet()) {
      if (!allowed.contains(key)) return bad("unexpected parameter '" + key + "' for action " + action);
    }
    if (body.containsKey("biz_opaque_callback_data")
        && (body.get("biz_opaque_callback_data").getValueType() != JsonValue.ValueType.STRING
            || body.getString("biz_opaque_callback_data").length() > 512)) {
      return bad("biz_opaque_callback_data must be a string of at most 512 characters");
    }
    JsonObject calling = settings.getJsonObject("calling");
    if (calling.containsKey("sip") && "ENABLED".equals(calling.getJsonObject("sip").getString("status", null))) {
      return new Reply(400, MetaErrors.sipEnabled(), Map.of());
    }
    if (!"ENABLED".equals(calling.getString("status", null))) {
      return new Reply(401, MetaErrors.callingNotEnabled(), Map.of());
    }
    if (action.equals("connect")) {
      String to = body.getString("to", null);
      if (to == null || !to.matches("\\d{6,15}")) return bad("to must be a WhatsApp id (digits, no '+')");
      String problem = session(body, "offer");
      if (problem != null) return bad(problem);
      synchronized (this) {
        // Meta does not document the code for a used-up start_call limit; without permission it is 138006
        if (!canStartCall(to)) {
          return new Reply(401, MetaErrors.noCallPermission(), Map.of());
        }
        user(to).calls.add(Instant.now());
      }
      String callId = "wacid." + UUID.randomUUID().toString().replace("-", "");
      calls.put(callId, new CallTrack(false, CallState.RINGING));
      return new Reply(200, JSON.createObjectBuilder()
          .add("messaging_product", "whatsapp")
          .add("calls", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("id", callId)))
          .build(), Map.of());
    }
    String callId = body.getString("call_id", null);
    if (callId == null || !callId.startsWith("wacid.")) return bad("call_id is required");
    if (!calls.containsKey(callId)) return bad("Invalid call_id: no such call");
    Reply refused = outOfOrder(callId, action, endKnown);
    if (refused != null) return refused;
    if (action.equals("pre_accept") || action.equals("accept")) {
      String problem = session(body, "answer");
      if (problem != null) return bad(problem);
      String sdp = body.getJsonObject("session").getString("sdp");
      List<String> weak = SdpChecks.fingerprintProblems(sdp);
      if (!weak.isEmpty()) return new Reply(400, MetaErrors.fingerprintNotSha256(String.join("; ", weak)), Map.of());
      List<String> invalid = SdpChecks.answerTo(offers.get(callId), sdp);
      if (!invalid.isEmpty()) return new Reply(400, MetaErrors.sdpValidation("Provided SDP is invalid: " + String.join("; ", invalid)), Map.of());
      if (action.equals("pre_accept")) {
        preAcceptedSdp.put(callId, sdp);
      } else if (preAcceptedSdp.containsKey(callId) && !preAcceptedSdp.get(callId).equals(sdp)) {
        return bad("SDP answer provided in accept does not match the SDP answer given in the Pre-Accept endpoint for the same call-id");
      }
    }
    advance(callId, action);
    return new Reply(200, JSON.createObjectBuilder().add("messaging_product", "whatsapp").add("success", true).build(), Map.of());
  }

  /**
   * Meta's answer when {@code action} does not fit the call's state, recorded as a violation; null when it
   * fits. An action on a call Meta's side ended before the app could know ({@code endKnown}: when the
   * request arrived, the app had not yet taken the webhook that ended it) is refused all the same but is a
   * race, not the app's fault.
   */
  private synchronized Reply outOfOrder(String callId, String action, boolean endKnown) {
    CallTrack call = calls.get(callId);
    String problem;
    if (call.state == CallState.ENDED) {
      problem = "the call has already ended";
      if (!endKnown) {
        return callStateError(callId, action, problem);
      }
    } else if (!call.userInitiated) {
      // a business-initiated call is answered by the user; the business can only hang up (also while it rings)
      problem = action.equals("terminate") ? null : action + " is not possible on a business-initiated call";
    } else {
      problem = switch (action) {
        case "pre_accept" -> call.state == CallState.OFFERED ? null : "the call is already " + call.state.name().toLowerCase();
        // Meta documents pre_accept as recommended, not required: an accept straight after the offer is taken
        case "accept" -> call.state == CallState.OFFERED || call.state == CallState.PRE_ACCEPTED ? null
            : "the call is already accepted";
        case "reject" -> call.state == CallState.OFFERED || call.state == CallState.PRE_ACCEPTED ? null
            : "an accepted call is ended with terminate, not reject";
        case "terminate" -> call.state == CallState.ACCEPTED ? null : "the call was not accepted: end it with reject";
        default -> null;
      };
    }
    if (problem == null) {
      return null;
    }
    violations.add(action + " on " + callId + ": " + problem);
    return callStateError(callId, action, problem);
  }

  /**
   * The notes of Meta's calling errors list no code for an action in the wrong call state; the closest
   * documented one is 100 (invalid parameter, the details in {@code error_data}), HTTP 400.
   */
  private static Reply callStateError(String callId, String action, String problem) {
    return bad("Invalid call state for " + action + " on " + callId + ": " + problem);
  }

  private synchronized void advance(String callId, String action) {
    CallTrack call = calls.get(callId);
    call.state = switch (action) {
      case "pre_accept" -> CallState.PRE_ACCEPTED;
      case "accept" -> CallState.ACCEPTED;
      case "reject", "terminate" -> CallState.ENDED;
      default -> call.state;
    };
    if (call.state == CallState.ENDED) {
      call.endDelivered = true;
    }
  }

  private static String session(JsonObject body, String sdpType) {
    if (!body.containsKey("session") || body.get("session").getValueType() != JsonValue.ValueType.OBJECT) {
      return "session is required";
    }
    JsonObject session = body.getJsonObject("session");
    if (!session.keySet().equals(Set.of("sdp_type", "sdp"))) return "session must have exactly sdp_type and sdp";
    if (!sdpType.equals(session.getString("sdp_type", null))) return "session.sdp_type must be '" + sdpType + "'";
    if (sdpType.equals("answer")) {
      return session.getString("sdp", null) == null ? "session.sdp is required" : null; // the SDP itself: 138008 / 2494010
    }
    List<String> problems = SdpChecks.offer(session.getString("sdp", null));
    return problems.isEmpty() ? null : "SDP validation failed: " + String.join("; ", problems);
  }

  // ---- settings

  private synchronized Reply updateSettings(JsonObject body) {
    if (!body.keySet().equals(Set.of("calling")) || body.get("calling").getValueType() != JsonValue.ValueType.OBJECT) {
      return bad("exactly the calling settings are expected");
    }
    JsonObject calling = body.getJsonObject("calling");
    List<String> problems = callingProblems(calling);
    if (!problems.isEmpty()) {
      return bad(String.join("; ", problems));
    }
    if ("ENABLED".equals(calling.getString("status", null))) {
      if (!callsSubscribed()) {
        return new Reply(400, MetaErrors.callsNotSubscribed(), Map.of());
      }
      if (!CALLING_TIERS.contains(phoneNumber.getString("messaging_limit_tier", ""))) {
        return new Reply(400, MetaErrors.messagingLimitTooLow(), Map.of());
      }
    }
    // Meta changes the fields given; call_hours is replaced whole (no holiday_schedule: the holidays are gone)
    var merged = JSON.createObjectBuilder(settings.getJsonObject("calling"));
    calling.forEach((key, value) -> {
      if (key.equals("sip")) {
        merged.add("sip", JSON.createObjectBuilder(settings.getJsonObject("calling").getJsonObject("sip")).addAll(
            JSON.createObjectBuilder(value.asJsonObject())));
      } else {
        merged.add(key, value);
      }
    });
    settings = JSON.createObjectBuilder(settings).add("calling", merged).build();
    return new Reply(200, JSON.createObjectBuilder().add("success", true).build(), Map.of());
  }

  /** Meta's rules for {@code calling}: known keys and enums, HHMM, at most 2 windows a day, 20 holidays. */
  private static List<String> callingProblems(JsonObject calling) {
    List<String> problems = new ArrayList<>();
    Set<String> allowed = Set.of("status", "call_icon_visibility", "call_hours", "callback_permission_status", "sip");
    for (String key : calling.keySet()) {
      if (!allowed.contains(key)) problems.add("unexpected parameter calling." + key);
    }
    enumValue(problems, calling, "status", Set.of("ENABLED", "DISABLED"));
    enumValue(problems, calling, "callback_permission_status", Set.of("ENABLED", "DISABLED"));
    enumValue(problems, calling, "call_icon_visibility", Set.of("DEFAULT", "DISABLE_ALL"));
    if (calling.containsKey("sip")) {
      JsonObject sip = calling.getJsonObject("sip");
      enumValue(problems, sip, "status", Set.of("ENABLED", "DISABLED"));
    }
    if (calling.containsKey("call_hours")) {
      JsonObject hours = calling.getJsonObject("call_hours");
      for (String key : hours.keySet()) {
        if (!Set.of("status", "timezone_id", "weekly_operating_hours", "holiday_schedule").contains(key)) {
          problems.add("unexpected parameter call_hours." + key);
        }
      }
      if (!hours.containsKey("status")) problems.add("call_hours.status is required");
      enumValue(problems, hours, "status", Set.of("ENABLED", "DISABLED"));
      boolean on = "ENABLED".equals(hours.getString("status", null));
      if (hours.containsKey("timezone_id")) {
        try {
          ZoneId.of(hours.getString("timezone_id"));
        } catch (DateTimeException | ClassCastException e) {
          problems.add("call_hours.timezone_id is not a time zone");
        }
      } else if (on) {
        problems.add("call_hours.timezone_id is required");
      }
      var weekly = hours.containsKey("weekly_operating_hours") ? hours.getJsonArray("weekly_operating_hours") : null;
      if (on && (weekly == null || weekly.isEmpty())) problems.add("call_hours.weekly_operating_hours is required");
      Map<String, Integer> perDay = new HashMap<>();
      for (JsonValue w : weekly == null ? List.<JsonValue>of() : weekly) {
        JsonObject window = w.asJsonObject();
        String day = window.getString("day_of_week", "");
        if (!DAYS.contains(day)) problems.add("day_of_week '" + day + "' is not a day");
        String open = window.getString("open_time", "");
        String close = window.getString("close_time", "");
        if (!HHMM.matcher(open).matches() || !HHMM.matcher(close).matches()) {
          problems.add("open_time and close_time must be HHMM");
        } else if (close.compareTo(open) <= 0) {
          problems.add("close_time must be after open_time");
        }
        if (perDay.merge(day, 1, Integer::sum) > 2) problems.add("at most 2 entries per day (" + day + ")");
      }
      var holidays = hours.containsKey("holiday_schedule") ? hours.getJsonArray("holiday_schedule") : null;
      if (holidays != null && holidays.size() > 20) problems.add("at most 20 holiday_schedule entries");
      for (JsonValue h : holidays == null ? List.<JsonValue>of() : holidays) {
        JsonObject holiday = h.asJsonObject();
        try {
          LocalDate.parse(holiday.getString("date", ""));
        } catch (DateTimeException e) {
          problems.add("holiday date must be YYYY-MM-DD");
        }
        if (!HHMM.matcher(holiday.getString("start_time", "")).matches() || !HHMM.matcher(holiday.getString("end_time", "")).matches()) {
          problems.add("holiday start_time and end_time must be HHMM");
        }
      }
    }
    return problems;
  }

  private static void enumValue(List<String> problems, JsonObject object, String key, Set<String> allowed) {
    if (object.containsKey(key)) {
      JsonValue value = object.get(key);
      if (!(value instanceof JsonString s) || !allowed.contains(s.getString())) {
        problems.add(key + " must be one of " + allowed);
      }
    }
  }

  // ---- call permissions and messages

  private UserPermission user(String waId) {
    return permissions.computeIfAbsent(waId, k -> new UserPermission());
  }

  private static int within(List<Instant> times, Duration period) {
    Instant since = Instant.now().minus(period);
    return (int) times.stream().filter(t -> t.isAfter(since)).count();
  }

  private boolean granted(UserPermission user) {
    return !"no_permission".equals(user.status) && (user.expiresAt == null || user.expiresAt > Instant.now().getEpochSecond());
  }

  private boolean canStartCall(String waId) {
    UserPermission user = user(waId);
    return granted(user) && within(user.calls, Duration.ofHours(24)) < 5;
  }

  private boolean canRequest(UserPermission user) {
    return !"permanent".equals(user.status) && within(user.requests, Duration.ofHours(24)) < 1
        && within(user.requests, Duration.ofDays(7)) < 2;
  }

  private Reply callPermissions(String rawQuery) {
    long now = System.nanoTime();
    permissionReads.removeIf(t -> now - t > TimeUnit.SECONDS.toNanos(1));
    if (permissionReads.size() >= 5) {
      return new Reply(429, MetaErrors.rateLimited(), Map.of());
    }
    permissionReads.add(now);
    String waId = query(rawQuery).get("user_wa_id");
    if (waId == null || waId.isEmpty()) return bad("user_wa_id is required");
    JsonObject override = permissionOverrides.get(waId);
    if (override != null) {
      return new Reply(200, override, Map.of());
    }
    synchronized (this) {
      UserPermission user = user(waId);
      JsonObjectBuilder permission = JSON.createObjectBuilder().add("status", granted(user) ? user.status : "no_permission");
      if (granted(user) && user.expiresAt != null) {
        permission.add("expiration_time", user.expiresAt);
      }
      return new Reply(200, JSON.createObjectBuilder()
          .add("messaging_product", "whatsapp")
          .add("permission", permission)
          .add("actions", JSON.createArrayBuilder()
              .add(JSON.createObjectBuilder().add("action_name", "send_call_permission_request").add("can_perform_action", canRequest(user))
                  .add("limits", JSON.createArrayBuilder()
                      .add(limit("PT24H", 1, within(user.requests, Duration.ofHours(24))))
                      .add(limit("P7D", 2, within(user.requests, Duration.ofDays(7))))))
              .add(JSON.createObjectBuilder().add("action_name", "start_call").add("can_perform_action", canStartCall(waId))
                  .add("limits", JSON.createArrayBuilder().add(limit("PT24H", 5, within(user.calls, Duration.ofHours(24)))))))
          .build(), Map.of());
    }
  }

  private static JsonObjectBuilder limit(String period, int max, int used) {
    return JSON.createObjectBuilder().add("time_period", period).add("max_allowed", max).add("current_usage", used);
  }

  private Reply messages(JsonObject body) {
    if (!"whatsapp".equals(body.getString("messaging_product", null))) {
      return bad("messaging_product must be 'whatsapp'");
    }
    String to = body.getString("to", null);
    if (to == null || to.isEmpty()) return bad("to is required");
    String type = body.getString("type", null);
    String messageId = "wamid." + UUID.randomUUID().toString().replace("-", "");
    if ("text".equals(type)) {
      if (!body.containsKey("text") || body.getJsonObject("text").getString("body", "").isEmpty()) {
        return bad("text.body is required");
      }
    } else if ("interactive".equals(type)) {
      JsonObject interactive = body.getJsonObject("interactive");
      if (interactive == null || !"call_permission_request".equals(interactive.getString("type", null))
          || interactive.getJsonObject("action") == null
          || !"call_permission_request".equals(interactive.getJsonObject("action").getString("name", null))) {
        return bad("interactive.type and interactive.action.name must be call_permission_request");
      }
      if (interactive.containsKey("body") && interactive.getJsonObject("body").getString("text", "").length() > 1024) {
        return bad("interactive.body.text must be at most 1024 characters");
      }
      synchronized (this) {
        UserPermission user = user(to);
        if (!canRequest(user)) {
          return new Reply(400, MetaErrors.permissionRequestLimit(), Map.of());
        }
        user.requests.add(Instant.now());
        user.lastRequestMessageId = messageId;
      }
    } else {
      return bad("unsupported message type " + type);
    }
    return new Reply(200, JSON.createObjectBuilder()
        .add("messaging_product", "whatsapp")
        .add("contacts", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("input", to).add("wa_id", to)))
        .add("messages", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("id", messageId)))
        .build(), Map.of());
  }

  private static Reply bad(String details) {
    return new Reply(400, MetaErrors.invalidParameter(details), Map.of());
  }

  private record Reply(int status, JsonObject body, Map<String, String> headers) {
    void send(HttpExchange exchange) throws IOException {
      byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
      headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    List.copyOf(stalls.keySet()).forEach(this::release);
    server.stop(0);
    executor.shutdownNow();
  }

  /** For diagnostics in failed assertions. */
  public String describe() {
    List<String> lines = new ArrayList<>();
    requests.forEach(r -> lines.add(r.method() + " " + r.path() + " -> " + r.status() + " " + (r.body() == null ? "" : r.body())));
    return String.join("\n", lines);
  }

  /** The names of the operations seen, for diagnostics. */
  public Set<String> operationsSeen() {
    Set<String> seen = new LinkedHashSet<>();
    requests.forEach(r -> seen.add(r.operation()));
    return seen;
  }
}
