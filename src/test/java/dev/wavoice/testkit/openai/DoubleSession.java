package dev.wavoice.testkit.openai;

import static dev.wavoice.testkit.JsonProviders.JSON;

import dev.wavoice.testkit.WallClock;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import dev.wavoice.testkit.audio.Onsets;
import org.java_websocket.WebSocket;

/**
 * One WebSocket session of the OpenAI Realtime double: the state OpenAI keeps for a session (its
 * effective configuration, the input buffer, the conversation items, the one active response) and a
 * recording of everything received and sent. All of it runs on the session's own thread, in arrival
 * order, so responses can be interrupted between two deltas like the real service.
 */
public final class DoubleSession {


  /** Client events and what the double did with them. */
  public record Received(long seq, Instant at, String type, JsonObject event, boolean valid) {}

  private static final Set<String> BETA_SESSION_KEYS = Set.of("modalities", "input_audio_format", "output_audio_format",
      "input_audio_transcription", "turn_detection", "input_audio_noise_reduction", "voice", "temperature",
      "max_response_output_tokens");

  /** Delta sizes cycle through these, so the client sees deltas of varying length. */
  private static final int[] DELTA_MS = {20, 60, 40, 100, 80, 140, 30};

  private static final int VAD_FRAME_MS = 20;

  private final OpenAiRealtimeDouble server;
  private final WebSocket connection;
  private final RealtimeSchema schema = RealtimeSchema.get();
  private final Handshake handshake;
  private final int index;
  private final String id = "sess_" + random(20);
  private final String conversationId = "conv_" + random(20);
  private final ScheduledExecutorService thread;
  private final AtomicLong seq = new AtomicLong();
  private final AtomicLong eventSeq = new AtomicLong();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<JsonObject> sent = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream inputAudio = new ByteArrayOutputStream();
  private final Deque<Turn> turns = new ArrayDeque<>();
  private final Deque<String> callerTranscripts = new ArrayDeque<>();

  // session state: only touched on the session's thread
  private JsonObject config;
  private final Map<String, ItemState> items = new LinkedHashMap<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private long inputMs;
  private byte[] vadCarry = new byte[0];
  private boolean speaking;
  private long speechStartMs;
  private long lastSpeechEndMs;
  private long silentMs;
  private String userItemId;
  private ResponseRun active;
  private ResponseRun held;
  private boolean assistantAudioSent;
  private int lastInputText;
  private int lastInputAudio;
  private volatile boolean closed;
  private volatile int closeCode = -1;
  // when (System.nanoTime: one clock for every process of this machine) the session opened, its first
  // response.create arrived and its first audio delta went out; 0 until then (load runs read them)
  private volatile long openedNanos;
  private volatile long firstResponseCreateNanos;
  private volatile long firstAudioDeltaNanos;
  // for latency runs, on the wall clock (ns since the Unix epoch: the clock every process of the machine
  // shares, Go's included): where the caller's sounds begin in the appends, and when each response's first
  // audio delta went out
  private final Object onsetsLock = new Object();
  private Onsets callerOnsets;
  private String onsetsFormat;
  /** Onsets found in an earlier input format (a session.update may change it mid-session): kept, not lost. */
  private final List<Onsets.Onset> earlierOnsets = new ArrayList<>();
  private final List<Long> responseAudioStarts = new CopyOnWriteArrayList<>();
  private String lastDeltaResponseId;

  // options, set before the session starts (OpenAiRealtimeDouble.configureNextSession) or any time
  private volatile boolean mismatchFormats;
  private volatile boolean confirmUpdates = true;
  private volatile boolean autoVad = true;
  private volatile double vadRms = 1000;
  private volatile long deltaIntervalMs;
  private volatile Duration maxDuration = Duration.ofMinutes(60);
  private volatile boolean raceNextCreate;
  private volatile boolean frozen;
  private volatile boolean recordAudioText = true;
  private volatile boolean recordInputAudio = true;
  private volatile int lateDeltasMs;
  private volatile Turn defaultTurn;
  private final java.util.zip.CRC32 inputCrc = new java.util.zip.CRC32();
  private long inputBytes;
  private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();

