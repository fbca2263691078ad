package dev.wavoice.testkit.openai;

import static dev.wavoice.testkit.JsonProviders.JSON;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * OpenAI's REST API as far as {@code GET /v1/models/<model>} goes, strict like the real one: a
 * bearer key is required (none: 401 with a null code; a wrong one: 401 {@code invalid_api_key}, the key
 * shown masked), an unknown model is 404 {@code model_not_found}, any other path or method is 404
 * "Invalid URL". A known model answers {@code {id, object: "model", created, owned_by}}. A test can
 * queue any answer (e.g. 429 {@code insufficient_quota}).
 */
public final class ModelsEndpoint implements AutoCloseable {

  /** One request: method, path, the Authorization header and the status answered. */
  public record Request(String method, String path, String authorization, int status) {}

  private record Answer(int status, JsonObject body) {}

  private static final String PREFIX = "/v1/models/";

  private final String apiKey;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> queued = new ConcurrentLinkedDeque<>();
  private volatile Set<String> models = Set.of("gpt-realtime", "gpt-realtime-mini", "gpt-4o-realtime-preview");

  ModelsEndpoint(String apiKey) {
    this.apiKey = apiKey;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The models the account may use. */
  public void models(String... ids) {
    models = Set.of(ids);
  }

  /** The next request gets this answer (after the path is checked). */
  public void failNext(int status, JsonObject body) {
    queued.add(new Answer(status, body));
  }

  public static JsonObject error(String message, String type, String param, String code) {
    var error = JSON.createObjectBuilder().add("message", message).add("type", type);
    if (param == null) error.addNull("param"); else error.add("param", param);
    if (code == null) error.addNull("code"); else error.add("code", code);
    return JSON.createObjectBuilder().add("error", error).build();
  }

  public static JsonObject insufficientQuota() {
    return error("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", null,
        "insufficient_quota");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      exchange.getRequestBody().readAllBytes();
      Answer answer = answer(method, path, auth);
      requests.add(new Request(method, path, auth, answer.status()));
      byte[] bytes = answer.body().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private Answer answer(String method, String path, String auth) {
    if (!method.equals("GET") || !path.startsWith(PREFIX) || path.length() == PREFIX.length()
        || path.substring(PREFIX.length()).contains("/")) {
      return new Answer(404, error("Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null));
    }
    if (auth == null || !auth.startsWith("Bearer ") || auth.substring(7).isBlank()) {
      return new Answer(401, error("You didn't provide an API key. You need to provide your API key in an Authorization header "
          + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error", null, null));
    }
    String key = auth.substring(7).strip();
    if (!key.equals(apiKey)) {
      // the same wording as the Realtime error event, in the REST error envelope
      return new Answer(401, error(OpenAiErrors.invalidApiKey(key).getString("message"), "invalid_request_error", null,
          "invalid_api_key"));
    }
    Answer scripted = queued.poll();
    if (scripted != null) {
      return scripted;
    }
    String model = path.substring(PREFIX.length());
    if (!models.contains(model)) {
      return new Answer(404, error("The model `" + model + "` does not exist or you do not have access to it.",
          "invalid_request_error", null, "model_not_found"));
    }
    return new Answer(200, JSON.createObjectBuilder().add("id", model).add("object", "model").add("created", 1756339249)
        .add("owned_by", "system").build());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
