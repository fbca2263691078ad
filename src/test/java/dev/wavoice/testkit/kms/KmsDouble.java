package dev.wavoice.testkit.kms;

import static dev.wavoice.testkit.JsonProviders.JSON;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A strict stand-in for Kurento Media Server 7.3.0 on loopback, speaking its JSON-RPC protocol over
 * WebSocket as traced from the real kurento-client and the real KMS: {@code ping}, {@code connect}
 * (40007 for an unknown session), {@code create}, {@code invoke}, {@code subscribe},
 * {@code unsubscribe}, {@code release}, {@code closeSession}, {@code transaction} with
 * {@code newref:}, {@code describe}, the {@code onEvent} shapes and the error codes, types and messages
 * KMS sends. The real kurento-client runs against it unchanged.
 *
 * <p>Media: {@link RtpEndpointDouble} really sends and receives RTP (PCMU or Opus) on loopback UDP;
 * {@link WebRtcEndpointDouble} has a virtual caller a test drives (connect, play audio, capture what it
 * hears, fail ICE/DTLS). Faults: {@link #restart()} (every object lost; kurento-client then sees
 * {@code reconnected(false)}), {@link #dropConnections()} (same server; {@code reconnected(true)}),
 * {@link #stop()}/{@link #startAgain()}, {@link #failNext}, {@link #holdGathering}.
 *
 * <p>Not modelled: the request cache, session garbage collection, RTCP, video, real ICE/DTLS.
 * It also runs in its own process ({@link KmsDoubleMain}) for load runs.
 */
public final class KmsDouble implements AutoCloseable {

  public static final String SERVER_MANAGER = "manager_ServerManager";
  private static final String PATH = "/kurento";

  /** How the double starts: port (0 = any free one), its RTP/ICE port range, the virtual callers' behaviour. */
  public record Options(int port, int minPort, int maxPort, boolean autoConnectCallers, double callerToneHz,
      CallerSpeech callerSpeech, boolean keepHeardAudio) {

    public static Options defaults() {
      return new Options(0, 42000, 42999, false, 0, null, true);
    }

    public Options port(int p) {
      return new Options(p, minPort, maxPort, autoConnectCallers, callerToneHz, callerSpeech, keepHeardAudio);
    }

    public Options ports(int min, int max) {
      return new Options(port, min, max, autoConnectCallers, callerToneHz, callerSpeech, keepHeardAudio);
    }

    /** Callers connect (ICE/DTLS events) as soon as their endpoint has negotiated and gathered. */
    public Options autoConnectCallers(boolean on) {
      return new Options(port, minPort, maxPort, on, callerToneHz, callerSpeech, keepHeardAudio);
    }

    /** Connected callers that have nothing queued speak this tone (0 = silence). */
    public Options callerToneHz(double hz) {
      return new Options(port, minPort, maxPort, autoConnectCallers, hz, callerSpeech, keepHeardAudio);
    }

    /** Callers speak their tone in turns ({@code null}: without pause); silent frames in between. */
    public Options callerSpeech(CallerSpeech speech) {
      return new Options(port, minPort, maxPort, autoConnectCallers, callerToneHz, speech, keepHeardAudio);
    }

    /**
     * Whether what callers hear is kept for {@link WebRtcEndpointDouble#heardByCaller()}; off for load
     * runs, which also get the cheapest Opus encoding of the callers' audio.
     */
    public Options keepHeardAudio(boolean keep) {
      return new Options(port, minPort, maxPort, autoConnectCallers, callerToneHz, callerSpeech, keep);
    }
  }


  final Object lock = new Object();
  private final Options options;
  private final int port;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kms-double-events"));
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kms-double-audio"));

  // guarded by lock
  private final Map<String, MediaObjectDouble> objects = new LinkedHashMap<>();
  private final Set<String> sessions = new LinkedHashSet<>();
  private final Map<String, WebSocket> sessionConnections = new HashMap<>();
  private final Map<String, Map<String, Set<String>>> subscriptions = new HashMap<>();
  private final Map<String, String[]> subscriptionIds = new HashMap<>();
  private final Map<String, Deque<KmsError>> failures = new HashMap<>();
  private String serverId = UUID.randomUUID().toString();
  private boolean holdGathering;
  private int nextPort;

  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<JsonObject> errorsSent = new CopyOnWriteArrayList<>();
  private final List<String> protocolViolations = new CopyOnWriteArrayList<>();
  private final BotAudioArrivals arrivals = new BotAudioArrivals();
  private final LeanCallerAudio leanCallerAudio;
  private volatile Server server;

  private KmsDouble(Options options, int port) {
    this.options = options;
    this.port = port;
    this.leanCallerAudio = !options.keepHeardAudio() && options.callerToneHz() > 0
        ? LeanCallerAudio.forCallers(options.callerToneHz(), options.callerSpeech()) : null;
    this.nextPort = options.minPort();
    ticker.scheduleAtFixedRate(this::tick, 20, 20, TimeUnit.MILLISECONDS);
  }

  public static KmsDouble start() {
    return start(Options.defaults());
  }

  public static KmsDouble start(Options options) {
    int port = options.port() == 0 ? dev.wavoice.testkit.Ports.freeTcpPort() : options.port();
    KmsDouble kms = new KmsDouble(options, port);
    kms.startServer();
    return kms;
  }

  /** A double whose port is known but which is not listening yet (KMS down); {@link #startAgain()} brings it up. */
  public static KmsDouble notStarted(Options options) {
    int port = options.port() == 0 ? dev.wavoice.testkit.Ports.freeTcpPort() : options.port();
    return new KmsDouble(options, port);
  }

  private void startServer() {
    Server s = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    s.setReuseAddr(true);
    s.setConnectionLostTimeout(0); // KMS sends no WebSocket pings
    s.setTcpNoDelay(true);
    s.setDaemon(true);
    s.start();
    try {
      s.started.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("KMS double could not listen on 127.0.0.1:" + port, e);
    }
    server = s;
  }

  public String url() {
    return "ws://127.0.0.1:" + port + PATH;
  }

  public int port() {
    return port;
  }

  // ---- what happened

  /** Every request received, in order. */
  public List<JsonObject> requests() {
    return List.copyOf(requests);
  }

  public List<JsonObject> requests(String method) {
    return requests.stream().filter(r -> method.equals(r.getString("method", null))).toList();
  }

  /** Every error answer sent (a correct client on a good path causes none). */
  public List<JsonObject> errorsSent() {
    return List.copyOf(errorsSent);
  }

  /** Requests that broke the protocol (bad JSON, missing jsonrpc, ...). */
  public List<String> protocolViolations() {
    return List.copyOf(protocolViolations);
  }

  /** Forgets the violations seen so far (each test class of a shared stack starts clean). */
  public void clearViolations() {
    protocolViolations.clear();
  }

  /** Fails, listing them, if any request broke the protocol. */
  public void assertNoViolations() {
    List<String> seen = protocolViolations();
    if (!seen.isEmpty()) {
      throw new AssertionError("the KMS double saw " + seen.size() + " protocol violation(s): " + seen);
    }
  }

  /** What wavoice's RTP brought to the callers, as timed at arrival (for load runs). */
  public BotAudioArrivals arrivals() {
    return arrivals;
  }

  public List<PipelineDouble> pipelines() {
    synchronized (lock) {
      return objects.values().stream().filter(o -> o instanceof PipelineDouble).map(o -> (PipelineDouble) o).toList();
    }
  }

  public Optional<PipelineDouble> pipelineTagged(String key, String value) {
    return pipelines().stream().filter(p -> value.equals(p.tags().get(key))).findFirst();
  }

  public Set<String> sessions() {
    synchronized (lock) {
      return Set.copyOf(sessions);
    }
  }

  // ---- faults

  /** The next {@code invoke} of {@code operation} (or request of that method, e.g. {@code create}) gets this error. */
  public void failNext(String operationOrMethod, int code, String type, String message) {
    synchronized (lock) {
      failures.computeIfAbsent(operationOrMethod, k -> new ArrayDeque<>()).add(new KmsError(code, type, message));
    }
  }

  /** While on, gathering never finishes (no IceGatheringDone). */
  public void holdGathering(boolean on) {
    synchronized (lock) {
      holdGathering = on;
    }
  }

  /** KMS crashed and came back: every connection drops, every object and session is gone. */
  public void restart() {
    synchronized (lock) {
      dropAll();
      clearState();
      serverId = UUID.randomUUID().toString();
    }
  }

  /** The links drop but KMS keeps running: sessions and objects survive. */
  public void dropConnections() {
    synchronized (lock) {
      dropAll();
    }
  }

  /** KMS goes down: connections drop, the port closes, everything is lost. */
  public void stop() {
    Server s = server;
    server = null;
    if (s != null) {
      s.stopping = true; // a client reconnecting while the port closes must not get a session
    }
    synchronized (lock) {
      clearState();
      serverId = UUID.randomUUID().toString();
    }
    // closes every connection as a stopping server does (close frame "going away"), then the port
    if (s != null) {
      try {
        s.stop(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** KMS (re)starts on the same port. */
  public void startAgain() {
    if (server == null) {
      startServer();
    }
  }

  private void dropAll() {
    Server s = server;
    if (s != null) {
      for (WebSocket conn : s.getConnections()) {
        conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "KMS double dropped the connection");
      }
    }
  }

  private void clearState() {
    for (MediaObjectDouble o : List.copyOf(objects.values())) {
      o.release();
    }
    objects.clear();
    sessions.clear();
    sessionConnections.clear();
    subscriptions.clear();
    subscriptionIds.clear();
  }

  // ---- protocol

  private void onText(WebSocket conn, String text) {
    JsonValue parsed;
    try (var reader = JSON.createReader(new StringReader(text))) {
      parsed = reader.readValue();
    } catch (JsonException e) {
      parsed = null;
    }
    if (!(parsed instanceof JsonObject request)) {
      // KMS drops the connection on a message that is not a JSON object
      protocolViolations.add("not a JSON object: " + text);
      conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "invalid message");
      return;
    }
    synchronized (lock) {
      JsonObject response = handle(conn, request);
      if (response != null && conn.isOpen()) {
        conn.send(response.toString());
      }
    }
  }

  private JsonObject handle(WebSocket conn, JsonObject request) {
    requests.add(request);
    JsonValue id = request.get("id");
    if (!(request.get("jsonrpc") instanceof JsonString v) || !v.getString().equals("2.0") || !(request.get("method") instanceof JsonString)) {
      protocolViolations.add("invalid JSON-RPC request: " + request);
      return error(JsonValue.NULL, new KmsError(-32600, null, "Invalid JSON-RPC request."));
    }
    String method = request.getString("method");
    JsonValue rawParams = request.get("params");
    try {
      if (rawParams != null && rawParams != JsonValue.NULL && !(rawParams instanceof JsonObject)) {
        throw KmsError.paramsRequired();
      }
      JsonObject params = rawParams instanceof JsonObject p ? p : null;
      JsonValue result = dispatch(conn, method, params);
      if (id == null) {
        protocolViolations.add("request without id: " + request);
        return JSON.createObjectBuilder()
            .add("error", JSON.createObjectBuilder().add("code", -32000).add("data", result)
                .add("message", "Ignoring response because of a notification request"))
            .add("id", JsonValue.NULL).add("jsonrpc", "2.0").build();
      }
      return JSON.createObjectBuilder().add("id", id).add("jsonrpc", "2.0").add("result", result).build();
    } catch (KmsError e) {
      return error(id == null ? JsonValue.NULL : id, e);
    }
  }

  private JsonObject error(JsonValue id, KmsError e) {
    JsonObjectBuilder error = JSON.createObjectBuilder().add("code", e.code);
    if (e.type != null) {
      error.add("data", JSON.createObjectBuilder().add("type", e.type));
    }
    error.add("message", e.getMessage());
    JsonObject response = JSON.createObjectBuilder().add("error", error).add("id", id).add("jsonrpc", "2.0").build();
    errorsSent.add(response);
    return response;
  }

  private JsonValue dispatch(WebSocket conn, String method, JsonObject params) {
    Deque<KmsError> scripted = failures.get(method);
    if (scripted != null && !scripted.isEmpty() && !method.equals("invoke")) {
      throw scripted.poll();
    }
    return switch (method) {
      case "ping" -> {
        String sid = session(conn, params, false);
        JsonObjectBuilder result = JSON.createObjectBuilder();
        if (sid != null) {
          result.add("sessionId", sid);
        }
        yield result.add("value", "pong").build();
      }
      case "connect" -> connect(conn, params);
      case "create" -> {
        JsonObject p = need(params);
        String sid = session(conn, p, true);
        MediaObjectDouble created = create(p, sid);
        yield JSON.createObjectBuilder().add("sessionId", sid).add("value", created.id).build();
      }
      case "invoke" -> {
        JsonObject p = need(params);
        String sid = session(conn, p, true);
        yield JSON.createObjectBuilder().add("sessionId", sid).add("value", invoke(p)).build();
      }
      case "subscribe" -> {
        JsonObject p = need(params);
        String sid = session(conn, p, true);
        yield JSON.createObjectBuilder().add("sessionId", sid).add("value", subscribe(p, sid)).build();
      }
      case "unsubscribe" -> {
        JsonObject p = need(params);
        String sid = session(conn, p, true);
        String[] subscription = subscriptionIds.remove(p.getString("subscription", ""));
        if (subscription != null) {
          Set<String> subscribers = subscriptions.getOrDefault(subscription[0], Map.of()).get(subscription[1]);
          if (subscribers != null && subscriptionIds.values().stream().noneMatch(s -> s[0].equals(subscription[0])
              && s[1].equals(subscription[1]) && s[2].equals(subscription[2]))) {
            subscribers.remove(subscription[2]);
          }
        }
        yield JSON.createObjectBuilder().add("sessionId", sid).build();
      }
      case "release" -> {
        JsonObject p = need(params);
        String sid = session(conn, p, true);
        MediaObjectDouble object = objects.get(objectId(p));
        if (object != null) {
          release(object); // an unknown object is not an error in KMS
        }
        yield JSON.createObjectBuilder().add("sessionId", sid).build();
      }
      case "closeSession" -> {
        String sid = session(conn, params, false);
        if (sid != null) {
          for (MediaObjectDouble o : List.copyOf(objects.values())) {
            if (sid.equals(o.ownerSession) && objects.containsKey(o.id)) {
              release(o);
            }
          }
          subscriptionIds.values().removeIf(s -> s[2].equals(sid));
          subscriptions.values().forEach(byType -> byType.values().forEach(sids -> sids.remove(sid)));
          sessions.remove(sid);
          sessionConnections.remove(sid);
        }
        yield JsonValue.NULL;
      }
      case "transaction" -> transaction(conn, need(params));
      case "describe" -> {
        JsonObject p = need(params);
        String sid = session(conn, p, true);
        MediaObjectDouble object = lookup(objectId(p));
        JsonArrayBuilder hierarchy = JSON.createArrayBuilder();
        object.hierarchy().forEach(hierarchy::add);
        yield JSON.createObjectBuilder().add("hierarchy", hierarchy).add("qualifiedType", "kurento." + object.type)
            .add("sessionId", sid).add("type", object.type).build();
      }
      case "keepAlive", "ref", "unref" -> JSON.createObjectBuilder().add("sessionId", session(conn, need(params), true)).build();
      default -> throw KmsError.methodNotFound();
    };
  }

  private JsonValue connect(WebSocket conn, JsonObject params) {
    String requested = params == null ? null : params.getString("sessionId", null);
    String sid;
    if (requested != null) {
      if (!sessions.contains(requested)) {
        throw KmsError.invalidSession();
      }
      sid = requested;
    } else {
      sid = conn.getAttachment() != null ? conn.<String>getAttachment() : UUID.randomUUID().toString();
    }
    attach(conn, sid);
    return JSON.createObjectBuilder().add("serverId", serverId).add("sessionId", sid).build();
  }

  /** The request's session: its {@code sessionId}, else the connection's last one, else (when asked) a new one. */
  private String session(WebSocket conn, JsonObject params, boolean create) {
    String sid = params == null ? null : params.getString("sessionId", null);
    if (sid == null) {
      sid = conn.getAttachment();
    }
    if (sid == null && create) {
      sid = UUID.randomUUID().toString();
    }
    if (sid != null) {
      attach(conn, sid);
    }
    return sid;
  }

  private void attach(WebSocket conn, String sid) {
    sessions.add(sid);
    sessionConnections.put(sid, conn);
    conn.setAttachment(sid);
  }

  private static JsonObject need(JsonObject params) {
    if (params == null) {
      throw KmsError.paramsRequired();
    }
    return params;
  }

  private static String objectId(JsonObject params) {
    if (!(params.get("object") instanceof JsonString s)) {
      throw KmsError.server("'object' parameter is required");
    }
    return s.getString();
  }

  private MediaObjectDouble lookup(String id) {
    MediaObjectDouble object = objects.get(id);
    if (object == null) {
      throw KmsError.objectNotFound(id);
    }
    return object;
  }

  private MediaObjectDouble create(JsonObject params, String sid) {
    if (!(params.get("type") instanceof JsonString t)) {
      throw KmsError.marshall("'type' parameter should be a string");
    }
    String type = t.getString();
    JsonValue constructor = params.get("constructorParams");
    if (constructor != null && constructor != JsonValue.NULL && !(constructor instanceof JsonObject)) {
      throw KmsError.marshall("'constructorParams' should be an object");
    }
    JsonObject ctor = constructor instanceof JsonObject c ? c : JsonValue.EMPTY_JSON_OBJECT;
    String uuid = UUID.randomUUID().toString();
    MediaObjectDouble created = switch (type) {
      case "MediaPipeline" -> new PipelineDouble(this, uuid + "_kurento.MediaPipeline", sid);
      case "WebRtcEndpoint", "RtpEndpoint" -> {
        if (!(ctor.get("mediaPipeline") instanceof JsonString p)) {
          throw KmsError.marshall("'mediaPipeline' parameter should be a string");
        }
        if (!(objects.get(p.getString()) instanceof PipelineDouble pipeline)) {
          throw KmsError.objectNotFound(p.getString());
        }
        String id = pipeline.id + "/" + uuid + "_kurento." + type;
        JsonValue keyType = ctor.get("certificateKeyType");
        if (type.equals("WebRtcEndpoint") && keyType != null
            && !(keyType instanceof JsonString k && (k.getString().equals("RSA") || k.getString().equals("ECDSA")))) {
          throw KmsError.marshall("'certificateKeyType' parameter should be one of RSA, ECDSA");
        }
        ElementDouble element;
        if (type.equals("WebRtcEndpoint")) {
          WebRtcEndpointDouble webRtc = new WebRtcEndpointDouble(this, id, sid, pipeline);
          webRtc.certificateKeyType = keyType == null ? "RSA" : ((JsonString) keyType).getString(); // Kurento's default: RSA
          element = webRtc;
        } else {
          element = new RtpEndpointDouble(this, id, sid, pipeline);
        }
        pipeline.elements.add(element);
        yield element;
      }
      case "PlayerEndpoint", "RecorderEndpoint", "PassThrough", "HubPort", "Composite", "Dispatcher",
          "DispatcherOneToMany", "AlphaBlending", "Mixer", "HttpPostEndpoint" ->
          throw KmsError.notImplemented(type + " is not modelled");
      default -> throw KmsError.factoryNotFound(type);
    };
    objects.put(created.id, created);
    return created;
  }

  private JsonValue invoke(JsonObject params) {
    String id = objectId(params);
    if (!(params.get("operation") instanceof JsonString op)) {
      throw KmsError.server("'operation' parameter is required");
    }
    String operation = op.getString();
    JsonValue rawOperationParams = params.get("operationParams");
    if (rawOperationParams != null && rawOperationParams != JsonValue.NULL && !(rawOperationParams instanceof JsonObject)) {
      throw KmsError.marshall("'operationParams' should be an object");
    }
    JsonObject operationParams = rawOperationParams instanceof JsonObject o ? o : null;
    Deque<KmsError> scripted = failures.get(operation);
    if (scripted != null && !scripted.isEmpty()) {
      throw scripted.poll();
    }
    if (id.equals(SERVER_MANAGER)) {
      return serverManager(operation, operationParams);
    }
    return lookup(id).invoke(operation, operationParams);
  }

  private JsonValue serverManager(String operation, JsonObject params) {
    return switch (operation) {
      case "getInfo" -> JSON.createObjectBuilder().add("__module__", "kurento").add("__type__", "ServerInfo")
          .add("capabilities", JSON.createArrayBuilder().add("transactions"))
          .add("modules", JSON.createArrayBuilder()
              .add(module("core", JSON.createArrayBuilder().add("HubPort").add("MediaPipeline").add("PassThrough")))
              .add(module("elements", JSON.createArrayBuilder().add("RtpEndpoint").add("WebRtcEndpoint"))))
          .add("type", "KMS").add("version", "7.3.0").build();
      case "getPipelines" -> {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        objects.values().stream().filter(o -> o instanceof PipelineDouble).forEach(o -> array.add(o.id));
        yield array.build();
      }
      case "getSessions" -> {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        sessions.forEach(array::add);
        yield array.build();
      }
      case "getUsedCpu" -> {
        MediaObjectDouble.required(params);
        yield JSON.createValue(0.5);
      }
      case "getUsedMemory" -> JSON.createValue(41_572);
      case "getCpuCount" -> JSON.createValue(Runtime.getRuntime().availableProcessors());
      default -> throw MediaObjectDouble.unknown(operation, params);
    };
  }

  private static JsonObjectBuilder module(String name, JsonArrayBuilder factories) {
    return JSON.createObjectBuilder().add("__module__", "kurento").add("__type__", "ModuleInfo").add("factories", factories)
        .add("generationTime", "Nov 25 2026 09:20:52").add("name", name).add("version", "7.3.0");
  }

  private JsonValue subscribe(JsonObject params, String sid) {
    MediaObjectDouble object = lookup(objectId(params));
    String type = params.getString("type", "");
    if (!object.events().contains(type)) {
      throw KmsError.eventNotSupported(type);
    }
    String subscription = UUID.randomUUID().toString();
    subscriptions.computeIfAbsent(object.id, k -> new HashMap<>()).computeIfAbsent(type, k -> new LinkedHashSet<>()).add(sid);
    subscriptionIds.put(subscription, new String[] {object.id, type, sid});
    return JSON.createValue(subscription);
  }

  private JsonValue transaction(WebSocket conn, JsonObject params) {
    String sid = session(conn, params, true);
    if (!(params.get("operations") instanceof JsonArray operations)) {
      throw KmsError.marshall("'operations' parameter should be an array");
    }
    for (int i = 0; i < operations.size(); i++) {
      JsonValue opId = operations.get(i) instanceof JsonObject o ? o.get("id") : null;
      if (!(opId instanceof jakarta.json.JsonNumber n) || n.intValue() != i) {
        throw KmsError.malformedTransaction("Id of request '" + i + "' should be '" + i + "'");
      }
    }
    List<String> newRefs = new ArrayList<>();
    JsonArrayBuilder results = JSON.createArrayBuilder();
    for (int i = 0; i < operations.size(); i++) {
      JsonObject operation = operations.getJsonObject(i);
      JsonObject resolved = (JsonObject) resolveNewRefs(operation, newRefs);
      JsonObject opParams = resolved.get("params") instanceof JsonObject p
          ? JSON.createObjectBuilder(p).add("sessionId", sid).build()
          : JSON.createObjectBuilder().add("sessionId", sid).build();
      try {
        JsonValue result = dispatch(conn, resolved.getString("method", ""), opParams);
        results.add(JSON.createObjectBuilder().add("id", i).add("jsonrpc", "2.0").add("result", result));
        // KMS resolves newref:N to the value of operation N (not the N-th created object, which is how
        // kurento-client numbers them): an operation without a string value gives "" and its use fails
        newRefs.add(result instanceof JsonObject r && r.get("value") instanceof JsonString s ? s.getString() : "");
      } catch (KmsError e) {
        JsonObjectBuilder error = JSON.createObjectBuilder().add("code", e.code);
        if (e.type != null) {
          error.add("data", JSON.createObjectBuilder().add("type", e.type));
        }
        results.add(JSON.createObjectBuilder().add("error", error.add("message", e.getMessage())).add("id", i).add("jsonrpc", "2.0"));
        break; // KMS stops at the first failing operation
      }
    }
    return JSON.createObjectBuilder().add("sessionId", sid).add("value", results).build();
  }

  private static JsonValue resolveNewRefs(JsonValue value, List<String> newRefs) {
    if (value instanceof JsonString s && s.getString().startsWith("newref:")) {
      int index = Integer.parseInt(s.getString().substring("newref:".length()));
      return JSON.createValue(index < newRefs.size() ? newRefs.get(index) : "");
    }
    if (value instanceof JsonObject o) {
      JsonObjectBuilder copy = JSON.createObjectBuilder();
      o.forEach((k, v) -> copy.add(k, resolveNewRefs(v, newRefs)));
      return copy.build();
    }
    if (value instanceof JsonArray a) {
      JsonArrayBuilder copy = JSON.createArrayBuilder();
      a.forEach(v -> copy.add(resolveNewRefs(v, newRefs)));
      return copy.build();
    }
    return value;
  }

  private void release(MediaObjectDouble object) {
    if (object instanceof PipelineDouble pipeline) {
      forget(pipeline);
      pipeline.release();
    } else if (object instanceof ElementDouble element) {
      element.pipeline.elements.remove(element);
      forget(element);
      element.release();
    }
  }

  void forget(MediaObjectDouble object) {
    objects.remove(object.id);
    subscriptions.remove(object.id);
    subscriptionIds.values().removeIf(s -> s[0].equals(object.id));
  }

  MediaObjectDouble object(String id) {
    return objects.get(id);
  }

  /** Sends an event to each session subscribed to (object, type): one message per session, as KMS does. Under lock. */
  void emit(MediaObjectDouble source, String eventType, JsonObjectBuilder fields) {
    Set<String> subscribers = subscriptions.getOrDefault(source.id, Map.of()).get(eventType);
    if (subscribers == null || subscribers.isEmpty() || source.released) {
      return;
    }
    JsonObject f = fields.build();
    JsonObjectBuilder data = JSON.createObjectBuilder(f).add("source", source.id).add("tags", source.tagsForEvents())
        .add("timestampMillis", Long.toString(System.currentTimeMillis()));
    if (!f.containsKey("type")) {
      data.add("type", eventType);
    }
    String message = JSON.createObjectBuilder().add("jsonrpc", "2.0").add("method", "onEvent")
        .add("params", JSON.createObjectBuilder().add("value", JSON.createObjectBuilder()
            .add("data", data).add("object", source.id).add("type", eventType)))
        .build().toString();
    for (String sid : subscribers) {
      WebSocket conn = sessionConnections.get(sid);
      if (conn != null && conn.isOpen()) {
        conn.send(message);
      }
    }
  }

  /** Runs {@code task} under the lock shortly after the current request is answered (like KMS's asynchronous work). */
  void later(Runnable task) {
    worker.schedule(() -> {
      try {
        synchronized (lock) {
          task.run();
        }
      } catch (RuntimeException e) {
        protocolViolations.add("KMS double failed: " + e);
        throw e;
      }
    }, 2, TimeUnit.MILLISECONDS);
  }

  boolean holdsGathering() {
    return holdGathering;
  }

  boolean autoConnectsCallers() {
    return options.autoConnectCallers();
  }

  double callerToneHz() {
    return options.callerToneHz();
  }

  CallerSpeech callerSpeech() {
    return options.callerSpeech();
  }

  boolean keepsHeardAudio() {
    return options.keepHeardAudio();
  }

  /** The callers' shared frames and their Opus packets in a lean double with a caller tone, else null. */
  LeanCallerAudio leanCallerAudio() {
    return leanCallerAudio;
  }

  /** A port number in the double's range (ICE candidates; nothing listens there). */
  int nextPort() {
    int p = nextPort;
    nextPort = nextPort >= options.maxPort() ? options.minPort() : nextPort + 1;
    return p;
  }

  int nextEvenPort() {
    int p = nextPort % 2 == 0 ? nextPort : nextPort + 1;
    if (p + 1 > options.maxPort()) {
      p = options.minPort() + (options.minPort() % 2);
    }
    nextPort = p + 2 > options.maxPort() ? options.minPort() : p + 2;
    return p;
  }

  private void tick() {
    try {
      synchronized (lock) {
        for (MediaObjectDouble o : objects.values()) {
          if (o instanceof WebRtcEndpointDouble webRtc) {
            webRtc.tick();
          }
        }
      }
    } catch (RuntimeException e) {
      protocolViolations.add("audio engine failed: " + e);
    }
  }

  @Override
  public void close() {
    stop();
    worker.shutdownNow();
    ticker.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private final class Server extends WebSocketServer {

    final CompletableFuture<Void> started = new CompletableFuture<>();
    /** Set when KMS goes down: from then on the port is closing and no connection is taken. */
    volatile boolean stopping;

    Server(InetSocketAddress address) {
      super(address);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      if (stopping) {
        conn.close(CloseFrame.GOING_AWAY, "KMS double is going down");
        return;
      }
      String path = handshake.getResourceDescriptor().split("\\?")[0];
      if (!path.equals(PATH)) {
        conn.close(CloseFrame.POLICY_VALIDATION, "Invalid path");
      }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      synchronized (lock) {
        sessionConnections.values().removeIf(c -> c == conn);
      }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      if (stopping) {
        return; // a server going down answers nothing
      }
      onText(conn, message);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
      if (conn == null) {
        started.completeExceptionally(ex);
      }
    }

    @Override
    public void onStart() {
      started.complete(null);
    }
  }

}
