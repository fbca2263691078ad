package dev.wavoice.testkit.whatsapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wavoice.testkit.Fixtures;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict stand-in for Meta's Graph API (WhatsApp Cloud API), on loopback: the endpoints wavoice
 * calls, checked the way Meta checks them (bearer token, version, exact body shapes, SDP rules, the
 * same answer in pre_accept and accept) and answered with Meta's reply and error shapes. Every request
 * is recorded. A test can queue failures (an error body with any status, 429 with Retry-After, 5xx).
 */
public final class WhatsAppCloudDouble implements AutoCloseable {

  private static final Pattern PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([^/]+)(?:/([^/]+))?/?$");
  private static final Set<String> ACTIONS = Set.of("pre_accept", "accept", "reject", "terminate", "connect");

  /** A queued answer for the next request to an operation (e.g. {@code calls/accept}, {@code settings}). */
  public record Failure(int status, JsonObject body, Map<String, String> headers) {}

  private final String accessToken;
  private final String phoneNumberId;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final List<GraphRequest> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Failure>> failures = new ConcurrentHashMap<>();
  private final Map<String, String> preAcceptedSdp = new ConcurrentHashMap<>();
  private final Set<String> knownCalls = ConcurrentHashMap.newKeySet();
  private final Map<String, JsonObject> permissions = new ConcurrentHashMap<>();
  private volatile JsonObject settings = Fixtures.whatsappJson("graph-settings.response.json");

