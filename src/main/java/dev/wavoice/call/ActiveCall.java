package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.bridge.BridgeListener;
import dev.wavoice.bridge.BridgeResult;
import dev.wavoice.bridge.CallBridge;
import dev.wavoice.bridge.CallContext;
import dev.wavoice.bridge.TranscriptLine;
import dev.wavoice.media.MediaEvent;
import dev.wavoice.media.MediaException;
import dev.wavoice.media.MediaFailure;
import dev.wavoice.media.MediaListener;
import dev.wavoice.media.MediaSession;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.Prerequisite;
import dev.wavoice.whatsapp.WebhookError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One call and its state machine. Everything that changes the call — the webhook that started it, media
 * and bridge events, Meta's terminate, timeouts, an operator's hang-up — runs on the call's own
 * {@link SerialExecutor}, one at a time, so the state needs no locks. Every way out goes through
 * {@link #end(EndReason, String)}, which runs once.
 *
 * <p>Incoming: set up media and pre-warm OpenAI in parallel → {@code pre_accept} with the answer → when
 * media has really connected, {@code accept} with the same answer → start the bridge. If media has not
 * connected {@code wavoice.calls.accept-without-media-after-ms} after {@code pre_accept}, {@code accept}
 * goes anyway (Meta may hold media back until then) and the bridge starts when media connects, so the
 * greeting is never spoken into a dead line; the media deadline still ends a call whose media never
 * comes. Once up, {@link CallLimits} ends a call that runs too long or whose caller RTP stops. Outgoing: media
 * offer → {@code connect} → the user's answer arrives by webhook → when media connects, start the bridge.
 * Softphone (a browser, no Meta): answer the browser's offer → trickled candidates go to Kurento → when
 * media has connected and OpenAI is ready, start the bridge. {@code pre_accept} and {@code accept} wait on
 * Meta off the executor, so an end is never held up by Meta; the end releases first and tells Meta after.
 */
public final class ActiveCall implements MediaListener, BridgeListener {

  private static final Logger LOG = Logger.getLogger(ActiveCall.class.getName());

  public enum Direction { INBOUND, OUTBOUND }

  /** ACCEPTED: Meta has our {@code accept} but media has not connected yet (the bridge waits for it). */
  public enum State { SETTING_UP, PRE_ACCEPTED, ACCEPTED, ANSWERED, DIALING, CONNECTING, ACTIVE, ENDED }

  private final CallServices services;
  private final SerialExecutor actor;
  private final Direction direction;
  private final String channel;
  private final String remoteNumber;
  private final String callerName;
  private final Instant startedAt;
  private final CompletableFuture<EndReason> ended = new CompletableFuture<>();
  /** The browser of a softphone call; null for WhatsApp calls. */
  private final SoftphonePeer peer;
  /** The final lines so far, for a console that starts watching mid-call. */
  private final List<TranscriptLine> transcript = new CopyOnWriteArrayList<>();
  /** On the call's executor only. */
  private final CallTimeline timeline;
  private final CallLimits limits;
  private final TranscriptWrites transcriptWrites;

  private volatile CallId id;
  private volatile State state = State.SETTING_UP;
  private volatile Instant acceptedAt;
  /**
   * Meta's terminate, set at once by the webhook's thread: a set-up step in progress holds the call's
   * executor, so the set-up looks here before each step that tells Meta anything (no {@code accept} ever
   * follows a terminate). First one wins; a second is harmless.
   */
  private volatile Terminate terminate;
  /** On the call's executor only: the set-up task has run, so a queued terminate task must end the call. */
  private boolean begun;
  private boolean recorded;
  private boolean metaKnowsCall;
  private boolean mediaUp;
  /** {@code accept} went out to Meta (its reply may not have come back). */
  private boolean acceptSent;
  private CallBridge bridge;
  private MediaSession media;
  private String localSdp;
  private CompletableFuture<Void> prepared;
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> acceptAnyway;

  ActiveCall(CallServices services, CallId id, Direction direction, String channel, String remoteNumber,
      String callerName, Instant startedAt) {
    this(services, id, direction, channel, remoteNumber, callerName, startedAt, null);
  }

  ActiveCall(CallServices services, CallId id, Direction direction, String channel, String remoteNumber,
      String callerName, Instant startedAt, SoftphonePeer peer) {
    this.services = services;
    this.peer = peer;
    this.actor = new SerialExecutor(services.executor());
    this.id = id;
    this.direction = direction;
    this.channel = channel;
    this.remoteNumber = remoteNumber;
    this.callerName = callerName;
    this.startedAt = startedAt;
    this.timeline = new CallTimeline(startedAt);
    this.limits = new CallLimits(services.scheduler(), services.clock());
    this.transcriptWrites = new TranscriptWrites(
        (after, task) -> services.scheduler().schedule(task, after.toMillis(), TimeUnit.MILLISECONDS),
        () -> actor.execute(this::saveTranscript));
  }

  public CallId id() {
    return id;
  }

  /** Completes with the end reason once the call has ended and its record is written. */
  public CompletableFuture<EndReason> ended() {
    return ended;
  }

  /** The transcript lines so far (final ones only). */
  public List<TranscriptLine> transcript() {
    return List.copyOf(transcript);
  }

  public CallView view() {
    Instant accepted = acceptedAt;
    long durationMs = accepted == null ? 0 : Duration.between(accepted, services.clock().instant()).toMillis();
    boolean inbound = direction == Direction.INBOUND;
    return new CallView(id.value(), channel, direction.name(), state.name(), inbound ? remoteNumber : null,
        inbound ? null : remoteNumber, callerName, services.settings().codec().name().toLowerCase(), startedAt,
        accepted, durationMs);
  }

  // ---- incoming

  /** Answers a user-initiated call whose SDP offer came with the connect webhook. */
  void answer(String offer, EndReason refusal) {
    actor.execute(() -> {
      begun = true;
      record();
      metaKnowsCall = true;
      if (endIfTerminated()) {
        return;
      }
      try {
        if (!setUpMedia(offer, refusal) || endIfTerminated()) {
          return;
        }
        localSdp = media.localSdp();
        Duration budget = metaBudget();
        askMeta(() -> services.graph().preAccept(id.value(), localSdp, budget), this::preAccepted);
      } catch (RuntimeException e) {
        if (!endIfTerminated()) { // a step that failed after Meta's terminate failed because of it
          fail(e);
        }
      }
    });
  }

  private void preAccepted() {
    state = State.PRE_ACCEPTED;
    Instant now = services.clock().instant();
    timeline.mark(CallTimeline.PRE_ACCEPT_SENT, now);
    services.prerequisites().confirmed(now, Prerequisite.CALLING_ENABLED, Prerequisite.SIP_DISABLED);
    services.events().publish(new CallEvent.PreAccepted(id, channel, now, Duration.between(startedAt, now), timeline.events()));
    changed();
    if (mediaUp) {
      accept();
    } else {
      armAcceptWithoutMedia();
    }
  }

  /** What is left of the media deadline: an answer from Meta after it is of no use, so no request outlasts it. */
  private Duration metaBudget() {
    long leftMs = deadline == null ? services.settings().mediaTimeout().toMillis() : deadline.getDelay(TimeUnit.MILLISECONDS);
    return Duration.ofMillis(Math.max(1, leftMs));
  }

  /**
   * Sends a Graph request off the call's executor, then goes on with {@code then} on it. Meanwhile the
   * executor stays free, so Meta's terminate, the media deadline and shutdown end the call (and release
   * it) at once even while Meta takes its time; an answer that comes after the end is ignored, and none
   * is acted on once Meta's terminate has arrived.
   */
  private void askMeta(Runnable request, Runnable then) {
    CompletableFuture.runAsync(request, services.executor()).whenComplete((ok, failure) -> actor.execute(() -> {
      if (state == State.ENDED || endIfTerminated()) {
        return;
      }
      try {
        if (failure != null) {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
          throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
        then.run();
      } catch (RuntimeException e) {
        fail(e);
      }
    }));
  }

  /**
   * What both channels do with an offer: admission, the bridge (pre-warmed while media is set up), the
   * media session answering the offer, RTP pointed at it. False when the call ended on the way.
   */
  private boolean setUpMedia(String offer, EndReason refusal) {
    if (refusal != null) {
      end(refusal, "refused by admission policy");
      return false;
    }
    if (!services.media().available()) {
      end(EndReason.KMS_UNAVAILABLE, "no Kurento Media Server is connected");
      return false;
    }
    armDeadline(services.settings().mediaTimeout(), EndReason.MEDIA_TIMEOUT, "media did not connect in time");
    bridge = services.bridges().create(context(), this);
    prewarm();
    media = services.media().answer(id, offer, bridge.rtpLeg(), this);
    services.events().publish(new CallEvent.MediaPlaced(id, media.kmsUrl(), timeline.events()));
    bridge.connectRtp(media.rtpTarget());
    return state != State.ENDED;
  }

  /**
   * {@code accept} with the {@code pre_accept}'s SDP: when media connected, or when it has not connected
   * in time (the bridge then starts once it does).
   */
  private void accept() {
    if (acceptSent) { // media connected while the accept is with Meta: its answer starts the agent
      return;
    }
    if (acceptAnyway != null) {
      acceptAnyway.cancel(false);
    }
    if (!awaitPrepared() || endIfTerminated()) {
      return;
    }
    try {
      acceptSent = true;
      Duration budget = metaBudget();
      askMeta(() -> services.graph().accept(id.value(), localSdp, null, budget), this::accepted);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void accepted() {
    Instant now = services.clock().instant();
    timeline.mark(CallTimeline.ACCEPT_SENT, now);
    answered(now, mediaUp);
    if (mediaUp) {
      activate();
    } else {
      state = State.ACCEPTED;
      changed();
      LOG.info(() -> "call " + id + " accepted before its media connected; the agent starts when it does");
    }
  }

  private void armAcceptWithoutMedia() {
    Duration after = services.settings().acceptWithoutMediaAfter();
    if (after.isZero()) {
      return;
    }
    acceptAnyway = services.scheduler().schedule(
        () -> actor.execute(() -> {
          if (state == State.PRE_ACCEPTED) {
            accept();
          }
        }),
        after.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- outgoing

  /** Places a business-initiated call; completes with Meta's call id once {@code connect} succeeded. */
  void dial(String to, String bizOpaqueCallbackData, CompletableFuture<CallId> placed) {
    actor.execute(() -> {
      begun = true;
      Duration answerTimeout = services.settings().outboundAnswerTimeout();
      armDeadline(answerTimeout, EndReason.ANSWER_TIMEOUT, "no answer within " + answerTimeout.toSeconds() + " s");
      try {
        bridge = services.bridges().create(context(), this);
        prewarm();
        media = services.media().offer(id, bridge.rtpLeg(), this);
        bridge.connectRtp(media.rtpTarget());
        CallId metaId = new CallId(services.graph().connect(to, media.localSdp(), bizOpaqueCallbackData));
        timeline.mark(CallTimeline.CONNECT_SENT, services.clock().instant());
        services.prerequisites().confirmed(services.clock().instant(), Prerequisite.CALLING_ENABLED, Prerequisite.SIP_DISABLED);
        services.registry().alias(metaId, this);
        id = metaId;
        metaKnowsCall = true;
        record();
        services.events().publish(new CallEvent.MediaPlaced(id, media.kmsUrl(), timeline.events()));
        state = State.DIALING;
        changed();
        placed.complete(metaId);
      } catch (RuntimeException e) {
        placed.completeExceptionally(e);
        record();
        fail(e);
      }
    });
  }

  /** The user answered an outgoing call: apply their SDP answer. */
  void remoteAnswer(String sdpAnswer) {
    actor.execute(() -> {
      if (state != State.DIALING) {
        LOG.warning(() -> "answer for call " + id + " in state " + state + " ignored");
        return;
      }
      try {
        media.applyRemoteAnswer(sdpAnswer);
        timeline.mark(CallTimeline.ANSWER_RECEIVED, services.clock().instant());
        state = State.CONNECTING;
        changed();
        if (mediaUp) {
          activate();
        } else {
          // answered: from now on the media deadline applies, as for an incoming call
          cancelDeadline();
          armDeadline(services.settings().mediaTimeout(), EndReason.MEDIA_TIMEOUT, "media did not connect after the answer");
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    });
  }

  // ---- softphone

  /** Answers a browser's offer: no Meta, the answer goes back to the browser, which trickles its candidates. */
  void answerSoftphone(String offer, EndReason refusal) {
    actor.execute(() -> {
      begun = true;
      record();
      tell(p -> p.created(id));
      try {
        if (!setUpMedia(offer, refusal)) {
          return;
        }
        String answer = media.localSdp();
        tell(p -> p.answer(answer));
        timeline.mark(CallTimeline.ANSWER_SENT, services.clock().instant());
        state = State.ANSWERED;
        changed();
        tell(p -> p.state(State.ANSWERED.name()));
        if (mediaUp) {
          connectSoftphone();
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    });
  }

  /** A candidate the browser trickled; it always follows the offer, so the media exists unless set-up failed. */
  public void remoteCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
    actor.execute(() -> {
      if (state == State.ENDED || media == null) {
        return;
      }
      try {
        media.addRemoteCandidate(candidate, sdpMid, sdpMLineIndex);
      } catch (RuntimeException e) {
        // one bad candidate does not end the call: ICE goes on with the others (or times out)
        LOG.warning(() -> "call " + id + ": remote candidate refused: " + e.getMessage());
      }
    });
  }

  private void connectSoftphone() {
    if (awaitPrepared()) {
      activate();
    }
  }

  /** Sends to the browser, if this is a softphone call; a failing browser link never breaks the call. */
  private void tell(Consumer<SoftphonePeer> message) {
    if (peer == null) {
      return;
    }
    try {
      message.accept(peer);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "call " + id + ": telling the softphone failed", e);
    }
  }

  // ---- ending from outside

  void terminatedByMeta(String detail) {
    terminatedByMeta(detail, List.of());
  }

  /**
   * Meta ended the call; its errors (e.g. 138021: the user's client got no media) go on the record. Noted
   * at once on the caller's thread, so a set-up step in progress stops at its next step; the call then ends
   * on its executor (a set-up that has not begun yet ends it itself, first thing).
   */
  void terminatedByMeta(String detail, List<WebhookError> errors) {
    if (terminate == null) {
      terminate = new Terminate(detail, List.copyOf(errors));
    }
    if (state == State.SETTING_UP) {
      LOG.info(() -> "call " + id + ": Meta's terminate arrived before the call was set up; nothing more goes to Meta");
    }
    actor.execute(() -> {
      if (begun) {
        endIfTerminated();
      }
    });
  }

  /** Ends the call as Meta's terminate says, if one has arrived; true when it had. On the call's executor. */
  private boolean endIfTerminated() {
    Terminate t = terminate;
    if (t == null) {
      return false;
    }
    if (recorded && state != State.ENDED && !t.errors().isEmpty()) {
      WebhookError first = t.errors().get(0);
      services.events().publish(new CallEvent.Problem(id, new CallProblem(
          t.errors().stream().map(e -> "meta terminate " + e.describe()).toList(),
          new CallProblem.RemoteError(first.code() == null ? 0 : first.code(), null, first.details())), timeline.events()));
    }
    end(EndReason.REMOTE_TERMINATE, t.detail());
    return true;
  }

  private record Terminate(String detail, List<WebhookError> errors) {}

  void notAnswered(String detail) {
    actor.execute(() -> end(EndReason.NOT_ANSWERED, detail));
  }

  /** Ends the call for this reason (operator hang-up, shutdown). */
  public void hangUp(EndReason reason, String detail) {
    actor.execute(() -> end(reason, detail));
  }

  // ---- media events (Kurento threads)

  @Override
  public void mediaConnected() {
    Instant at = services.clock().instant();
    actor.execute(() -> {
      if (state == State.ENDED) {
        return;
      }
      mediaUp = true;
      timeline.mark(CallTimeline.MEDIA_CONNECTED, at);
      services.events().publish(new CallEvent.MediaConnected(id, at));
      watchInactivity();
      switch (state) {
        case PRE_ACCEPTED -> accept();
        case ACCEPTED -> activate();
        case ANSWERED -> connectSoftphone();
        case CONNECTING -> activate();
        default -> { } // SETTING_UP: accepted right after pre_accept; DIALING: once the answer arrives
      }
    });
  }

  @Override
  public void mediaFailed(MediaFailure failure) {
    actor.execute(() -> end(
        failure.kind() == MediaFailure.Kind.KMS_RESTARTED ? EndReason.KMS_RESTARTED : EndReason.MEDIA_FAILED,
        failure.kind() + ": " + failure.detail()));
  }

  @Override
  public void mediaEvent(MediaEvent event) {
    String name = CallTimeline.nameOf(event);
    if (name != null) {
      Instant at = services.clock().instant();
      actor.execute(() -> timeline.mark(name, at));
    }
  }

  @Override
  public boolean tricklesCandidates() {
    return peer != null;
  }

  @Override
  public boolean whatsAppPeer() {
    return peer == null;
  }

  @Override
  public void localCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
    // on the call's executor: after the answer has gone out
    actor.execute(() -> {
      if (state != State.ENDED) {
        tell(p -> p.candidate(candidate, sdpMid, sdpMLineIndex));
      }
    });
  }

  // ---- bridge events (bridge threads)

  @Override
  public void endRequested(String detail) {
    actor.execute(() -> end(EndReason.AGENT_ENDED, detail));
  }

  @Override
  public void failed(String detail) {
    actor.execute(() -> end(state == State.ACTIVE ? EndReason.OPENAI_FAILED : EndReason.OPENAI_REFUSED, detail));
  }

  @Override
  public void firstBotAudio(Instant at) {
    actor.execute(() -> {
      if (state == State.ENDED) {
        return;
      }
      timeline.mark(CallTimeline.FIRST_BOT_AUDIO, at);
      services.events().publish(new CallEvent.FirstBotAudio(id, channel, at, Duration.between(startedAt, at), timeline.events()));
    });
  }

  @Override
  public void firstCallerRtp(Instant at) {
    actor.execute(() -> timeline.mark(CallTimeline.FIRST_CALLER_RTP, at));
  }

  @Override
  public void transcriptLine(TranscriptLine line) {
    transcript.add(line);
    services.events().publish(new CallEvent.TranscriptLineHeard(id, line));
    transcriptWrites.lineAdded();
  }

  @Override
  public void problem(String detail) {
    actor.execute(() -> {
      if (recorded) {
        services.events().publish(new CallEvent.Problem(id, CallProblem.of(detail), timeline.events()));
      }
    });
  }

  // ---- internals

  private CallContext context() {
    return new CallContext(id, channel, remoteNumber, callerName, services.settings().codec());
  }

  /** Opens OpenAI while media is set up; a refusal ends the call before it is answered. */
  private void prewarm() {
    prepared = bridge.prepare().toCompletableFuture();
    prepared.whenComplete((ok, failure) -> {
      if (failure != null) {
        actor.execute(() -> {
          if (state != State.ACTIVE) {
            end(EndReason.OPENAI_REFUSED, rootMessage(failure));
          }
        });
      }
    });
  }

  /** The agent must be ready before the call is answered; wait for it within the media deadline. */
  private boolean awaitPrepared() {
    try {
      long leftMs = deadline == null ? services.settings().mediaTimeout().toMillis() : deadline.getDelay(TimeUnit.MILLISECONDS);
      prepared.get(Math.max(1, leftMs), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      end(EndReason.OPENAI_REFUSED, "the OpenAI session was not ready in time");
    } catch (ExecutionException e) {
      end(EndReason.OPENAI_REFUSED, rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      end(EndReason.INTERNAL_ERROR, "interrupted");
    }
    return false;
  }

  /** Media is up and the call answered: the agent starts. */
  private void activate() {
    state = State.ACTIVE;
    cancelDeadline();
    if (acceptedAt == null) { // outgoing and softphone calls are answered when their media connects
      answered(services.clock().instant(), true);
    }
    changed();
    tell(p -> p.state(State.ACTIVE.name()));
    LOG.info(() -> "call " + id + " connected");
    try {
      bridge.start();
      timeline.mark(CallTimeline.BRIDGE_STARTED, services.clock().instant());
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** The call counts as answered from now: the record says so and its maximum duration runs. */
  private void answered(Instant at, boolean withMedia) {
    acceptedAt = at;
    services.events().publish(new CallEvent.Accepted(id, channel, direction, at, withMedia, Duration.between(startedAt, at),
        timeline.events()));
    limits.armMaxDuration(services.settings().maxDuration(), () -> actor.execute(() -> end(EndReason.MAX_DURATION,
        "the call reached wavoice.calls.max-duration-seconds (" + services.settings().maxDuration().toSeconds() + " s)")));
  }

  /** From media connected on: a caller whose RTP stops for the inactivity limit is gone. */
  private void watchInactivity() {
    if (bridge == null) {
      return;
    }
    CallBridge watched = bridge;
    Duration limit = services.settings().inactivity();
    limits.watchInactivity(limit, watched::callerPackets, () -> actor.execute(() -> end(EndReason.MEDIA_INACTIVE,
        "no RTP from the caller for " + limit.toSeconds() + " s (wavoice.calls.inactivity-seconds)")));
  }

  /** The transcript so far onto the record, so a crash keeps it; the end writes the complete one. */
  private void saveTranscript() {
    if (state == State.ENDED || !recorded) {
      return;
    }
    List<TranscriptEntry> lines = transcript.stream().map(l -> new TranscriptEntry(l.speaker(), l.at(), l.text())).toList();
    services.events().publish(new CallEvent.TranscriptSoFar(id, lines, timeline.events()));
  }


  private void armDeadline(Duration after, EndReason reason, String detail) {
    deadline = services.scheduler().schedule(
        () -> actor.execute(() -> {
          if (state != State.ACTIVE) {
            end(reason, detail);
          }
        }),
        after.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  private void cancelTimers() {
    cancelDeadline();
    if (acceptAnyway != null) {
      acceptAnyway.cancel(false);
    }
    limits.cancel();
  }

  private void fail(RuntimeException e) {
    if (e instanceof MediaException media) {
      end(media.reason() == MediaException.Reason.KMS_UNAVAILABLE ? EndReason.KMS_UNAVAILABLE : EndReason.MEDIA_SETUP_FAILED,
          media.reason() + ": " + media.getMessage());
    } else if (e instanceof GraphApiException graph && graph.getCause() instanceof InterruptedException) {
      // our own threads are interrupted only when wavoice stops
      end(EndReason.SHUTDOWN, "interrupted during graph " + graph.operation() + ": wavoice is shutting down");
    } else if (e instanceof GraphApiException graph) {
      // an error naming a missing prerequisite is Meta's own word: the doctor shows it, the record says so
      String missing = services.prerequisites().failed(graph, "call " + id, services.clock().instant())
          .map(p -> " — missing prerequisite: " + p.explanation() + " (doctor check " + p.checkId() + ", GET /api/doctor)")
          .orElse("");
      if (recorded) {
        services.events().publish(new CallEvent.Problem(id, new CallProblem(
            List.of("graph " + graph.operation() + " " + graph.kind() + " " + graph.code() + ": " + graph.getMessage() + missing),
            graph.error().map(error -> new CallProblem.RemoteError(error.codeOrZero(), error.errorSubcode(), error.details()))
                .orElse(null)), timeline.events()));
      }
      end(EndReason.GRAPH_ERROR, graph.kind() + ": " + graph.getMessage());
    } else {
      LOG.log(Level.SEVERE, "call " + id + " failed", e);
      end(EndReason.INTERNAL_ERROR, e.toString());
    }
  }

  /** The call exists from here on (for the record, the console and the metrics). */
  private void record() {
    if (recorded) {
      return;
    }
    recorded = true;
    services.events().publish(new CallEvent.Started(id, channel, direction, remoteNumber, callerName,
        services.settings().codec().name().toLowerCase(), startedAt));
  }

  /** Publishes a state change. */
  private void changed() {
    services.events().publish(new CallEvent.StateChanged(id, state.name()));
  }

  /** The one way out. Runs once; each step is guarded so a failing step never skips the others. */
  private void end(EndReason reason, String detail) {
    if (state == State.ENDED) {
      return;
    }
    State before = state;
    state = State.ENDED;
    cancelTimers();
    LOG.info(() -> "call " + id + " ends: " + reason + (detail == null ? "" : " (" + detail + ")"));
    BridgeResult result = BridgeResult.EMPTY;
    if (bridge != null) {
      try {
        result = bridge.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing the bridge of call " + id + " failed", e);
      }
    }
    if (media != null) {
      try {
        media.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "releasing the media of call " + id + " failed", e);
      }
    }
    services.registry().remove(this);
    // released first: a slow Meta holds nothing of the call's
    if (reason.endedByUs() && metaKnowsCall) {
      tellMeta(before);
    }
    Instant now = services.clock().instant();
    timeline.mark(CallTimeline.END, now);
    BridgeResult usage = result;
    List<TranscriptEntry> lines = usage.transcript().stream()
        .map(l -> new TranscriptEntry(l.speaker(), l.at(), l.text()))
        .toList();
    services.events().publish(new CallEvent.Ended(id, channel, now, reason, detail,
        new CallUsage(usage.inputTextTokens(), usage.inputAudioTokens(), usage.inputCachedTokens(),
            usage.outputTextTokens(), usage.outputAudioTokens(), usage.estimatedCostUsd()),
        lines, usage.bargeIns(), usage.recordingProblem(), timeline.events()));
    tell(p -> p.ended(reason, detail));
    ended.complete(reason);
  }

  /** Before accept Meta is told {@code reject}; after (also an accept without media), {@code terminate}. */
  private void tellMeta(State before) {
    // an accept whose reply we never read (interrupted at shutdown, timed out) may well have accepted the call
    boolean answered = before == State.ACTIVE || before == State.ACCEPTED || acceptSent || direction == Direction.OUTBOUND;
    try {
      if (answered) {
        services.graph().terminate(id.value());
      } else {
        services.graph().reject(id.value());
      }
    } catch (GraphApiException e) {
      LOG.warning(() -> "telling Meta the end of call " + id + " failed: " + e.getMessage());
      if (recorded) {
        services.events().publish(new CallEvent.Problem(id, CallProblem.of("graph " + e.operation() + ": " + e.getMessage()),
            timeline.events()));
      }
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
