package dev.wavoice.bridge;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.AudioFormats;
import dev.wavoice.audio.CallAudio;
import dev.wavoice.audio.CallAudioStats;
import dev.wavoice.audio.MonotonicClock;
import dev.wavoice.audio.PlaybackObserver;
import dev.wavoice.audio.RtpRemote;
import dev.wavoice.bridge.BridgeMetrics.AudioCounts;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.realtime.AudioDelta;
import dev.wavoice.realtime.RealtimeClient;
import dev.wavoice.realtime.RealtimeFailure;
import dev.wavoice.realtime.RealtimeListener;
import dev.wavoice.realtime.RealtimeSession;
import dev.wavoice.realtime.RealtimeWire.AudioFormat;
import dev.wavoice.realtime.RealtimeWire.ErrorInfo;
import dev.wavoice.realtime.ResponseSummary;
import dev.wavoice.realtime.TokenUsage;
import dev.wavoice.realtime.ToolHandler;
import dev.wavoice.realtime.ToolResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One call's bridge between its RTP leg ({@link CallAudio}) and its OpenAI Realtime session. Made by
 * {@link RealtimeBridgeFactory}; the call layer drives it through {@link CallBridge}.
 *
 * <ul>
 *   <li>Caller → OpenAI: {@link CallerAudioBatcher} batches the audio plane's 20 ms frames into appends, from
 *       {@link #start()} on.
 *   <li>OpenAI → caller: {@link BotPlayback} queues the deltas for the shared pacer and handles barge-in.
 *   <li>{@link Transcript} keeps the conversation as the caller heard it; usage comes from the session.
 *   <li>{@code end_call}: the goodbye plays out, then {@link BridgeListener#endRequested}.
 *   <li>A session that fails mid-call is reported once through {@link BridgeListener#failed}.
 * </ul>
 *
 * <p>Threads: the call layer's (life cycle), the RTP receive thread (caller audio), the WebSocket's
 * (OpenAI's events, in order), tool threads, and the pacer (playback notices: the transcript is told
 * at once, the listener through {@code events}). No lock is held while calling out.
 */
final class RealtimeCallBridge implements CallBridge {

  private static final Logger LOG = Logger.getLogger(RealtimeCallBridge.class.getName());
  /** Longest wait at the end of a call for its recording to be completed (normally milliseconds). */
  private static final Duration RECORDER_FINISH = Duration.ofSeconds(5);

  /** OpenAI errors a call's record keeps at most (a misbehaving session must not grow it without end). */
  static final int MAX_RECORDED_ERRORS = 10;

  private final CallContext context;
  private final List<ToolHandler> callTools;
  private final BridgeListener listener;
  private final CallAudio audio;
  private final RealtimeClient realtime;
  private final BridgeSettings settings;
  private final BridgeMetrics metrics;
  private final BridgeTimings timings;
  private final Clock wallClock;
  private final MonotonicClock clock;
  private final Executor events;
  private final Consumer<RealtimeCallBridge> onClose;
  private final String label;
  private final CallerAudioBatcher callerAudio;
  private final RecordingSettings recording;
  private final ThreadFactory recorderThreads;
  private final BotPlayback playback;
  private final Transcript transcript = new Transcript();
  private final SessionEvents sessionEvents = new SessionEvents();
  private final AtomicBoolean firstAudio = new AtomicBoolean();
  private final AtomicBoolean ending = new AtomicBoolean();
  private final AtomicBoolean failureReported = new AtomicBoolean();
  private final AtomicInteger errorsRecorded = new AtomicInteger();

  private final Object lock = new Object();
  // guarded by lock
  private CompletableFuture<RealtimeSession> opening;
  private boolean started;
  private boolean closed;
  private BridgeResult result;
  private CallRecorder recorder;
  private AudioCounts reported = AudioCounts.ZERO;

  private volatile RealtimeSession session;

  RealtimeCallBridge(CallContext context, BridgeListener listener, CallAudio audio, RealtimeClient realtime,
      BridgeSettings settings, BridgeMetrics metrics, BridgeTimings timings, Clock wallClock, MonotonicClock clock,
      Executor events, Consumer<RealtimeCallBridge> onClose, RecordingSettings recording, ThreadFactory recorderThreads,
      List<ToolHandler> callTools) {
    this.context = context;
    this.callTools = List.copyOf(callTools);
    this.recording = recording;
    this.recorderThreads = recorderThreads;
    this.listener = listener;
    this.audio = audio;
    this.realtime = realtime;
    this.settings = settings;
    this.metrics = metrics;
    this.timings = timings;
    this.wallClock = wallClock;
    this.clock = clock;
    this.events = events;
    this.onClose = onClose;
    this.label = "call " + context.callId();
    this.callerAudio = new CallerAudioBatcher(audio, settings.appendBatchMs(), clock, timings);
    this.playback = new BotPlayback(audio.outbound(), AudioFormats.bridgeBytesPerMs(audio.codec()), settings.playoutDelayMs(), clock,
        timings);
    audio.outbound().observe(sessionEvents);
    audio.onFirstPacket(nanos -> listener.firstCallerRtp(wallClock.instant().minusNanos(Math.max(0, clock.nanoTime() - nanos))));
  }

  // ---- CallBridge

  @Override
  public RtpLeg rtpLeg() {
    return new RtpLeg(audio.advertisedAddress(), audio.codec(), audio.ssrc());
  }

  @Override
  public CompletionStage<Void> prepare() {
    CompletableFuture<RealtimeSession> open;
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException(label + ": the bridge is closed"));
      }
      if (opening == null) {
        opening = realtime.open(context.callId(), format(audio.codec()), callTools, sessionEvents);
        opening.whenComplete(this::opened);
      }
      open = opening;
    }
    return open.thenApply(ready -> null);
  }

  @Override
  public void connectRtp(RtpRemote kurento) {
    audio.start(kurento); // from now on a frame leaves every 20 ms (silence until the bot speaks), and only Kurento is heard
  }

  @Override
  public void start() {
    CompletableFuture<RealtimeSession> open;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(label + ": the bridge is closed");
      }
      if (opening == null) {
        throw new IllegalStateException(label + ": prepare() must come before start()");
      }
      if (started) {
        return;
      }
      started = true;
      open = opening;
      if (recording.enabled()) {
        recorder = new CallRecorder(context.callId(), audio.codec(), recording.file(context.callId()), metrics,
            recorderThreads);
      }
    }
    if (recorder != null) { // both sides from the answer on: the caller is not heard before, nor recorded
      audio.outbound().tap(recorder);
      callerAudio.recordTo(recorder);
    }
    playback.open();
    audio.attach(callerAudio);
    open.thenAccept(ready -> {
      synchronized (lock) {
        if (closed) {
          return;
        }
      }
      callerAudio.streamTo(ready);
      if (ready.greet(recording.enabled() ? recording.disclosure() : null)) {
        LOG.fine(() -> label + ": greeting the caller");
      }
    });
  }

  @Override
  public BridgeResult close() {
    RealtimeSession s;
    CallRecorder r;
    synchronized (lock) {
      if (result != null) {
        return result;
      }
      closed = true;
      s = session;
      r = recorder;
    }
    callerAudio.streamTo(null);
    try {
      if (s != null) {
        s.close();
      }
    } finally {
      audio.close();
    }
    CallRecorder.Outcome recorded = CallRecorder.Outcome.NONE;
    if (r != null) { // after the audio stopped: nothing more is handed over
      callerAudio.recordTo(null);
      audio.outbound().tap(null);
      recorded = r.close(RECORDER_FINISH);
    }
    publishAudioCounts();
    TokenUsage usage = s == null ? TokenUsage.NONE : s.usage();
    double costUsd = s == null ? 0 : s.estimatedCostUsd();
    BridgeResult done = new BridgeResult(usage.inputText(), usage.inputAudio(), usage.inputCached(), usage.outputText(),
        usage.outputAudio(), costUsd, playback.generation(), transcript.close(), recorded.problem());
    synchronized (lock) {
      if (result == null) {
        result = done;
      }
      done = result;
    }
    onClose.accept(this);
    LOG.fine(() -> label + ": bridge closed; " + usage.total() + " tokens, " + playback.generation() + " barge-ins");
    return done;
  }

  @Override
  public long callerPackets() {
    return audio.packetsReceived();
  }

  // ---- for the factory and tests

  CallContext context() {
    return context;
  }

  CallAudio audio() {
    return audio;
  }

  /** The OpenAI session once it is ready (null before, or if it could not be opened). */
  RealtimeSession session() {
    return session;
  }

  int bargeIns() {
    return playback.generation();
  }

  /** Bot audio dropped at the door: late audio of responses cut by a barge-in (or sent before the call was accepted). */
  long droppedBotAudioMs() {
    return playback.droppedBytes() / AudioFormats.bridgeBytesPerMs(audio.codec());
  }

  /** Adds the audio counters since the last report to the metrics (the factory calls this every few seconds). */
  void publishAudioCounts() {
    CallAudioStats stats = audio.stats();
    AudioCounts now = new AudioCounts(stats.inbound().framesDelivered(), stats.outbound().audioFramesSent(),
        stats.outbound().silenceFramesSent(), stats.inbound().lostPackets(), stats.inbound().latePackets(),
        stats.outbound().overflowFrames(), stats.outbound().encodeLateTicks());
    AudioCounts delta;
    synchronized (lock) {
      delta = now.minus(reported);
      reported = now;
    }
    metrics.audio(delta);
  }

  // ---- internals

  private void opened(RealtimeSession ready, Throwable failure) {
    if (failure != null) {
      LOG.info(() -> label + ": the OpenAI session could not be opened: " + rootMessage(failure));
      return;
    }
    boolean late;
    synchronized (lock) {
      late = closed;
      if (!late) {
        session = ready;
      }
    }
    if (late) {
      ready.close(); // the call ended while OpenAI was being set up
    }
  }

  /** The one place the RTP leg's codec decides OpenAI's format: G.711 passes through, Opus is decoded to 24 kHz PCM. */
  static AudioFormat format(AudioCodec codec) {
    return codec == AudioCodec.OPUS ? AudioFormat.PCM_24K : AudioFormat.PCMU;
  }

  private boolean bargeInEnabled(RealtimeSession s) {
    return s != null && !Boolean.FALSE.equals(s.settings().turnDetection().interruptResponse());
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void emit(List<TranscriptLine> lines) {
    for (TranscriptLine line : lines) {
      try {
        listener.transcriptLine(line);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, label + ": the call layer failed on a transcript line", e);
      }
    }
  }

  private void bargeIn(String callerItemId) {
    long t0 = clock.nanoTime();
    RealtimeSession s = session;
    boolean live;
    synchronized (lock) {
      live = started && !closed;
    }
    if (!live || !bargeInEnabled(s)) {
      return;
    }
    BotPlayback.BargeIn cut = playback.bargeIn();
    timings.bargeIn(t0, clock.nanoTime()); // flushed: the next tick sends silence
    if (cut.interruptedBot()) { // counted by BotPlayback before OpenAI hears of it: whoever sees the truncate sees the count
      metrics.bargeIn();
      LOG.fine(() -> label + ": barge-in" + cut.truncation().map(t -> ", item " + t.itemId() + " truncated at "
          + t.audioEndMs() + " ms").orElse(", nothing was playing"));
    }
    cut.truncation().ifPresent(t -> {
      metrics.truncation();
      s.truncate(t.itemId(), t.contentIndex(), (int) Math.min(Integer.MAX_VALUE, t.audioEndMs()));
    });
    emit(transcript.bargeIn(cut.truncation().map(Truncation::itemId).orElse(null)));
  }

  /** {@code end_call}: the goodbye (the response that called it) plays out, then the call layer ends the call. */
  private void endCall(String reason) {
    if (isClosed() || !ending.compareAndSet(false, true)) {
      return;
    }
    long drainMs = settings.endCallDrainTimeout().toMillis();
    long tailMs = settings.endCallTail().toMillis();
    CompletableFuture<Boolean> played = audio.outbound().drained().copy().thenApply(done -> true)
        .completeOnTimeout(false, drainMs, TimeUnit.MILLISECONDS);
    played.thenAcceptAsync(inTime -> {
      if (!inTime) {
        LOG.warning(() -> label + ": the goodbye did not play out within " + drainMs + " ms; ending the call anyway");
      }
      if (!isClosed()) {
        listener.endRequested(reason == null || reason.isBlank() ? "the agent ended the call" : reason);
      }
    }, tailMs == 0 ? events : CompletableFuture.delayedExecutor(tailMs, TimeUnit.MILLISECONDS, events));
  }

  private void fail(RealtimeFailure failure) {
    if (isClosed()) {
      return;
    }
    metrics.failure(failure.kind().name());
    if (ending.get()) {
      // the goodbye is playing and the end request follows: nothing more to tell
      LOG.info(() -> label + ": the OpenAI session ended while the goodbye played: " + failure);
      return;
    }
    if (failureReported.compareAndSet(false, true)) {
      LOG.warning(() -> label + ": the OpenAI session failed: " + failure);
      listener.failed("OpenAI Realtime: " + failure);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** OpenAI's events (WebSocket thread, tool threads) and the pacer's playback notices. */
  private final class SessionEvents implements RealtimeListener, PlaybackObserver {

    // ---- the caller

    @Override
    public void speechStarted(int audioStartMs, String itemId) {
      transcript.callerSpeechStarted(itemId, wallClock.instant());
      bargeIn(itemId);
    }

    @Override
    public void callerTranscript(String itemId, String text) {
      emit(transcript.callerText(itemId, text, wallClock.instant()));
    }

    @Override
    public void callerTranscriptFailed(String itemId, String detail) {
      transcript.callerFailed(itemId);
    }

    // ---- the bot

    @Override
    public void responseStarted(String responseId) {
      playback.responseStarted(responseId);
    }

    @Override
    public void audioDelta(AudioDelta delta) {
      if (playback.delta(delta) == BotPlayback.Accepted.QUEUED_NEW_ITEM) {
        transcript.botAudio(delta.itemId());
      }
    }

    @Override
    public void audioDone(String responseId, String itemId, int contentIndex) {
      playback.audioDone(responseId, itemId);
    }

    @Override
    public void botTranscript(String responseId, String itemId, String text) {
      emit(transcript.botText(itemId, text));
    }

    @Override
    public void responseDone(ResponseSummary summary) {
      playback.responseDone(summary.responseId());
    }

    @Override
    public void truncated(String itemId, int contentIndex, int audioEndMs) {
      LOG.fine(() -> label + ": OpenAI truncated item " + itemId + " at " + audioEndMs + " ms");
    }

    // ---- the pacer (must not block: the transcript is told here, the listeners are handed off)

    @Override
    public void started(String itemId) {
      long onWire = clock.nanoTime();
      Instant at = wallClock.instant();
      playback.started(itemId, onWire);
      boolean first = firstAudio.compareAndSet(false, true);
      // recorded before the tick ends: a barge-in right after must find the item started, or its line is lost
      List<TranscriptLine> lines = transcript.botStarted(itemId, at);
      events.execute(() -> {
        if (first && !isClosed()) {
          listener.firstBotAudio(at);
        }
        emit(lines);
      });
    }

    @Override
    public void finished(String itemId) {
      List<TranscriptLine> lines = transcript.botFinished(itemId);
      if (!lines.isEmpty()) {
        events.execute(() -> emit(lines));
      }
    }

    // ---- tools, errors, the session

    @Override
    public void toolCall(ToolResult result) {
      metrics.toolCall(!result.executed() ? "skipped" : result.ok() ? "ok" : "error");
    }

    @Override
    public void endCallRequested(String reason) {
      endCall(reason);
    }

    @Override
    public void errorReported(ErrorInfo error) {
      metrics.openAiError(error.code());
      // an error the session survives (e.g. a failed response) costs the caller an answer: the record says so
      if (!error.expected() && errorsRecorded.incrementAndGet() <= MAX_RECORDED_ERRORS && !isClosed()) {
        // straight on (the call layer hands off): in OpenAI's order, ahead of an end that follows
        listener.problem("OpenAI Realtime: error " + error.describe());
      }
    }

    @Override
    public void reconnected(String newSessionId, RealtimeFailure lost) {
      LOG.warning(() -> label + ": the OpenAI connection was lost (" + lost + "); the call goes on on session " + newSessionId);
      metrics.failure(lost.kind().name());
      playback.connectionReplaced(); // else a barge-in would count the cut response as the bot talking
      if (!isClosed()) {
        listener.problem("OpenAI Realtime: the connection was lost (" + lost + "); the call went on on a fresh session");
      }
    }

    @Override
    public void rolledOver(String newSessionId) {
      LOG.info(() -> label + ": the conversation moved to OpenAI session " + newSessionId);
    }

    @Override
    public void rolloverFailed(RealtimeFailure failure) {
      events.execute(() -> listener.problem("OpenAI Realtime: the move to a fresh session failed: " + failure));
    }

    @Override
    public void failed(RealtimeFailure failure) {
      fail(failure);
    }
  }
}
