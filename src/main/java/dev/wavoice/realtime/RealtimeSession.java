package dev.wavoice.realtime;

import dev.wavoice.CallId;
import dev.wavoice.realtime.RealtimeWire.AudioFormat;
import dev.wavoice.realtime.RealtimeWire.ErrorInfo;
import dev.wavoice.realtime.RealtimeWire.Item;
import dev.wavoice.realtime.RealtimeWire.Response;
import dev.wavoice.realtime.RealtimeWire.ResponseParams;
import dev.wavoice.realtime.RealtimeWire.Session;
import dev.wavoice.realtime.ServerEvent.ContentPartAdded;
import dev.wavoice.realtime.ServerEvent.ContentPartDone;
import dev.wavoice.realtime.ServerEvent.ConversationCreated;
import dev.wavoice.realtime.ServerEvent.ConversationItemAdded;
import dev.wavoice.realtime.ServerEvent.ConversationItemCreated;
import dev.wavoice.realtime.ServerEvent.ConversationItemDeleted;
import dev.wavoice.realtime.ServerEvent.ConversationItemDone;
import dev.wavoice.realtime.ServerEvent.ConversationItemRetrieved;
import dev.wavoice.realtime.ServerEvent.ConversationItemTruncated;
import dev.wavoice.realtime.ServerEvent.DtmfEventReceived;
import dev.wavoice.realtime.ServerEvent.ErrorEvent;
import dev.wavoice.realtime.ServerEvent.FunctionCallArgumentsDelta;
import dev.wavoice.realtime.ServerEvent.FunctionCallArgumentsDone;
import dev.wavoice.realtime.ServerEvent.InputAudioCleared;
import dev.wavoice.realtime.ServerEvent.InputAudioCommitted;
import dev.wavoice.realtime.ServerEvent.InputAudioTimeoutTriggered;
import dev.wavoice.realtime.ServerEvent.InputTranscriptionCompleted;
import dev.wavoice.realtime.ServerEvent.InputTranscriptionDelta;
import dev.wavoice.realtime.ServerEvent.InputTranscriptionFailed;
import dev.wavoice.realtime.ServerEvent.InputTranscriptionSegment;
import dev.wavoice.realtime.ServerEvent.OutputAudioBufferCleared;
import dev.wavoice.realtime.ServerEvent.OutputAudioBufferStarted;
import dev.wavoice.realtime.ServerEvent.OutputAudioBufferStopped;
import dev.wavoice.realtime.ServerEvent.OutputAudioDelta;
import dev.wavoice.realtime.ServerEvent.OutputAudioDone;
import dev.wavoice.realtime.ServerEvent.OutputAudioTranscriptDelta;
import dev.wavoice.realtime.ServerEvent.OutputAudioTranscriptDone;
import dev.wavoice.realtime.ServerEvent.OutputItemAdded;
import dev.wavoice.realtime.ServerEvent.OutputItemDone;
import dev.wavoice.realtime.ServerEvent.OutputTextDelta;
import dev.wavoice.realtime.ServerEvent.OutputTextDone;
import dev.wavoice.realtime.ServerEvent.RateLimitsUpdated;
import dev.wavoice.realtime.ServerEvent.ResponseCreated;
import dev.wavoice.realtime.ServerEvent.ResponseDone;
import dev.wavoice.realtime.ServerEvent.SessionCreated;
import dev.wavoice.realtime.ServerEvent.SessionUpdated;
import dev.wavoice.realtime.ServerEvent.SpeechStarted;
import dev.wavoice.realtime.ServerEvent.SpeechStopped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One call's conversation with OpenAI Realtime. The bridge streams caller audio in
 * ({@link #appendAudio}), gets typed callbacks out ({@link RealtimeListener}), truncates what the
 * caller did not hear ({@link #truncate}), asks for responses ({@link #requestResponse}; one at a
 * time, the rest wait) and closes it. Tools the model calls run once their response has completed,
 * their outputs go back with a new response. Before OpenAI's 60-minute limit the conversation moves to
 * a fresh, pre-warmed session at a pause, carrying a recap of the last lines; a connection lost mid-call
 * is replaced the same way at once. Usage is summed over all of it.
 */
public final class RealtimeSession implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RealtimeSession.class.getName());

  /** A switch that never found a pause happens anyway this long before OpenAI's limit. */
  static final long FORCED_SWITCH_MARGIN_MS = 45_000;

  /** Lost connections one call replaces at most: a service that keeps dropping it is not a call. */
  static final int MAX_RECONNECTS = 3;

  /** A failed rollover is tried again after this long, while there is time. */
  static final long ROLLOVER_RETRY_MS = 30_000;

  private final RealtimeSettings settings;
  private final RealtimeClient client;
  private final CallId callId;
  private final String label;
  private final RealtimeListener listener;
  private final ToolRunner tools;
  private final Session sessionConfig;
  private final ConversationTail recap = new ConversationTail();
  private final AtomicBoolean failureReported = new AtomicBoolean();

  // guarded by lock
  private final Object lock = new Object();
  private final ResponseGate gate = new ResponseGate();
  private final Map<String, Map<String, ToolCall>> callsByResponse = new HashMap<>();
  private final Set<String> assistantItems = new HashSet<>();
  /** Assistant items whose transcript has been reported (by its .done event). */
  private final Set<String> transcribedItems = new HashSet<>();
  private RealtimeConnection next;
  private boolean callerSpeaking;
  private boolean responseExpected;
  private int toolsRunning;
  private boolean rollingOver;
  private boolean reconnecting;
  private int reconnects;
  private int connectionCount;
  private TokenUsage usage = TokenUsage.NONE;
  private ScheduledFuture<?> rolloverTimer;
  private ScheduledFuture<?> forcedSwitchTimer;
  private CompletableFuture<String> switched = new CompletableFuture<>();

  private volatile RealtimeConnection current;
  private volatile boolean closed;

  RealtimeSession(RealtimeSettings settings, AudioFormat format, List<ToolHandler> callTools, RealtimeClient client,
      CallId callId, RealtimeListener listener) {
    this.settings = settings;
    this.client = client;
    this.callId = callId;
    this.label = "call " + callId;
    this.listener = new GuardedListener(listener, label);
    this.tools = new ToolRunner(settings.tools(), client.http(), callTools, client.toolExecutor(), callId.value());
    this.sessionConfig = settings.sessionUpdate(format, callTools);
  }

  /** Connects the first session; completes when OpenAI confirmed the formats. */
  CompletableFuture<RealtimeSession> start() {
    return connect().thenApply(connection -> {
      synchronized (lock) {
        current = connection;
        scheduleRollover(connection);
      }
      return this;
    });
  }

  private CompletableFuture<RealtimeConnection> connect() {
    int n;
    synchronized (lock) {
      n = ++connectionCount;
    }
    return RealtimeConnection.open(client.http(), settings, sessionConfig, client.jsonb(), client.timer(),
        new ConnectionHandler(), label + " #" + n);
  }

  // ---- what the bridge calls

  /** Caller audio in the session's format ({@code audio/pcmu} or 24 kHz {@code audio/pcm}); never blocks. */
  public void appendAudio(byte[] audio, int offset, int length) {
    RealtimeConnection connection = current;
    if (connection == null || closed || length == 0) {
      return;
    }
    ByteBuffer base64 = Base64.getEncoder().encode(ByteBuffer.wrap(audio, offset, length));
    String text = StandardCharsets.ISO_8859_1.decode(base64).toString();
    connection.send(id -> new ClientEvent.InputAudioBufferAppend(id, text));
  }

  public void appendAudio(byte[] audio) {
    appendAudio(audio, 0, audio.length);
  }

  /**
   * Tells OpenAI the caller heard only the first {@code audioEndMs} of an assistant audio item. Items of
   * a session that was rolled over are gone, so a truncate for them is skipped.
   */
  public void truncate(String itemId, int contentIndex, int audioEndMs) {
    RealtimeConnection connection = current;
    if (connection == null || closed) {
      return;
    }
    synchronized (lock) {
      if (!assistantItems.contains(itemId)) {
        LOG.fine(() -> label + ": no truncate for item " + itemId + ": not an assistant item of the current session");
        return;
      }
    }
    connection.send(id -> new ClientEvent.ConversationItemTruncate(id, itemId, contentIndex, Math.max(0, audioEndMs)));
  }

  /** Asks for a response; it is sent at once if none is active, else when the active one is done. */
  public void requestResponse() {
    request(new ResponseParams(null, null));
  }

  /** Asks for a response with instructions for this response only. */
  public void requestResponse(String instructions) {
    request(ResponseParams.withInstructions(instructions));
  }

  /** Has the agent say the configured greeting ({@code wavoice.agent.greeting}); false when none is configured. */
  public boolean greet() {
    return greet(null);
  }

  /**
   * Has the agent say {@code disclosure} (e.g. that the call is recorded; null or blank: none) and then
   * the configured greeting, as its first words; false when there is neither.
   */
  public boolean greet(String disclosure) {
    String greeting = settings.greeting();
    boolean hasGreeting = greeting != null && !greeting.isBlank();
    boolean hasDisclosure = disclosure != null && !disclosure.isBlank();
    if (!hasGreeting && !hasDisclosure) {
      return false;
    }
    String words = hasDisclosure && hasGreeting ? disclosure.strip() + " " + greeting.strip()
        : hasDisclosure ? disclosure.strip() : greeting;
    requestResponse("Greet the caller now. Say exactly this, then stop and listen: " + words);
    return true;
  }

  /** Cancels the active response, if any ({@code response_cancel_not_active} is expected and harmless). */
  public void cancelResponse() {
    RealtimeConnection connection = current;
    if (connection != null && !closed) {
      connection.send(id -> new ClientEvent.ResponseCancel(id, null));
    }
  }

  /** Tokens used so far, over all sessions of this call. */
  public TokenUsage usage() {
    synchronized (lock) {
      return usage;
    }
  }

  public double estimatedCostUsd() {
    return settings.prices().costUsd(usage());
  }

  /** OpenAI's id of the session in use ({@code sess_...}). */
  public String sessionId() {
    RealtimeConnection connection = current;
    return connection == null ? null : connection.sessionId();
  }

  public RealtimeSettings settings() {
    return settings;
  }

  /**
   * Prepares a fresh session now and moves to it at the next pause (no response active or waiting, the
   * caller not speaking, no tool running). Runs by itself after {@code rolloverAfter}; the future
   * completes with the new session's id once the conversation has moved.
   */
  public CompletableFuture<String> rollover() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException(label + " is closed"));
      }
      if (rollingOver) {
        return switched;
      }
      rollingOver = true;
      if (switched.isDone()) {
        switched = new CompletableFuture<>();
      }
    }
    LOG.info(() -> label + ": preparing a new OpenAI session to replace " + sessionId());
    connect().whenComplete((fresh, error) -> {
      if (error != null) {
        rolloverFailed(error);
        return;
      }
      synchronized (lock) {
        if (closed) {
          fresh.close();
          return;
        }
        next = fresh;
      }
      maybeSwitch(false);
    });
    return switched;
  }

  /** Closes the session(s); idempotent. No {@link RealtimeListener#failed} follows. */
  @Override
  public void close() {
    RealtimeConnection a;
    RealtimeConnection b;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      cancelTimers();
      a = current;
      b = next;
      next = null;
    }
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    switched.completeExceptionally(new IllegalStateException(label + " closed"));
    LOG.fine(() -> label + ": closed; usage " + usage());
  }

  // ---- responses

  private void request(ResponseParams params) {
    if (closed) {
      return;
    }
    synchronized (lock) {
      send(gate.request(params));
    }
  }

  /** Sends the next waiting request, if the gate lets one go. */
  private void pump() {
    synchronized (lock) {
      send(gate.next());
    }
  }

  private void send(ResponseParams params) {
    if (params == null) {
      return;
    }
    RealtimeConnection connection = current;
    ResponseParams wire = params.instructions() == null && params.conversation() == null ? null : params;
    String eventId = connection == null ? null : connection.send(id -> new ClientEvent.ResponseCreate(id, wire));
    gate.sent(params, eventId);
  }

  // ---- events

  private final class ConnectionHandler implements RealtimeConnection.Handler {

    @Override
    public void event(RealtimeConnection connection, ServerEvent event) {
      if (closed) {
        return;
      }
      if (connection != current) {
        otherConnection(connection, event);
        return;
      }
      handle(connection, event);
    }

    @Override
    public void ended(RealtimeConnection connection, RealtimeFailure failure) {
      boolean wasNext;
      synchronized (lock) {
        wasNext = connection == next;
        if (wasNext) {
          next = null;
        }
      }
      if (wasNext) {
        rolloverFailed(new RealtimeException(failure));
      } else if (connection == current) {
        if (reconnectable(failure)) {
          reconnect(connection, failure);
        } else {
          fail(failure);
        }
      }
    }
  }

  private void handle(RealtimeConnection connection, ServerEvent event) {
    switch (event) {
      case SpeechStarted e -> {
        synchronized (lock) {
          callerSpeaking = true;
        }
        listener.speechStarted(e.audioStartMs(), e.itemId());
      }
      case SpeechStopped e -> {
        synchronized (lock) {
          callerSpeaking = false;
          responseExpected = !Boolean.FALSE.equals(settings.turnDetection().createResponse());
        }
        listener.speechStopped(e.audioEndMs(), e.itemId());
        maybeSwitch(false);
      }
      case ResponseCreated e -> {
        String id = e.response() == null ? null : e.response().id();
        synchronized (lock) {
          if (connection != current) {
            // the session was replaced after this event was routed: its response died with it, and the
            // gate now belongs to the fresh session (else a response that never ends would hold it)
            return;
          }
          gate.created(id);
          responseExpected = false;
        }
        listener.responseStarted(id);
      }
      case OutputItemAdded e -> {
        if (e.item() != null && "message".equals(e.item().type()) && e.item().id() != null) {
          synchronized (lock) {
            assistantItems.add(e.item().id());
          }
        }
      }
      case OutputAudioDelta e -> listener.audioDelta(
          new AudioDelta(e.responseId(), e.itemId(), e.contentIndex(), Base64.getDecoder().decode(e.delta())));
      case OutputAudioDone e -> listener.audioDone(e.responseId(), e.itemId(), e.contentIndex());
      case OutputAudioTranscriptDone e -> {
        synchronized (lock) {
          transcribedItems.add(e.itemId());
        }
        recap.agent(e.transcript());
        listener.botTranscript(e.responseId(), e.itemId(), e.transcript());
      }
      case OutputItemDone e -> unfinishedTranscript(e);
      case OutputTextDone e -> {
        recap.agent(e.text());
        listener.botTranscript(e.responseId(), e.itemId(), e.text());
      }
      case InputTranscriptionCompleted e -> {
        recap.caller(e.transcript());
        listener.callerTranscript(e.itemId(), e.transcript());
      }
      case InputTranscriptionFailed e -> {
        String detail = e.error() == null ? "unknown" : e.error().code() + ": " + e.error().message();
        LOG.info(() -> label + ": transcription of item " + e.itemId() + " failed: " + detail);
        listener.callerTranscriptFailed(e.itemId(), detail);
      }
      case FunctionCallArgumentsDone e -> {
        synchronized (lock) {
          callsByResponse.computeIfAbsent(e.responseId(), k -> new LinkedHashMap<>())
              .put(e.callId(), new ToolCall(e.responseId(), e.itemId(), e.callId(), e.name(), e.arguments()));
        }
      }
      case ResponseDone e -> responseDone(connection, e.response());
      case ConversationItemTruncated e -> listener.truncated(e.itemId(), e.contentIndex(), e.audioEndMs());
      case RateLimitsUpdated e -> listener.rateLimits(e.rateLimits() == null ? List.of() : e.rateLimits());
      case ErrorEvent e -> error(connection, e.error());
      case InputAudioTimeoutTriggered e ->
          LOG.fine(() -> label + ": the caller was silent for the idle timeout; OpenAI prompts them");
      // the rest carries nothing the bridge needs: the deltas are summed up by their .done events
      case SessionCreated e -> LOG.finest("session.created after ready");
      case SessionUpdated e -> LOG.finest("session.updated");
      case InputAudioCommitted e -> LOG.finest("input_audio_buffer.committed");
      case InputAudioCleared e -> LOG.finest("input_audio_buffer.cleared");
      case InputTranscriptionDelta e -> LOG.finest("transcription delta");
      case InputTranscriptionSegment e -> LOG.finest("transcription segment");
      case OutputAudioTranscriptDelta e -> LOG.finest("transcript delta");
      case OutputTextDelta e -> LOG.finest("text delta");
      case FunctionCallArgumentsDelta e -> LOG.finest("arguments delta");
      case ContentPartAdded e -> LOG.finest("content_part.added");
      case ContentPartDone e -> LOG.finest("content_part.done");
      case ConversationCreated e -> LOG.finest("conversation.created");
      case ConversationItemAdded e -> LOG.finest("conversation.item.added");
      case ConversationItemCreated e -> LOG.finest("conversation.item.created");
      case ConversationItemDone e -> LOG.finest("conversation.item.done");
      case ConversationItemDeleted e -> LOG.finest("conversation.item.deleted");
      case ConversationItemRetrieved e -> LOG.finest("conversation.item.retrieved");
      // WebRTC/SIP only: not expected over WebSocket
      case DtmfEventReceived e -> LOG.fine(() -> label + ": ignored a SIP-only DTMF event");
      case OutputAudioBufferStarted e -> LOG.fine(() -> label + ": ignored output_audio_buffer.started");
      case OutputAudioBufferStopped e -> LOG.fine(() -> label + ": ignored output_audio_buffer.stopped");
      case OutputAudioBufferCleared e -> LOG.fine(() -> label + ": ignored output_audio_buffer.cleared");
    }
  }

  /**
   * An interrupted (cancelled or incomplete) assistant item gets no transcript {@code .done} event; its
   * {@code output_item.done} carries what had been generated, which is reported instead.
   */
  private void unfinishedTranscript(OutputItemDone e) {
    Item item = e.item();
    if (item == null || item.id() == null || !"message".equals(item.type()) || !"assistant".equals(item.role())) {
      return;
    }
    synchronized (lock) {
      if (transcribedItems.remove(item.id()) || "completed".equals(item.status())) {
        return;
      }
    }
    StringBuilder text = new StringBuilder();
    if (item.content() != null) {
      for (var part : item.content()) {
        if (part.transcript() != null && !part.transcript().isBlank()) {
          text.append(text.isEmpty() ? "" : " ").append(part.transcript().strip());
        }
      }
    }
    if (!text.isEmpty()) {
      recap.agent(text.toString());
      listener.botTranscript(e.responseId(), item.id(), text.toString());
    }
  }

  /** Events of a session that was replaced (late ones) or is being prepared: only usage counts. */
  private void otherConnection(RealtimeConnection connection, ServerEvent event) {
    if (event instanceof ResponseDone done && done.response() != null) {
      TokenUsage used = TokenUsage.of(done.response().usage());
      synchronized (lock) {
        usage = usage.plus(used);
      }
    } else {
      LOG.finest(() -> connection.label() + ": ignored " + event.getClass().getSimpleName() + " of a session not in use");
    }
  }

  private void responseDone(RealtimeConnection connection, Response response) {
    if (response == null) {
      return;
    }
    String status = response.status();
    String reason = response.statusDetails() == null ? null : response.statusDetails().reason();
    String errorCode = response.statusDetails() == null || response.statusDetails().error() == null
        ? null : response.statusDetails().error().code();
    TokenUsage used = TokenUsage.of(response.usage());
    boolean completed = "completed".equals(status);
    List<ToolCall> calls;
    TokenUsage total;
    synchronized (lock) {
      usage = usage.plus(used);
      total = usage;
      if (connection != current) {
        return; // replaced after this event was routed: only its usage counts, as for any late event
      }
      gate.done(response.id());
      calls = calls(response);
      if (completed && !calls.isEmpty()) {
        toolsRunning++;
      }
    }
    if ("failed".equals(status)) {
      LOG.warning(() -> label + ": response " + response.id() + " failed" + (errorCode == null ? "" : ": " + errorCode));
    }
    listener.responseDone(new ResponseSummary(response.id(), status, reason, errorCode, used, total,
        calls.stream().map(ToolCall::name).toList()));
    if (!calls.isEmpty()) {
      if (completed) {
        runTools(connection, calls);
      } else {
        // arguments.done also comes for cancelled and incomplete responses: no side effects from those
        for (ToolCall call : calls) {
          LOG.info(() -> label + ": tool " + call.name() + " not run: its response was " + status);
          listener.toolCall(ToolRunner.skipped(call, status));
        }
      }
    }
    pump();
    maybeSwitch(false);
  }

  /** The function calls of a response: from the arguments events, completed by the response's own output. */
  private List<ToolCall> calls(Response response) {
    Map<String, ToolCall> calls = callsByResponse.remove(response.id());
    Map<String, ToolCall> all = calls == null ? new LinkedHashMap<>() : calls;
    if (response.output() != null) {
      for (Item item : response.output()) {
        if ("function_call".equals(item.type()) && item.callId() != null && !all.containsKey(item.callId())) {
          all.put(item.callId(), new ToolCall(response.id(), item.id(), item.callId(), item.name(), item.arguments()));
        }
      }
    }
    return new ArrayList<>(all.values());
  }

  private void runTools(RealtimeConnection connection, List<ToolCall> calls) {
    List<CompletableFuture<ToolResult>> running = calls.stream().map(tools::run).toList();
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
        .whenComplete((ignored, bug) -> toolsFinished(connection, running.stream().map(CompletableFuture::join).toList()));
  }

  private void toolsFinished(RealtimeConnection connection, List<ToolResult> results) {
    String endReason = null;
    boolean endCall = false;
    for (ToolResult result : results) {
      if (!closed) {
        connection.send(id -> new ClientEvent.ConversationItemCreate(
            id, Item.functionCallOutput(result.call().callId(), result.output())));
      }
      LOG.info(() -> label + ": tool " + result.call().name() + (result.ok() ? " done" : " failed") + " in "
          + result.durationMs() + " ms");
      listener.toolCall(result);
      if (result.endsCall()) {
        endCall = true;
        endReason = reason(result.call().arguments());
      }
    }
    synchronized (lock) {
      toolsRunning--;
    }
    if (closed) {
      return;
    }
    if (endCall) {
      // no new response: the goodbye was the response that called end_call
      listener.endCallRequested(endReason);
    } else if (connection == current) {
      requestResponse();
    }
    maybeSwitch(false);
  }

  private static String reason(String arguments) {
    try (var reader = Json.createReader(new StringReader(arguments == null ? "{}" : arguments))) {
      JsonObject args = reader.readObject();
      return args.getString("reason", "");
    } catch (RuntimeException notAnObject) {
      return "";
    }
  }

  private void error(RealtimeConnection connection, ErrorInfo error) {
    if (error == null) {
      return;
    }
    boolean aboutRequest;
    synchronized (lock) {
      // a refusal on a session replaced meanwhile is about a request the fresh session has queued again
      aboutRequest = connection == current && gate.refused(error.eventId(), error.code());
    }
    if (RealtimeErrors.severity(error) == RealtimeErrors.Severity.BENIGN) {
      LOG.fine(() -> label + ": OpenAI error " + RealtimeErrors.describe(error));
    } else {
      LOG.warning(() -> label + ": OpenAI error " + RealtimeErrors.describe(error));
    }
    if (aboutRequest) {
      pump();
    }
    listener.errorReported(error);
  }

  private void fail(RealtimeFailure failure) {
    if (closed || !failureReported.compareAndSet(false, true)) {
      return;
    }
    RealtimeConnection other;
    synchronized (lock) {
      closed = true;
      cancelTimers();
      other = next;
      next = null;
    }
    if (other != null) {
      other.close();
    }
    switched.completeExceptionally(new RealtimeException(failure));
    listener.failed(failure);
  }

  // ---- rollover

  private void scheduleRollover(RealtimeConnection connection) {
    cancelTimers();
    long rolloverMs = settings.rolloverAfter().toMillis();
    long forcedMs = RealtimeSettings.MAX_SESSION.toMillis() - FORCED_SWITCH_MARGIN_MS;
    rolloverTimer = client.timer().schedule(() -> {
      if (current == connection) {
        rollover();
      }
    }, rolloverMs, TimeUnit.MILLISECONDS);
    forcedSwitchTimer = client.timer().schedule(() -> {
      if (current == connection) {
        LOG.warning(() -> label + ": no pause in the conversation before OpenAI's 60-minute limit: switching now");
        maybeSwitch(true);
      }
    }, Math.max(forcedMs, rolloverMs), TimeUnit.MILLISECONDS);
  }

  private void cancelTimers() {
    if (rolloverTimer != null) {
      rolloverTimer.cancel(false);
    }
    if (forcedSwitchTimer != null) {
      forcedSwitchTimer.cancel(false);
    }
  }

  private void rolloverFailed(Throwable error) {
    Throwable cause = error.getCause() instanceof RealtimeException ? error.getCause() : error;
    long sinceReadyMs;
    synchronized (lock) {
      rollingOver = false;
      if (closed) {
        return;
      }
      RealtimeConnection connection = current;
      sinceReadyMs = connection == null ? 0 : (System.nanoTime() - connection.readyAtNanos()) / 1_000_000;
    }
    long leftMs = RealtimeSettings.MAX_SESSION.toMillis() - FORCED_SWITCH_MARGIN_MS - sinceReadyMs;
    LOG.warning(() -> label + ": could not prepare the next OpenAI session: " + cause.getMessage()
        + (leftMs > ROLLOVER_RETRY_MS ? "; trying again in " + ROLLOVER_RETRY_MS + " ms" : ""));
    listener.rolloverFailed(cause instanceof RealtimeException e ? e.failure()
        : RealtimeFailure.of(RealtimeFailure.Kind.CONNECT_FAILED, cause.toString()));
    if (leftMs > ROLLOVER_RETRY_MS) {
      RealtimeConnection connection = current;
      client.timer().schedule(() -> {
        if (current == connection && !closed) {
          rollover();
        }
      }, ROLLOVER_RETRY_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Moves to the prepared session when the conversation pauses ({@code force}: now). */
  private void maybeSwitch(boolean force) {
    RealtimeConnection old;
    RealtimeConnection fresh;
    CompletableFuture<String> done;
    synchronized (lock) {
      if (closed || next == null) {
        return;
      }
      boolean pause = gate.idle() && !callerSpeaking && !responseExpected && toolsRunning == 0;
      if (!force && !pause) {
        return;
      }
      old = current;
      fresh = next;
      next = null;
      rollingOver = false;
      moveTo(fresh);
      done = switched;
    }
    old.close();
    LOG.info(() -> label + ": moved from OpenAI session " + old.sessionId() + " to " + fresh.sessionId());
    listener.rolledOver(fresh.sessionId());
    done.complete(fresh.sessionId());
    pump();
  }

  /** Makes {@code fresh} the session in use, the recap first (guarded by lock). */
  private void moveTo(RealtimeConnection fresh) {
    // the recap goes first, ahead of any caller audio on the new session
    if (!recap.isEmpty()) {
      fresh.send(id -> new ClientEvent.ConversationItemCreate(id, Item.systemText(recap.render())));
    }
    current = fresh;
    gate.reset();
    callsByResponse.clear();
    assistantItems.clear();
    transcribedItems.clear();
    callerSpeaking = false;
    responseExpected = false;
    scheduleRollover(fresh);
  }

  // ---- a lost connection

  /**
   * A connection that broke (I/O error, no pong, a cut, a close by the server) may be a network fault
   * that a fresh session gets past; an error OpenAI calls fatal (a key refused, the session expired, no
   * quota) would only be refused again.
   */
  private static boolean reconnectable(RealtimeFailure failure) {
    return failure.kind() == RealtimeFailure.Kind.TRANSPORT || failure.kind() == RealtimeFailure.Kind.CLOSED;
  }

  /**
   * Makes one attempt, at once, to replace a lost connection: a fresh session (the one a rollover
   * prepared, if any) with the recap. A later loss gets its own attempt, up to {@link #MAX_RECONNECTS}
   * per call. The opening is bounded like any (twice the connect timeout); if it fails too (OpenAI
   * refuses the upgrade: 401, 429, 5xx; or does not answer), the session fails with both reasons.
   */
  private void reconnect(RealtimeConnection lost, RealtimeFailure why) {
    RealtimeConnection prepared = null;
    boolean givenUp;
    synchronized (lock) {
      if (closed || reconnecting || lost != current) {
        return;
      }
      givenUp = reconnects >= MAX_RECONNECTS;
      if (!givenUp) {
        reconnecting = true;
        reconnects++;
        prepared = next;
        next = null;
        rollingOver = false;
        cancelTimers();
      }
    }
    if (givenUp) {
      fail(new RealtimeFailure(why.kind(), why.detail() + "; not reconnecting: the connection to OpenAI was lost "
          + MAX_RECONNECTS + " times already in this call", why.closeCode(), why.errorCode()));
      return;
    }
    LOG.warning(() -> label + ": lost OpenAI session " + lost.sessionId() + " (" + why + "); opening a fresh one");
    RealtimeConnection ready = prepared;
    CompletableFuture<RealtimeConnection> fresh = ready != null ? CompletableFuture.completedFuture(ready) : connect();
    fresh.whenComplete((connection, error) -> {
      if (error != null) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        String refused = cause instanceof RealtimeException e ? e.failure().toString() : cause.toString();
        fail(new RealtimeFailure(why.kind(), why.detail() + "; reconnecting failed: " + refused, why.closeCode(),
            why.errorCode()));
        return;
      }
      CompletableFuture<String> done;
      synchronized (lock) {
        if (closed) {
          connection.close();
          return;
        }
        reconnecting = false;
        moveTo(connection);
        done = switched;
      }
      LOG.info(() -> label + ": the conversation goes on on OpenAI session " + connection.sessionId());
      listener.reconnected(connection.sessionId(), why);
      if (ready != null) {
        done.complete(connection.sessionId());
      }
      pump();
    });
  }
}
