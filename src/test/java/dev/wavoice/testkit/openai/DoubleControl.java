package dev.wavoice.testkit.openai;

import static dev.wavoice.testkit.JsonProviders.JSON;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wavoice.WireJson;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.bind.Jsonb;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP interface to an {@link OpenAiRealtimeDouble} running in its own process: scripts in,
 * recordings out. JSON in the wire's snake_case.
 *
 * <pre>
 * GET  /health                               200 when up
 * POST /turns                                a {@link Turn} for the next response of any session
 * POST /next-session | /every-session        session options: {"mismatch_formats", "never_confirm", "auto_vad",
 *                                            "vad_rms", "delta_interval_ms", "max_duration_ms", "record_audio_text",
 *                                            "record_input_audio", "late_deltas_ms", "default_turn"}
 * GET  /sessions                             each session: index, id, path, query, closed, close_code,
 *                                            input_audio_bytes, input_audio_crc32, received (count by type),
 *                                            opened_nanos, first_response_create_nanos, first_audio_delta_nanos,
 *                                            caller_onsets, response_audio_unix_ns (wall clock: see
 *                                            DoubleSession#callerOnsets, #responseAudioStarts)
 * GET  /sessions/{i}/received | /sent        the events, in order
 * GET  /sessions/{i}/input-audio             the caller audio received (bytes)
 * POST /sessions/{i}/turns                   a {@link Turn} for this session
 * POST /sessions/{i}/caller-transcript       text of the next committed caller turn
 * POST /sessions/{i}/speech-started | /speech-stopped | /release | /drop | /freeze
 * POST /sessions/{i}/close?code=1011
 * GET  /violations                           what OpenAI would have refused; DELETE clears it
 * </pre>
 */
public final class DoubleControl implements AutoCloseable {

  private static final Pattern SESSION = Pattern.compile("^/sessions/(\\d+)/([a-z-]+)$");

  private final OpenAiRealtimeDouble openai;
  private final HttpServer server;
  private final Jsonb jsonb = WireJson.create();

  /** Session options, as the control interface takes them. */
  public record SessionOptions(
      Boolean mismatchFormats, Boolean neverConfirm, Boolean autoVad, Double vadRms, Long deltaIntervalMs,
      Long maxDurationMs, Boolean recordAudioText, Boolean recordInputAudio, Integer lateDeltasMs, Turn defaultTurn) {

    Consumer<DoubleSession> setup() {
      return session -> {
        if (Boolean.TRUE.equals(mismatchFormats)) {
          session.mismatchFormats();
        }
        if (Boolean.TRUE.equals(neverConfirm)) {
          session.neverConfirm();
        }
        if (autoVad != null) {
          session.autoVad(autoVad);
        }
        if (vadRms != null) {
          session.vadRms(vadRms);
        }
        if (deltaIntervalMs != null) {
          session.deltaInterval(Duration.ofMillis(deltaIntervalMs));
        }
        if (maxDurationMs != null) {
          session.maxDuration(Duration.ofMillis(maxDurationMs));
        }
        if (recordAudioText != null) {
          session.recordAudioText(recordAudioText);
        }
        if (recordInputAudio != null) {
          session.recordInputAudio(recordInputAudio);
        }
        if (lateDeltasMs != null) {
          session.lateDeltasOnInterrupt(lateDeltasMs);
        }
        if (defaultTurn != null) {
          session.defaultTurn(defaultTurn);
        }
      };
    }
  }

  public DoubleControl(OpenAiRealtimeDouble openai, int port) {
    this.openai = openai;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 32);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      try {
        route(exchange, method, path, body);
      } catch (RuntimeException bad) {
        reply(exchange, 400, JSON.createObjectBuilder().add("error", String.valueOf(bad.getMessage())).build().toString());
      }
    }
  }

  private void route(HttpExchange exchange, String method, String path, String body) throws IOException {
    Matcher m = SESSION.matcher(path);
    if (m.matches()) {
      int index = Integer.parseInt(m.group(1));
      List<DoubleSession> sessions = openai.sessions();
      if (index >= sessions.size()) {
        reply(exchange, 404, "{\"error\":\"no session " + index + "\"}");
        return;
      }
      session(exchange, method, sessions.get(index), m.group(2), body);
      return;
    }
    switch (method + " " + path) {
      case "GET /health" -> reply(exchange, 200, "{\"status\":\"up\",\"url\":\"" + openai.url() + "\"}");
      case "POST /turns" -> {
        openai.enqueue(jsonb.fromJson(body, Turn.class));
        reply(exchange, 204, null);
      }
      case "POST /next-session" -> {
        openai.configureNextSession(jsonb.fromJson(body, SessionOptions.class).setup());
        reply(exchange, 204, null);
      }
      case "POST /every-session" -> {
        openai.configureEverySession(jsonb.fromJson(body, SessionOptions.class).setup());
        reply(exchange, 204, null);
      }
      case "GET /sessions" -> {
        JsonArrayBuilder all = JSON.createArrayBuilder();
        for (DoubleSession s : openai.sessions()) {
          JsonObjectBuilder counts = JSON.createObjectBuilder();
          s.receivedTypes().stream().collect(java.util.stream.Collectors.groupingBy(t -> String.valueOf(t),
              java.util.TreeMap::new, java.util.stream.Collectors.counting())).forEach(counts::add);
          all.add(JSON.createObjectBuilder().add("index", s.index()).add("id", s.id())
              .add("path", s.handshake().path()).add("query", JSON.createObjectBuilder(
                  new java.util.HashMap<String, Object>(s.handshake().query())))
              .add("closed", s.isClosed()).add("close_code", s.closeCode())
              .add("input_audio_bytes", s.inputAudioBytes()).add("input_audio_crc32", s.inputAudioCrc32())
              .add("opened_nanos", s.openedNanos()).add("first_response_create_nanos", s.firstResponseCreateNanos())
              .add("first_audio_delta_nanos", s.firstAudioDeltaNanos())
              .add("caller_onsets", onsets(s))
              .add("response_audio_unix_ns", longs(s.responseAudioStarts()))
              .add("received", counts));
        }
        reply(exchange, 200, all.build().toString());
      }
      case "GET /violations" -> {
        JsonArrayBuilder all = JSON.createArrayBuilder();
        openai.violations().forEach(v -> all.add(JSON.createObjectBuilder().add("session", v.session())
            .add("event_type", v.eventType()).add("problem", v.problem())));
        reply(exchange, 200, all.build().toString());
      }
      case "DELETE /violations" -> {
        openai.clearViolations();
        reply(exchange, 204, null);
      }
      default -> reply(exchange, 404, "{\"error\":\"no " + method + " " + path + "\"}");
    }
  }

  private void session(HttpExchange exchange, String method, DoubleSession s, String action, String body) throws IOException {
    switch (method + " " + action) {
      case "GET received" -> {
        JsonArrayBuilder all = JSON.createArrayBuilder();
        s.received().forEach(r -> all.add(r.event() == null ? JSON.createObjectBuilder().build() : r.event()));
        reply(exchange, 200, all.build().toString());
      }
      case "GET sent" -> {
        JsonArrayBuilder all = JSON.createArrayBuilder();
        s.sent().forEach(all::add);
        reply(exchange, 200, all.build().toString());
      }
      case "GET input-audio" -> {
        byte[] audio = s.inputAudio();
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, audio.length == 0 ? -1 : audio.length);
        exchange.getResponseBody().write(audio);
      }
      case "POST turns" -> {
        s.enqueue(jsonb.fromJson(body, Turn.class));
        reply(exchange, 204, null);
      }
      case "POST caller-transcript" -> {
        s.enqueueCallerTranscript(body);
        reply(exchange, 204, null);
      }
      case "POST speech-started" -> ok(exchange, s::speechStarted);
      case "POST speech-stopped" -> ok(exchange, s::speechStopped);
      case "POST release" -> ok(exchange, s::release);
      case "POST drop" -> ok(exchange, s::drop);
      case "POST freeze" -> ok(exchange, s::freeze);
      case "POST close" -> {
        String query = exchange.getRequestURI().getQuery();
        int code = query != null && query.startsWith("code=") ? Integer.parseInt(query.substring(5)) : 1000;
        ok(exchange, () -> s.closeWith(code, "closed by the control interface"));
      }
      default -> reply(exchange, 404, "{\"error\":\"no " + method + " " + action + "\"}");
    }
  }

  /** The caller's onsets, each {@code {"at_unix_ns", "offset_ns", "chunk_ns", "hz"}} (hz -1: not measured). */
  private static JsonArrayBuilder onsets(DoubleSession s) {
    JsonArrayBuilder all = JSON.createArrayBuilder();
    for (var onset : s.callerOnsets()) {
      all.add(JSON.createObjectBuilder().add("at_unix_ns", onset.chunkArrivalNanos()).add("offset_ns", onset.offsetNanos())
          .add("chunk_ns", onset.chunkNanos()).add("hz", Double.isNaN(onset.hz()) ? -1 : onset.hz()));
    }
    return all;
  }

  private static JsonArrayBuilder longs(List<Long> values) {
    JsonArrayBuilder all = JSON.createArrayBuilder();
    values.forEach(all::add);
    return all;
  }

  private static void ok(HttpExchange exchange, Runnable action) throws IOException {
    action.run();
    reply(exchange, 204, null);
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    if (json == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
  }

  static JsonObject parse(String json) {
    try (var reader = JSON.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