  private WhatsAppCloudDouble(String accessToken, String phoneNumberId) {
    this.accessToken = accessToken;
    this.phoneNumberId = phoneNumberId;
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

  /** Signs and sends webhooks to the app the way Meta does. */
  public WebhookSender webhooks(URI webhookUri, String appSecret) {
    return new WebhookSender(webhookUri, appSecret, this);
  }

  // ---- what happened

  public List<GraphRequest> requests() {
    return List.copyOf(requests);
  }

  /** The {@code /calls} requests about one call id, in order. */
  public List<GraphRequest> callActions(String callId) {
    return requests.stream().filter(r -> callId.equals(r.callId())).toList();
  }

  /** The actions ({@code pre_accept}, {@code accept}, ...) Meta accepted (2xx) for this call id, in order. */
  public List<String> acceptedActions(String callId) {
    return callActions(callId).stream().filter(r -> r.status() / 100 == 2).map(GraphRequest::action).toList();
  }

  // ---- scripting

  /** The next request to {@code operation} (e.g. {@code calls/accept}, {@code settings}, {@code messages}) gets this answer. */
  public void failNext(String operation, int status, JsonObject body, Map<String, String> headers) {
    failures.computeIfAbsent(operation, k -> new ConcurrentLinkedDeque<>()).add(new Failure(status, body, headers));
  }

  public void failNext(String operation, int status, JsonObject body) {
    failNext(operation, status, body, Map.of());
  }

  /** A call Meta offered to the business (as a webhook would); actions on other call ids are refused. */
  public void knowCall(String callId) {
    knownCalls.add(callId);
  }

  public void setCallPermissions(String userWaId, JsonObject reply) {
    permissions.put(userWaId, reply);
  }

  public void setSettings(JsonObject settings) {
    this.settings = settings;
  }

  public JsonObject settings() {
    return settings;
  }

  // ---- serving

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String rawPath = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      byte[] raw = exchange.getRequestBody().readAllBytes();
      JsonObject body = null;
      Reply reply;
      Matcher m = PATH.matcher(rawPath);
      if (!m.matches()) {
        reply = new Reply(400, MetaErrors.unsupportedRequest(method, rawPath), Map.of());
      } else if (auth == null || !auth.equals("Bearer " + accessToken)) {
        reply = new Reply(401, MetaErrors.invalidToken(), Map.of());
      } else {
        String node = m.group(2);
        String edge = m.group(3);
        if (raw.length > 0) {
          try (var reader = Json.createReader(new StringReader(new String(raw, StandardCharsets.UTF_8)))) {
            body = reader.readObject();
          } catch (JsonException | IllegalStateException notJson) {
            reply = new Reply(400, MetaErrors.invalidParameter("the body is not a JSON object"), Map.of());
            record(method, m.group(1), rawPath, query, auth, null, reply.status);
            reply.send(exchange);
            return;
          }
        }
        reply = route(method, node, edge, query, body, exchange.getRequestHeaders().getFirst("Content-Type"));
      }
      record(method, m.matches() ? m.group(1) : null, m.matches() ? rawPath.substring(m.group(1).length() + 1) : rawPath,
          query, auth, body, reply.status);
      reply.send(exchange);
    } catch (RuntimeException bug) {
      bug.printStackTrace();
      throw bug;
    }
  }

  private void record(String method, String version, String path, String query, String auth, JsonObject body, int status) {
    requests.add(new GraphRequest(method, version, path, query, auth, body, status));
  }

  private Reply route(String method, String node, String edge, String query, JsonObject body, String contentType) {
    if (!phoneNumberId.equals(node) || edge == null) {
      return new Reply(400, MetaErrors.unsupportedRequest(method, node), Map.of());
    }
    String operation = switch (edge) {
      case "calls" -> "calls/" + (body == null ? "?" : body.getString("action", "?"));
      case "settings" -> method.equals("GET") ? "settings" : "settings/update";
      default -> edge;
    };
    Failure failure = failures.getOrDefault(operation, new ConcurrentLinkedDeque<>()).poll();
    if (failure != null) {
      return new Reply(failure.status(), failure.body(), failure.headers());
    }
    if (method.equals("POST") && (contentType == null || !contentType.startsWith("application/json"))) {
      return new Reply(400, MetaErrors.invalidParameter("Content-Type must be application/json"), Map.of());
    }
    return switch (method + " " + edge) {
      case "POST calls" -> calls(body);
      case "GET settings" -> new Reply(200, settings, Map.of());
      case "POST settings" -> updateSettings(body);
      case "GET call_permissions" -> callPermissions(query);
      case "POST messages" -> messages(body);
      default -> new Reply(400, MetaErrors.unsupportedRequest(method, node + "/" + edge), Map.of());
    };
  }

  private Reply calls(JsonObject body) {
    if (body == null) return bad("missing body");
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
    if (action.equals("connect")) {
      String to = body.getString("to", null);
      if (to == null || !to.matches("\\d{6,15}")) return bad("to must be a WhatsApp id (digits, no '+')");
      String problem = session(body, "offer");
      if (problem != null) return bad(problem);
      String callId = "wacid." + UUID.randomUUID().toString().replace("-", "");
      knownCalls.add(callId);
      return new Reply(200, Json.createObjectBuilder()
          .add("messaging_product", "whatsapp")
          .add("calls", Json.createArrayBuilder().add(Json.createObjectBuilder().add("id", callId)))
          .build(), Map.of());
    }
    String callId = body.getString("call_id", null);
    if (callId == null || !callId.startsWith("wacid.")) return bad("call_id is required");
    if (!knownCalls.contains(callId)) return bad("Invalid call_id: no such call");
    if (action.equals("pre_accept") || action.equals("accept")) {
      String problem = session(body, "answer");
      if (problem != null) return bad(problem);
      String sdp = body.getJsonObject("session").getString("sdp");
      if (action.equals("pre_accept")) {
        preAcceptedSdp.put(callId, sdp);
      } else if (preAcceptedSdp.containsKey(callId) && !preAcceptedSdp.get(callId).equals(sdp)) {
        return bad("SDP answer provided in accept does not match the SDP answer given in the Pre-Accept endpoint for the same call-id");
      }
    }
    return new Reply(200, Json.createObjectBuilder().add("messaging_product", "whatsapp").add("success", true).build(), Map.of());
  }

  private static String session(JsonObject body, String sdpType) {
    if (!body.containsKey("session") || body.get("session").getValueType() != JsonValue.ValueType.OBJECT) {
      return "session is required";
    }
    JsonObject session = body.getJsonObject("session");
    if (!session.keySet().equals(Set.of("sdp_type", "sdp"))) return "session must have exactly sdp_type and sdp";
    if (!sdpType.equals(session.getString("sdp_type", null))) return "session.sdp_type must be '" + sdpType + "'";
    String sdp = session.getString("sdp", null);
    List<String> problems = sdpType.equals("answer") ? SdpChecks.answer(sdp) : SdpChecks.offer(sdp);
    return problems.isEmpty() ? null : "SDP validation failed: " + String.join("; ", problems);
  }

  private Reply updateSettings(JsonObject body) {
    if (body == null || !body.containsKey("calling") || body.get("calling").getValueType() != JsonValue.ValueType.OBJECT) {
      return bad("calling settings are required");
    }
    JsonObject calling = body.getJsonObject("calling");
    Set<String> allowed = Set.of("status", "call_icon_visibility", "call_hours", "callback_permission_status", "sip");
    for (String key : calling.keySet()) {
      if (!allowed.contains(key)) return bad("unexpected parameter calling." + key);
    }
    for (String key : List.of("status", "callback_permission_status")) {
      if (calling.containsKey(key) && !Set.of("ENABLED", "DISABLED").contains(calling.getString(key, ""))) {
        return bad("calling." + key + " must be ENABLED or DISABLED");
      }
    }
    var merged = Json.createObjectBuilder(settings.getJsonObject("calling"));
    calling.forEach(merged::add);
    settings = Json.createObjectBuilder(settings).add("calling", merged).build();
    return new Reply(200, Json.createObjectBuilder().add("success", true).build(), Map.of());
  }

  private Reply callPermissions(String query) {
    String waId = null;
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("user_wa_id=")) waId = pair.substring("user_wa_id=".length());
      }
    }
    if (waId == null || waId.isEmpty()) return bad("user_wa_id is required");
    return new Reply(200, permissions.getOrDefault(waId, Fixtures.whatsappJson("graph-call-permissions.response.json")), Map.of());
  }

  private Reply messages(JsonObject body) {
    if (body == null || !"whatsapp".equals(body.getString("messaging_product", null))) {
      return bad("messaging_product must be 'whatsapp'");
    }
    String to = body.getString("to", null);
    if (to == null || to.isEmpty()) return bad("to is required");
    String type = body.getString("type", null);
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
    } else {
      return bad("unsupported message type " + type);
    }
    return new Reply(200, Json.createObjectBuilder()
        .add("messaging_product", "whatsapp")
        .add("contacts", Json.createArrayBuilder().add(Json.createObjectBuilder().add("input", to).add("wa_id", to)))
        .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder().add("id", "wamid." + UUID.randomUUID())))
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
    server.stop(0);
    executor.shutdownNow();
  }

  /** For diagnostics in failed assertions. */
  public String describe() {
    List<String> lines = new ArrayList<>();
    requests.forEach(r -> lines.add(r.method() + " " + r.path() + " -> " + r.status() + " " + (r.body() == null ? "" : r.body())));
    return String.join("\n", lines);
  }
}