  DoubleSession(OpenAiRealtimeDouble server, WebSocket connection, Handshake handshake, int index) {
    this.server = server;
    this.connection = connection;
    this.handshake = handshake;
    this.index = index;
    this.thread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "openai-double-" + index);
      t.setDaemon(true);
      return t;
    }) {
      @Override
      protected void afterExecute(Runnable task, Throwable thrown) {
        // tasks run as futures, which would swallow a bug of the double: make it a visible violation
        Throwable failure = thrown;
        if (failure == null && task instanceof Future<?> future && future.isDone() && !future.isCancelled()) {
          try {
            future.get();
          } catch (ExecutionException e) {
            failure = e.getCause();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (failure != null) {
          failure.printStackTrace();
          server.violation(DoubleSession.this, "double", "the double itself failed: " + failure);
        }
      }
    };
    // once the client has closed the session, the rest of a turn in progress (its next delta) has nowhere to go
    ((ScheduledThreadPoolExecutor) this.thread).setRejectedExecutionHandler((task, pool) -> {
      if (!closed) {
        throw new java.util.concurrent.RejectedExecutionException("the double's session " + index + " is shut down");
      }
    });
    this.config = defaultConfig(handshake.model());
  }

  // ---- options

  /** {@code session.updated} echoes 24 kHz PCM whatever was asked (the silent defaulting seen in the field). */
  public DoubleSession mismatchFormats() {
    mismatchFormats = true;
    return this;
  }

  /** {@code session.update} is never answered. */
  public DoubleSession neverConfirm() {
    confirmUpdates = false;
    return this;
  }

  /** Whether the double detects speech in the appended audio by itself (on by default). */
  public DoubleSession autoVad(boolean on) {
    autoVad = on;
    return this;
  }

  /** Audio louder than this RMS (0..32767) counts as speech; default 1000. */
  public DoubleSession vadRms(double rms) {
    vadRms = rms;
    return this;
  }

  /** A pause between two audio deltas (default none: as fast as the socket takes them). */
  public DoubleSession deltaInterval(Duration interval) {
    deltaIntervalMs = interval.toMillis();
    return this;
  }

  /**
   * When the next {@code response.create} arrives, turn detection "wins the race": the double starts a
   * response of its own first, so the client's request finds one active.
   */
  public DoubleSession startOwnResponseBeforeNextCreate() {
    raceNextCreate = true;
    return this;
  }

  /**
   * Whether recorded {@code input_audio_buffer.append} events keep their base64 text (default yes). Load
   * runs turn it off: the audio is still kept, decoded, in {@link #inputAudio()}.
   */
  public DoubleSession recordAudioText(boolean on) {
    recordAudioText = on;
    return this;
  }

  /**
   * Whether the decoded caller audio is kept (default yes). Without it only its length and CRC-32 are
   * kept ({@link #inputAudioBytes()}, {@link #inputAudioCrc32()}), which is what long load runs need.
   */
  public DoubleSession recordInputAudio(boolean on) {
    recordInputAudio = on;
    return this;
  }

  /**
   * When turn detection interrupts a response, this much more audio of it still goes out after
   * {@code speech_started} and before the cancellation (what OpenAI had in flight): deltas of the item
   * being streamed, or of a new item when none was. A client must drop them.
   */
  public DoubleSession lateDeltasOnInterrupt(int ms) {
    lateDeltasMs = ms;
    return this;
  }

  /** The answer when nothing is scripted (instead of {@link Turn#defaultTurn()}). */
  public DoubleSession defaultTurn(Turn turn) {
    defaultTurn = turn;
    return this;
  }

  /** The session ends with {@code session_expired} after this long (OpenAI: 60 minutes). */
  public DoubleSession maxDuration(Duration duration) {
    maxDuration = duration;
    return this;
  }

  // ---- scripting (any thread)

  /** The next responses of this session, before the double's shared ones. */
  public DoubleSession enqueue(Turn turn) {
    synchronized (turns) {
      turns.add(turn);
    }
    return this;
  }

  /** What the caller "said" in the next committed audio, for the input transcription. */
  public DoubleSession enqueueCallerTranscript(String text) {
    synchronized (callerTranscripts) {
      callerTranscripts.add(text);
    }
    return this;
  }

  /** Emits {@code speech_started} now (and interrupts an active response if turn detection says so). */
  public void speechStarted() {
    thread.execute(() -> startSpeech(inputMs));
  }

  /** Emits {@code speech_stopped}, commits the buffer and answers as turn detection would. */
  public void speechStopped() {
    thread.execute(this::stopSpeech);
  }

  /** Lets a held response finish (also when it has not reached its end yet: it then does not stop there). */
  public void release() {
    thread.execute(() -> {
      ResponseRun run = held;
      held = null;
      if (run != null && run == active) {
        finish(run, run.turn.status() == null ? "completed" : run.turn.status(), null);
      } else if (active != null) {
        active.released = true;
      }
    });
  }

  /** Closes the connection with a close frame now. */
  public void closeWith(int code, String reason) {
    thread.execute(() -> closeNow(code, reason));
  }

  /** Cuts the connection now, without a close frame. */
  public void drop() {
    thread.execute(this::dropNow);
  }

  /** Ends the session now as OpenAI does at its time limit: {@code error} {@code session_expired}, then a close. */
  public void expireNow() {
    thread.execute(this::expire);
  }

  private void expire() {
    if (!closed) {
      emit(event("error").add("error", OpenAiErrors.sessionExpired(Math.max(1, maxDuration.toSeconds() + 59) / 60)));
      closeNow(1000, "session expired");
    }
  }

  /** Goes silent like a dead peer: no more answers, no pongs, nothing closed. */
  public void freeze() {
    frozen = true;
  }

  boolean frozen() {
    return frozen;
  }

  void pinged() {
    pings.incrementAndGet();
  }

  /** WebSocket pings answered so far. */
  public int pings() {
    return pings.get();
  }

  // ---- recording (any thread)

  public int index() {
    return index;
  }

  public String id() {
    return id;
  }

  public Handshake handshake() {
    return handshake;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<String> receivedTypes() {
    return received.stream().map(Received::type).toList();
  }

  public List<JsonObject> received(String type) {
    return received.stream().filter(r -> type.equals(r.type())).map(Received::event).toList();
  }

  public List<JsonObject> sent() {
    return List.copyOf(sent);
  }

  public List<JsonObject> sent(String type) {
    return sent.stream().filter(e -> type.equals(e.getString("type", null))).toList();
  }

  /** All caller audio received, decoded, in order. */
  public byte[] inputAudio() {
    synchronized (inputAudio) {
      return inputAudio.toByteArray();
    }
  }

  /** How many bytes of caller audio arrived (also when they are not kept). */
  public long inputAudioBytes() {
    synchronized (inputAudio) {
      return inputBytes;
    }
  }

  /** CRC-32 of all caller audio received, in order. */
  public long inputAudioCrc32() {
    synchronized (inputAudio) {
      return inputCrc.getValue();
    }
  }

  /** The effective session configuration (as last echoed). */
  public JsonObject config() {
    return config;
  }

  public boolean isClosed() {
    return closed;
  }

  public int closeCode() {
    return closeCode;
  }

  /** When the session opened ({@link System#nanoTime()}). */
  public long openedNanos() {
    return openedNanos;
  }

  /** When its first {@code response.create} arrived; 0 if none did. */
  public long firstResponseCreateNanos() {
    return firstResponseCreateNanos;
  }

  /**
   * Where the caller's sounds began in the appended audio, after 100 ms of silence or more (see {@link Onsets}):
   * each with the time its append arrived (the wall clock, ns since the Unix epoch) and its place in it.
   */
  public List<Onsets.Onset> callerOnsets() {
    synchronized (onsetsLock) {
      List<Onsets.Onset> all = new ArrayList<>(earlierOnsets);
      if (callerOnsets != null) {
        all.addAll(callerOnsets.onsets());
      }
      return List.copyOf(all);
    }
  }

  /** When the first audio delta of each response went out (the wall clock, ns since the Unix epoch), in order. */
  public List<Long> responseAudioStarts() {
    return List.copyOf(responseAudioStarts);
  }

  /** When its first {@code response.output_audio.delta} was sent; 0 if none was. */
  public long firstAudioDeltaNanos() {
    return firstAudioDeltaNanos;
  }

  // ---- lifecycle (from the server)

  void opened() {
    openedNanos = System.nanoTime();
    thread.execute(() -> {
      if (!checkAuthorization()) {
        return;
      }
      emit(event("session.created").add("session", config));
      thread.schedule(this::expire, maxDuration.toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  void message(String raw) {
    if (frozen) {
      return;
    }
    long n = seq.incrementAndGet();
    long arrived = System.nanoTime();
    long arrivedWall = WallClock.nanos();
    thread.execute(() -> handle(n, raw, arrived, arrivedWall));
  }

  void closedByPeer(int code) {
    closed = true;
    if (closeCode < 0) {
      closeCode = code;
    }
    thread.shutdown();
  }

  void shutdown() {
    thread.shutdownNow();
  }

  private boolean checkAuthorization() {
    String auth = handshake.header("authorization");
    if (handshake.header("openai-beta") != null) {
      server.violation(this, "handshake", "OpenAI-Beta header sent: " + handshake.header("openai-beta"));
      emit(event("error").add("error", OpenAiErrors.betaShapeDisabled(null)));
      closeNow(4000, "beta_api_shape_disabled");
      return false;
    }
    if (auth == null || !auth.startsWith("Bearer ")) {
      server.violation(this, "handshake", "no Authorization: Bearer header");
      emit(event("error").add("error", OpenAiErrors.missingAuthorization()));
      closeNow(1008, "missing authorization");
      return false;
    }
    String key = auth.substring("Bearer ".length());
    if (!key.equals(server.apiKey())) {
      emit(event("error").add("error", OpenAiErrors.invalidApiKey(key)));
      closeNow(1008, "invalid_api_key");
      return false;
    }
    if (handshake.model() == null || handshake.model().isBlank()) {
      server.violation(this, "handshake", "no model query parameter");
      emit(event("error").add("error", OpenAiErrors.invalid("missing_required_parameter",
          "Missing required parameter: 'model'.", "model", null)));
      closeNow(1008, "missing model");
      return false;
    }
    return true;
  }

  // ---- client events

  private void handle(long n, String raw, long arrivedNanos, long arrivedWallNanos) {
    if (closed) {
      return;
    }
    JsonObject event;
    try (var reader = JSON.createReader(new StringReader(raw))) {
      event = reader.readObject();
    } catch (JsonException | IllegalStateException notJson) {
      received.add(new Received(n, Instant.now(), null, null, false));
      server.violation(this, "?", "not a JSON object: " + notJson.getMessage());
      emitError(OpenAiErrors.invalid("invalid_json",
          "We could not parse the JSON body of your request. Expected a JSON object.", null, null));
      return;
    }
    JsonValue typeValue = event.get("type");
    String type = typeValue instanceof JsonString s ? s.getString() : null;
    String clientEventId = event.get("event_id") instanceof JsonString s ? s.getString() : null;
    if (type == null) {
      received.add(new Received(n, Instant.now(), null, event, false));
      server.violation(this, "?", "no string 'type'");
      emitError(OpenAiErrors.invalid("missing_required_parameter", "Missing required parameter: 'type'.", "type",
          clientEventId));
      return;
    }
    if (!schema.isClientType(type)) {
      received.add(new Received(n, Instant.now(), type, event, false));
      server.violation(this, type, "unknown client event type");
      emitError(OpenAiErrors.invalid("invalid_value", "Invalid value: '" + type + "'. Supported values are: "
          + String.join(", ", schema.clientTypes().stream().map(t -> "'" + t + "'").toList()) + ".", "type", clientEventId));
      return;
    }
    if (isBetaShape(type, event)) {
      received.add(new Received(n, Instant.now(), type, event, false));
      server.violation(this, type, "beta-shaped event");
      emitError(OpenAiErrors.betaShapeDisabled(clientEventId));
      closeNow(4000, "beta_api_shape_disabled");
      return;
    }
    var violation = schema.checkClient(type, raw);
    JsonObject kept = event;
    if (!recordAudioText && type.equals("input_audio_buffer.append") && event.get("audio") instanceof JsonString audio) {
      kept = JSON.createObjectBuilder(event).remove("audio").add("audio_base64_chars", audio.getString().length()).build();
    }
    received.add(new Received(n, Instant.now(), type, kept, violation.isEmpty()));
    if (type.equals("response.create") && firstResponseCreateNanos == 0) {
      firstResponseCreateNanos = arrivedNanos;
    }
    if (violation.isPresent()) {
      var v = violation.get();
      server.violation(this, type, v.message() + " " + v.details());
      emitError(OpenAiErrors.invalid(v.code(), v.message(), v.param(), clientEventId));
      return;
    }
    switch (type) {
      case "session.update" -> sessionUpdate(event.getJsonObject("session"), clientEventId);
      case "input_audio_buffer.append" -> append(event.getString("audio"), clientEventId, arrivedWallNanos);
      case "input_audio_buffer.commit" -> commit(clientEventId);
      case "input_audio_buffer.clear" -> {
        buffer.reset();
        emit(event("input_audio_buffer.cleared"));
      }
      case "conversation.item.create" -> createItem(event, clientEventId);
      case "conversation.item.truncate" -> truncate(event, clientEventId);
      case "conversation.item.delete" -> deleteItem(event.getString("item_id"), clientEventId);
      case "conversation.item.retrieve" -> retrieveItem(event.getString("item_id"), clientEventId);
      case "response.create" -> responseCreate(clientEventId);
      case "response.cancel" -> responseCancel(clientEventId);
      case "output_audio_buffer.clear" -> refuse(type, OpenAiErrors.invalid("invalid_request_error",
          "output_audio_buffer.clear is only supported for WebRTC and SIP sessions.", "type", clientEventId));
      default -> throw new IllegalStateException("schema lists " + type + " but the double does not handle it");
    }
  }

  private static boolean isBetaShape(String type, JsonObject event) {
    if (type.equals("session.update") && event.get("session") instanceof JsonObject session) {
      return !session.containsKey("type") || session.keySet().stream().anyMatch(BETA_SESSION_KEYS::contains);
    }
    if (type.equals("response.create") && event.get("response") instanceof JsonObject response) {
      return response.containsKey("modalities") || response.containsKey("voice")
          || response.containsKey("output_audio_format");
    }
    return false;
  }

  private void sessionUpdate(JsonObject update, String clientEventId) {
    if (update.containsKey("audio") && assistantAudioSent) {
      JsonObject output = update.getJsonObject("audio").getJsonObject("output");
      if (output != null && output.containsKey("voice")
          && !output.get("voice").equals(config.getJsonObject("audio").getJsonObject("output").get("voice"))) {
        refuse("session.update", OpenAiErrors.invalid("cannot_update_voice",
            "Cannot update a conversation's voice if assistant audio is present.", "session.audio.output.voice",
            clientEventId));
        return;
      }
    }
    config = merge(config, update);
    if (!confirmUpdates) {
      return;
    }
    JsonObject echoed = config;
    if (mismatchFormats) {
      JsonObject pcm = JSON.createObjectBuilder().add("type", Audio.PCM).add("rate", 24000).build();
      JsonObject audio = config.getJsonObject("audio");
      echoed = JSON.createObjectBuilder(config).add("audio", JSON.createObjectBuilder()
          .add("input", JSON.createObjectBuilder(audio.getJsonObject("input")).add("format", pcm))
          .add("output", JSON.createObjectBuilder(audio.getJsonObject("output")).add("format", pcm))).build();
    }
    emit(event("session.updated").add("session", echoed));
  }

  /** A partial update: given fields replace the current ones; {@code audio.input/output} are merged field by field. */
  private static JsonObject merge(JsonObject current, JsonObject update) {
    JsonObjectBuilder merged = JSON.createObjectBuilder(current);
    for (var entry : update.entrySet()) {
      if (entry.getKey().equals("audio") && entry.getValue() instanceof JsonObject audio) {
        JsonObjectBuilder audioMerged = JSON.createObjectBuilder(current.getJsonObject("audio"));
        for (String side : List.of("input", "output")) {
          if (audio.get(side) instanceof JsonObject part) {
            JsonObjectBuilder sideMerged = JSON.createObjectBuilder(current.getJsonObject("audio").getJsonObject(side));
            part.forEach(sideMerged::add);
            audioMerged.add(side, sideMerged);
          }
        }
        merged.add("audio", audioMerged);
      } else {
        merged.add(entry.getKey(), entry.getValue());
      }
    }
    return merged.build();
  }

  private String inputFormat() {
    return config.getJsonObject("audio").getJsonObject("input").getJsonObject("format").getString("type", Audio.PCM);
  }

  private String outputFormat() {
    return config.getJsonObject("audio").getJsonObject("output").getJsonObject("format").getString("type", Audio.PCM);
  }

  private JsonObject turnDetection() {
    JsonValue td = config.getJsonObject("audio").getJsonObject("input").get("turn_detection");
    return td instanceof JsonObject o ? o : null;
  }

  private void append(String base64, String clientEventId, long arrivedWallNanos) {
    byte[] audio;
    try {
      audio = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException notBase64) {
      refuse("input_audio_buffer.append", OpenAiErrors.invalid("invalid_value", "Invalid 'audio'. Expected base64-encoded audio bytes.", "audio",
          clientEventId));
      return;
    }
    synchronized (inputAudio) {
      if (recordInputAudio) {
        inputAudio.writeBytes(audio);
      }
      inputCrc.update(audio);
      inputBytes += audio.length;
    }
    buffer.writeBytes(audio);
    findOnsets(audio, arrivedWallNanos);
    detectSpeech(audio);
  }

  private void findOnsets(byte[] audio, long arrivedWallNanos) {
    String format = inputFormat();
    short[] samples = Audio.samples(format, audio);
    synchronized (onsetsLock) {
      if (!format.equals(onsetsFormat)) {
        if (callerOnsets != null) {
          earlierOnsets.addAll(callerOnsets.onsets());
        }
        callerOnsets = new Onsets(Audio.sampleRate(format), 100);
        onsetsFormat = format;
      }
      callerOnsets.add(samples, 0, samples.length, arrivedWallNanos);
    }
  }


  /** Energy detection in 20 ms frames: loud → speech_started; quiet for silence_duration_ms → speech_stopped. */
  private void detectSpeech(byte[] audio) {
    String format = inputFormat();
    int frameBytes = Audio.bytesPerMs(format) * VAD_FRAME_MS;
    byte[] data = audio;
    if (vadCarry.length > 0) {
      data = new byte[vadCarry.length + audio.length];
      System.arraycopy(vadCarry, 0, data, 0, vadCarry.length);
      System.arraycopy(audio, 0, data, vadCarry.length, audio.length);
    }
    int offset = 0;
    JsonObject td = turnDetection();
    for (; offset + frameBytes <= data.length; offset += frameBytes) {
      long frameStartMs = inputMs;
      inputMs += VAD_FRAME_MS;
      if (!autoVad || td == null) {
        continue;
      }
      boolean loud = Audio.rms(format, data, offset, frameBytes) > vadRms;
      if (loud && !speaking) {
        int prefix = td.getInt("prefix_padding_ms", 300);
        startSpeech(Math.max(0, frameStartMs - prefix));
      } else if (loud) {
        silentMs = 0;
        lastSpeechEndMs = inputMs;
      } else if (speaking) {
        silentMs += VAD_FRAME_MS;
        if (silentMs >= td.getInt("silence_duration_ms", 500)) {
          stopSpeech();
        }
      }
    }
    vadCarry = java.util.Arrays.copyOfRange(data, offset, data.length);
  }

  private void startSpeech(long startMs) {
    if (speaking || closed) {
      return;
    }
    speaking = true;
    silentMs = 0;
    speechStartMs = startMs;
    lastSpeechEndMs = inputMs;
    userItemId = "item_" + random(20);
    emit(event("input_audio_buffer.speech_started").add("audio_start_ms", speechStartMs).add("item_id", userItemId));
    JsonObject td = turnDetection();
    if (active != null && (td == null || td.getBoolean("interrupt_response", true))) {
      if (lateDeltasMs > 0) {
        lateDeltas(active, lateDeltasMs);
      }
      cancel(active, "turn_detected");
    }
  }

  private void stopSpeech() {
    if (!speaking || closed) {
      return;
    }
    speaking = false;
    emit(event("input_audio_buffer.speech_stopped").add("audio_end_ms", lastSpeechEndMs).add("item_id", userItemId));
    commitBuffer(userItemId);
    JsonObject td = turnDetection();
    if (td == null || td.getBoolean("create_response", true)) {
      startResponse(nextTurn());
    }
  }

  private void commit(String clientEventId) {
    int minBytes = Audio.bytesPerMs(inputFormat()) * 100;
    if (buffer.size() < minBytes) {
      refuse("input_audio_buffer.commit", OpenAiErrors.invalid("input_audio_buffer_commit_empty",
          "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has "
              + String.format(java.util.Locale.ROOT, "%.2f", buffer.size() / (double) Audio.bytesPerMs(inputFormat()))
              + "ms of audio.", null, clientEventId));
      return;
    }
    commitBuffer("item_" + random(20));
  }

  private void commitBuffer(String itemId) {
    String previous = lastItemId();
    buffer.reset();
    ItemState item = new ItemState(itemId, "message", "user");
    items.put(itemId, item);
    JsonObjectBuilder committed = event("input_audio_buffer.committed").add("item_id", itemId);
    if (previous == null) {
      committed.addNull("previous_item_id");
    } else {
      committed.add("previous_item_id", previous);
    }
    emit(committed);
    JsonObject userItem = JSON.createObjectBuilder().add("id", itemId).add("object", "realtime.item")
        .add("type", "message").add("status", "completed").add("role", "user")
        .add("content", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("type", "input_audio"))).build();
    emit(withPrevious(event("conversation.item.added"), previous).add("item", userItem));
    emit(withPrevious(event("conversation.item.done"), previous).add("item", userItem));
    JsonValue transcription = config.getJsonObject("audio").getJsonObject("input").get("transcription");
    if (transcription instanceof JsonObject) {
      String text;
      synchronized (callerTranscripts) {
        text = callerTranscripts.isEmpty() ? "(caller speech)" : callerTranscripts.poll();
      }
      emit(event("conversation.item.input_audio_transcription.delta").add("item_id", itemId).add("content_index", 0)
          .add("delta", text));
      emit(event("conversation.item.input_audio_transcription.completed").add("item_id", itemId)
          .add("content_index", 0).add("transcript", text)
          .add("usage", JSON.createObjectBuilder().add("type", "tokens").add("input_tokens", 10)
              .add("output_tokens", words(text)).add("total_tokens", 10 + words(text))));
    }
  }

  private void createItem(JsonObject event, String clientEventId) {
    JsonObject item = event.getJsonObject("item");
    String type = item.getString("type");
    if (type.equals("function_call_output")) {
      String callId = item.getString("call_id");
      boolean known = items.values().stream().anyMatch(i -> callId.equals(i.callId));
      if (!known) {
        refuse("conversation.item.create", OpenAiErrors.invalid("invalid_value", "Tool call ID '" + callId + "' not found in conversation.",
            "item.call_id", clientEventId));
        return;
      }
    }
    if (type.equals("message") && "assistant".equals(item.getString("role", null))) {
      for (JsonValue part : item.getJsonArray("content")) {
        if ("output_audio".equals(part.asJsonObject().getString("type", null))) {
          refuse("conversation.item.create", OpenAiErrors.invalid("invalid_value", "Assistant audio cannot be added to the conversation.",
              "item.content", clientEventId));
          return;
        }
      }
    }
    String itemId = item.getString("id", "item_" + random(20));
    String previous = event.getString("previous_item_id", lastItemId());
    ItemState state = new ItemState(itemId, type, item.getString("role", null));
    items.put(itemId, state);
    JsonObjectBuilder echo = JSON.createObjectBuilder(item).add("id", itemId).add("object", "realtime.item")
        .add("status", "completed");
    JsonObject echoed = echo.build();
    emit(withPrevious(event("conversation.item.added"), previous).add("item", echoed));
    emit(withPrevious(event("conversation.item.done"), previous).add("item", echoed));
  }

  private void truncate(JsonObject event, String clientEventId) {
    String itemId = event.getString("item_id");
    int contentIndex = event.getInt("content_index");
    int audioEndMs = event.getInt("audio_end_ms");
    ItemState item = items.get(itemId);
    if (item == null) {
      refuse("conversation.item.truncate", OpenAiErrors.itemNotFound("item_truncate_invalid_item_id", itemId, clientEventId));
      return;
    }
    if (!"assistant".equals(item.role) || !item.hasAudio) {
      refuse("conversation.item.truncate", OpenAiErrors.truncateNotAudio(clientEventId));
      return;
    }
    if (contentIndex != 0) {
      refuse("conversation.item.truncate", OpenAiErrors.invalid("invalid_value", "Invalid 'content_index': the item has one content part.",
          "content_index", clientEventId));
      return;
    }
    if (audioEndMs > item.audioMs) {
      refuse("conversation.item.truncate", OpenAiErrors.truncateBeyondAudio(item.audioMs, audioEndMs, clientEventId));
      return;
    }
    item.audioMs = audioEndMs;
    item.truncated = true;
    emit(event("conversation.item.truncated").add("item_id", itemId).add("content_index", contentIndex)
        .add("audio_end_ms", audioEndMs));
  }

  private void deleteItem(String itemId, String clientEventId) {
    if (items.remove(itemId) == null) {
      refuse("conversation.item.delete", OpenAiErrors.itemNotFound("item_delete_invalid_item_id", itemId, clientEventId));
      return;
    }
    emit(event("conversation.item.deleted").add("item_id", itemId));
  }

  private void retrieveItem(String itemId, String clientEventId) {
    ItemState item = items.get(itemId);
    if (item == null) {
      refuse("conversation.item.retrieve", OpenAiErrors.itemNotFound("item_retrieve_invalid_item_id", itemId, clientEventId));
      return;
    }
    emit(event("conversation.item.retrieved").add("item", JSON.createObjectBuilder().add("id", item.id)
        .add("object", "realtime.item").add("type", "message").add("status", "completed")
        .add("role", item.role == null ? "user" : item.role).add("content", JSON.createArrayBuilder())));
  }

  private void responseCreate(String clientEventId) {
    if (raceNextCreate && active == null) {
      raceNextCreate = false;
      startResponse(nextTurn());
      // the test made turn detection win on purpose: the client could not have known
      emitError(OpenAiErrors.activeResponse(active.id, clientEventId));
      return;
    }
    if (active != null) {
      refuse("response.create", OpenAiErrors.activeResponse(active.id, clientEventId));
      return;
    }
    startResponse(nextTurn());
  }

  private void responseCancel(String clientEventId) {
    if (active == null) {
      refuse("response.cancel", OpenAiErrors.cancelNotActive(clientEventId));
      return;
    }
    cancel(active, "client_cancelled");
  }

  private Turn nextTurn() {
    synchronized (turns) {
      if (!turns.isEmpty()) {
        return turns.poll();
      }
    }
    Turn shared = server.nextTurn();
    Turn fallback = defaultTurn;
    return shared != null ? shared : fallback != null ? fallback : Turn.defaultTurn();
  }

  // ---- responses

  private final class ResponseRun {
    final String id = "resp_" + random(20);
    final Turn turn;
    final List<JsonObject> output = new ArrayList<>();
    int step;
    boolean done;
    boolean released;
    ItemState streaming;
    JsonObject streamingItem;
    StringBuilder spoken;
    int audioMs;
    int textTokens;

    ResponseRun(Turn turn) {
      this.turn = turn;
    }
  }

  private void startResponse(Turn turn) {
    if (closed) {
      return;
    }
    ResponseRun run = new ResponseRun(turn);
    active = run;
    emit(event("response.created").add("response", response(run, "in_progress", null, false)));
    emit(event("rate_limits.updated").add("rate_limits", JSON.createArrayBuilder()
        .add(JSON.createObjectBuilder().add("name", "requests").add("limit", 5000).add("remaining", 4999)
            .add("reset_seconds", 0.012))
        .add(JSON.createObjectBuilder().add("name", "tokens").add("limit", 400000).add("remaining", 395000)
            .add("reset_seconds", 0.75))));
    thread.execute(() -> nextStep(run));
  }

  private void nextStep(ResponseRun run) {
    if (run.done || closed) {
      return;
    }
    if (run.step >= run.turn.steps().size()) {
      if (run.turn.hold() && !run.released) {
        held = run;
        return;
      }
      finish(run, run.turn.status() == null ? "completed" : run.turn.status(), null);
      return;
    }
    Turn.Step step = run.turn.steps().get(run.step++);
    switch (step.kind()) {
      case "audio" -> streamAudio(run, step);
      case "function_call" -> functionCall(run, step);
      case "error" -> {
        emitError(OpenAiErrors.error(OpenAiErrors.typeOf(step.code()), step.code() == null ? "server_error" : step.code(),
            step.message() == null ? "The server had an error while processing your request." : step.message(), null, null));
        thread.execute(() -> nextStep(run));
      }
      case "close" -> closeNow(step.closeCode() == null ? 1011 : step.closeCode(), step.message() == null ? "" : step.message());
      case "drop" -> dropNow();
      default -> throw new IllegalArgumentException("unknown step kind " + step.kind());
    }
  }

  private void streamAudio(ResponseRun run, Turn.Step step) {
    String format = outputFormat();
    byte[] audio = Audio.tone(format, step.ms(), step.frequencyHz() == null ? 440 : step.frequencyHz(), 0.3);
    String transcript = step.transcript() == null ? "" : step.transcript();
    ItemState item = new ItemState("item_" + random(20), "message", "assistant");
    item.hasAudio = true;
    items.put(item.id, item);
    run.streaming = item;
    run.spoken = new StringBuilder();
    JsonObject added = JSON.createObjectBuilder().add("id", item.id).add("object", "realtime.item").add("type", "message")
        .add("status", "in_progress").add("role", "assistant").add("content", JSON.createArrayBuilder()).build();
    run.streamingItem = added;
    int outputIndex = run.output.size();
    String previous = previousOf(item.id);
    emit(event("response.output_item.added").add("response_id", run.id).add("output_index", outputIndex).add("item", added));
    emit(withPrevious(event("conversation.item.added"), previous).add("item", added));
    emit(part(event("response.content_part.added"), run, item, outputIndex)
        .add("part", JSON.createObjectBuilder().add("type", "audio").add("transcript", "")));
    String[] words = transcript.isEmpty() ? new String[0] : transcript.split(" ");
    int bytesPerMs = Audio.bytesPerMs(format);
    sendChunk(run, item, outputIndex, audio, 0, 0, words, 0, bytesPerMs, transcript);
  }

  /** Audio of an interrupted response that was already in flight (see {@link #lateDeltasOnInterrupt}). */
  private void lateDeltas(ResponseRun run, int ms) {
    String format = outputFormat();
    if (run.streaming == null) {
      ItemState item = new ItemState("item_" + random(20), "message", "assistant");
      item.hasAudio = true;
      items.put(item.id, item);
      run.streaming = item;
      run.spoken = new StringBuilder();
      JsonObject added = JSON.createObjectBuilder().add("id", item.id).add("object", "realtime.item").add("type", "message")
          .add("status", "in_progress").add("role", "assistant").add("content", JSON.createArrayBuilder()).build();
      run.streamingItem = added;
      emit(event("response.output_item.added").add("response_id", run.id).add("output_index", run.output.size())
          .add("item", added));
      emit(withPrevious(event("conversation.item.added"), previousOf(item.id)).add("item", added));
    }
    ItemState item = run.streaming;
    int outputIndex = run.output.size();
    byte[] audio = Audio.tone(format, ms, 660, 0.3);
    int piece = Audio.bytesPerMs(format) * VAD_FRAME_MS;
    for (int offset = 0; offset < audio.length; offset += piece) {
      byte[] chunk = java.util.Arrays.copyOfRange(audio, offset, Math.min(audio.length, offset + piece));
      emit(part(event("response.output_audio.delta"), run, item, outputIndex)
          .add("delta", Base64.getEncoder().encodeToString(chunk)));
      item.audioMs += chunk.length / Audio.bytesPerMs(format);
    }
    assistantAudioSent = true;
  }

  private void sendChunk(ResponseRun run, ItemState item, int outputIndex, byte[] audio, int offset, int chunk,
      String[] words, int word, int bytesPerMs, String transcript) {
    if (run.done || closed) {
      return;
    }
    if (offset >= audio.length) {
      run.streaming = null;
      run.audioMs += item.audioMs;
      run.textTokens += words.length;
      emit(part(event("response.output_audio.done"), run, item, outputIndex));
      emit(part(event("response.output_audio_transcript.done"), run, item, outputIndex).add("transcript", transcript));
      emit(part(event("response.content_part.done"), run, item, outputIndex)
          .add("part", JSON.createObjectBuilder().add("type", "audio").add("transcript", transcript)));
      JsonObject doneItem = assistantItem(item, "completed", transcript);
      run.output.add(doneItem);
      emit(event("response.output_item.done").add("response_id", run.id).add("output_index", outputIndex).add("item", doneItem));
      emit(withPrevious(event("conversation.item.done"), previousOf(item.id)).add("item", doneItem));
      thread.execute(() -> nextStep(run));
      return;
    }
    int ms = DELTA_MS[chunk % DELTA_MS.length];
    int length = Math.min(ms * bytesPerMs, audio.length - offset);
    byte[] piece = java.util.Arrays.copyOfRange(audio, offset, offset + length);
    emit(part(event("response.output_audio.delta"), run, item, outputIndex).add("delta", Base64.getEncoder().encodeToString(piece)));
    item.audioMs += length / bytesPerMs;
    assistantAudioSent = true;
    int nextWord = word;
    if (word < words.length) {
      String delta = (word == 0 ? "" : " ") + words[word];
      run.spoken.append(delta);
      emit(part(event("response.output_audio_transcript.delta"), run, item, outputIndex).add("delta", delta));
      nextWord++;
    }
    int nextOffset = offset + length;
    int wordAfter = nextWord;
    Runnable next = () -> sendChunk(run, item, outputIndex, audio, nextOffset, chunk + 1, words, wordAfter, bytesPerMs, transcript);
    if (deltaIntervalMs > 0) {
      thread.schedule(next, deltaIntervalMs, TimeUnit.MILLISECONDS);
    } else {
      thread.execute(next);
    }
  }

  private void functionCall(ResponseRun run, Turn.Step step) {
    ItemState item = new ItemState("item_" + random(20), "function_call", null);
    item.callId = "call_" + random(16);
    items.put(item.id, item);
    int outputIndex = run.output.size();
    String arguments = step.arguments() == null ? "{}" : step.arguments();
    JsonObject added = JSON.createObjectBuilder().add("id", item.id).add("object", "realtime.item")
        .add("type", "function_call").add("status", "in_progress").add("call_id", item.callId)
        .add("name", step.name()).add("arguments", "").build();
    String previous = previousOf(item.id);
    emit(event("response.output_item.added").add("response_id", run.id).add("output_index", outputIndex).add("item", added));
    emit(withPrevious(event("conversation.item.added"), previous).add("item", added));
    int half = arguments.length() / 2;
    for (String delta : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
      emit(event("response.function_call_arguments.delta").add("response_id", run.id).add("item_id", item.id)
          .add("output_index", outputIndex).add("call_id", item.callId).add("delta", delta));
    }
    emit(event("response.function_call_arguments.done").add("response_id", run.id).add("item_id", item.id)
        .add("output_index", outputIndex).add("call_id", item.callId).add("name", step.name()).add("arguments", arguments));
    JsonObject done = JSON.createObjectBuilder(added).add("status", "completed").add("arguments", arguments).build();
    run.output.add(done);
    run.textTokens += Math.max(1, arguments.length() / 4);
    emit(event("response.output_item.done").add("response_id", run.id).add("output_index", outputIndex).add("item", done));
    emit(withPrevious(event("conversation.item.done"), previous).add("item", done));
    thread.execute(() -> nextStep(run));
  }

  private void cancel(ResponseRun run, String reason) {
    if (run.done) {
      return;
    }
    if (run.streaming != null) {
      ItemState item = run.streaming;
      JsonObject incomplete = assistantItem(item, "incomplete", run.spoken.toString());
      run.output.add(incomplete);
      run.audioMs += item.audioMs;
      emit(event("response.output_item.done").add("response_id", run.id).add("output_index", run.output.size() - 1)
          .add("item", incomplete));
      emit(withPrevious(event("conversation.item.done"), previousOf(item.id)).add("item", incomplete));
      run.streaming = null;
    }
    if (held == run) {
      held = null;
    }
    finish(run, "cancelled", reason);
  }

  private void finish(ResponseRun run, String status, String reason) {
    if (run.done) {
      return;
    }
    run.done = true;
    if (active == run) {
      active = null;
    }
    emit(event("response.done").add("response", response(run, status, reason, true)));
  }

  private JsonObject response(ResponseRun run, String status, String reason, boolean withUsage) {
    JsonObjectBuilder response = JSON.createObjectBuilder().add("id", run.id).add("object", "realtime.response")
        .add("status", status);
    if (!status.equals("in_progress") && !status.equals("completed")) {
      JsonObjectBuilder details = JSON.createObjectBuilder().add("type", status);
      if (reason != null) {
        details.add("reason", reason);
      }
      if (status.equals("failed")) {
        details.add("error", JSON.createObjectBuilder().add("type", "server_error").add("code", "server_error"));
      }
      if (status.equals("incomplete") && reason == null) {
        details.add("reason", "max_output_tokens");
      }
      response.add("status_details", details);
    }
    JsonArrayBuilder output = JSON.createArrayBuilder();
    run.output.forEach(output::add);
    response.add("output", output).add("conversation_id", conversationId)
        .add("output_modalities", JSON.createArrayBuilder().add("audio"))
        .add("max_output_tokens", "inf")
        .add("audio", JSON.createObjectBuilder().add("output", JSON.createObjectBuilder()
            .add("format", config.getJsonObject("audio").getJsonObject("output").getJsonObject("format"))
            .add("voice", config.getJsonObject("audio").getJsonObject("output").get("voice"))));
    if (withUsage) {
      response.add("usage", usage(run));
    }
    return response.build();
  }

  /**
   * Usage as OpenAI counts it: caller audio 1 token per 100 ms (all of it, every response re-reads the
   * conversation), bot audio 1 token per 50 ms, text about 4 characters per token; what the previous
   * response read counts as cached.
   */
  private JsonObject usage(ResponseRun run) {
    Turn.Tokens t = run.turn.usage();
    int inText;
    int inAudio;
    int cachedText;
    int cachedAudio;
    int outText;
    int outAudio;
    if (t != null) {
      inText = t.inputText();
      inAudio = t.inputAudio();
      cachedText = t.cachedText();
      cachedAudio = t.cachedAudio();
      outText = t.outputText();
      outAudio = t.outputAudio();
    } else {
      inText = config.getString("instructions", "").length() / 4 + 4 * items.size();
      inAudio = (int) (inputMs / 100);
      cachedText = Math.min(lastInputText, inText);
      cachedAudio = Math.min(lastInputAudio, inAudio);
      outText = run.textTokens;
      outAudio = run.audioMs / 50;
    }
    lastInputText = inText;
    lastInputAudio = inAudio;
    return JSON.createObjectBuilder()
        .add("total_tokens", inText + inAudio + outText + outAudio)
        .add("input_tokens", inText + inAudio)
        .add("output_tokens", outText + outAudio)
        .add("input_token_details", JSON.createObjectBuilder()
            .add("cached_tokens", cachedText + cachedAudio).add("text_tokens", inText).add("image_tokens", 0)
            .add("audio_tokens", inAudio)
            .add("cached_tokens_details", JSON.createObjectBuilder().add("text_tokens", cachedText)
                .add("image_tokens", 0).add("audio_tokens", cachedAudio)))
        .add("output_token_details", JSON.createObjectBuilder().add("text_tokens", outText).add("audio_tokens", outAudio))
        .build();
  }

  private JsonObject assistantItem(ItemState item, String status, String transcript) {
    return JSON.createObjectBuilder().add("id", item.id).add("object", "realtime.item").add("type", "message")
        .add("status", status).add("role", "assistant")
        .add("content", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("type", "output_audio")
            .add("transcript", transcript)))
        .build();
  }

  private JsonObjectBuilder part(JsonObjectBuilder event, ResponseRun run, ItemState item, int outputIndex) {
    return event.add("response_id", run.id).add("item_id", item.id).add("output_index", outputIndex).add("content_index", 0);
  }

  // ---- sending

  private JsonObjectBuilder event(String type) {
    return JSON.createObjectBuilder().add("type", type).add("event_id", "event_" + eventSeq.incrementAndGet() + random(8));
  }

  /** An error a test scripted (a server error, the race it set up): not the client's doing. */
  private void emitError(JsonObject error) {
    emit(event("error").add("error", error));
  }

  /** An error OpenAI sends because of what the client did: sent, and recorded as a violation. */
  private void refuse(String clientType, JsonObject error) {
    server.violation(this, clientType, "OpenAI answers error " + error.getString("code", "?") + ": " + error.getString("message"));
    emitError(error);
  }

  /** Checks our own event against the schema before it goes out: a double that lies is a bug. */
  private void emit(JsonObjectBuilder builder) {
    JsonObject event = builder.build();
    String json = event.toString();
    List<String> problems = schema.checkServer(json);
    if (!problems.isEmpty()) {
      server.violation(this, "server:" + event.getString("type", "?"), "the double's own event is invalid: " + problems);
      return;
    }
    sent.add(event);
    if (!closed && connection.isOpen()) {
      connection.send(json);
      if ("response.output_audio.delta".equals(event.getString("type", null))) {
        if (firstAudioDeltaNanos == 0) {
          firstAudioDeltaNanos = System.nanoTime();
        }
        String response = event.getString("response_id", "");
        if (!response.equals(lastDeltaResponseId)) {
          lastDeltaResponseId = response;
          responseAudioStarts.add(WallClock.nanos());
        }
      }
    }
  }

  /**
   * Sends FIN at once and forgets the connection. (Closing a channel that is registered with a sleeping
   * selector would only take effect at the selector's next wake-up.)
   */
  private void dropNow() {
    if (closed) {
      return;
    }
    closed = true;
    closeCode = 1006;
    try {
      if (connection instanceof org.java_websocket.WebSocketImpl impl
          && impl.getChannel() instanceof java.nio.channels.SocketChannel channel) {
        channel.shutdownOutput();
      }
    } catch (java.io.IOException alreadyGone) {
      // nothing to cut
    }
    connection.closeConnection(1006, "dropped");
    server.wake(connection);
  }

  private void closeNow(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    closeCode = code;
    connection.close(code, reason);
  }

  // ---- helpers

  private static final class ItemState {
    final String id;
    final String type;
    final String role;
    int audioMs;
    boolean hasAudio;
    boolean truncated;
    String callId;

    ItemState(String id, String type, String role) {
      this.id = id;
      this.type = type;
      this.role = role;
    }
  }

  private String lastItemId() {
    String last = null;
    for (String key : items.keySet()) {
      last = key;
    }
    return last;
  }

  private String previousOf(String itemId) {
    String previous = null;
    for (String key : items.keySet()) {
      if (key.equals(itemId)) {
        return previous;
      }
      previous = key;
    }
    return previous;
  }

  private static JsonObjectBuilder withPrevious(JsonObjectBuilder event, String previous) {
    return previous == null ? event.addNull("previous_item_id") : event.add("previous_item_id", previous);
  }

  private static int words(String text) {
    return text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }

  static String random(int length) {
    String chars = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    return chars.substring(0, Math.min(length, chars.length()));
  }

  private JsonObject defaultConfig(String model) {
    JsonObject pcm = JSON.createObjectBuilder().add("type", Audio.PCM).add("rate", 24000).build();
    return JSON.createObjectBuilder()
        .add("type", "realtime").add("object", "realtime.session").add("id", id)
        .add("model", model == null ? "gpt-realtime" : model)
        .add("output_modalities", JSON.createArrayBuilder().add("audio"))
        .add("instructions", "Your knowledge cutoff is 2023-10. You are a helpful, witty, and friendly AI.")
        .add("tools", JSON.createArrayBuilder()).add("tool_choice", "auto").add("max_output_tokens", "inf")
        .addNull("tracing").add("truncation", "auto").addNull("prompt")
        .add("expires_at", Instant.now().plus(maxDuration).getEpochSecond())
        .add("audio", JSON.createObjectBuilder()
            .add("input", JSON.createObjectBuilder().add("format", pcm)
                .add("turn_detection", JSON.createObjectBuilder().add("type", "server_vad").add("threshold", 0.5)
                    .add("prefix_padding_ms", 300).add("silence_duration_ms", 200).addNull("idle_timeout_ms")
                    .add("create_response", true).add("interrupt_response", true)))
            .add("output", JSON.createObjectBuilder().add("format", pcm).add("voice", "alloy").add("speed", 1.0)))
        .build();
  }

  @Override
  public String toString() {
    return "DoubleSession[" + index + " " + id + "]";
  }

  /** The tools of the effective configuration. */
  public JsonArray tools() {
    JsonValue tools = config.get("tools");
    return tools instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
  }
}
