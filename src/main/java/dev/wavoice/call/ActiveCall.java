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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The core of one call, the same for every channel: its state machine, its deadlines and the one way
 * out. Everything that changes the call — the request that started it, media and bridge events, the other
 * side's hang-up, timeouts, an operator's hang-up — runs on the call's own {@link SerialExecutor}, one at
 * a time, so the state needs no locks. Every way out goes through {@link #end(EndReason, String)}, which
 * runs once and is the only place that releases the bridge, the media and the call's slot. What differs
 * between WhatsApp incoming, WhatsApp outgoing and the softphone is its {@link CallChannel}; what the
 * record, the metrics and the console need it publishes as {@link CallEvent}s, and it waits on none of them.
 *
 * <p>Incoming: set up media and pre-warm OpenAI in parallel → the channel's answer → when media has
 * really connected, the channel's accept (after a provisional answer: WhatsApp's {@code pre_accept}) →
 * start the bridge. If media has not connected {@code wavoice.calls.accept-without-media-after-ms} after a
 * provisional answer, the accept goes anyway (Meta may hold media back until then) and the bridge starts
 * when media connects, so the greeting is never spoken into a dead line; the media deadline still ends a
 * call whose media never comes. Once up, {@link CallLimits} ends a call that runs too long or whose caller
 * RTP stops. Outgoing: media offer → the channel dials → the other side's answer → when media connects,
 * start the bridge. Steps that wait on the other side run off the executor, so an end is never held up by
 * them; the end releases first and tells the other side after.
 */
public final class ActiveCall implements MediaListener, BridgeListener {

  private static final Logger LOG = Logger.getLogger(ActiveCall.class.getName());

  public enum Direction { INBOUND, OUTBOUND }

  /**
   * PRE_ACCEPTED: the other side has our provisional answer (it rings). ACCEPTED: it has our accept but
   * media has not connected yet (the bridge waits for it). ANSWERED: it has our (final) answer and media
   * is connecting. DIALING: our offer is out; CONNECTING: its answer is in and media is connecting.
   */
  public enum State { SETTING_UP, PRE_ACCEPTED, ACCEPTED, ANSWERED, DIALING, CONNECTING, ACTIVE, ENDED }

  private final CallServices services;
  private final CallChannel channel;
  private final SerialExecutor actor;
  private final Direction direction;
  private final String remoteNumber;
  private final String callerName;
  private final Instant startedAt;
  private final CompletableFuture<EndReason> ended = new CompletableFuture<>();
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
   * The other side's hang-up (Meta's terminate), set at once by the thread that brought it: a set-up step
   * in progress holds the call's executor, so the set-up looks here before each step that tells the other
   * side anything (no accept ever follows it). First one wins; a second is harmless.
   */
  private volatile RemoteEnd remoteEnd;
  /** On the call's executor only: the set-up task has run, so a queued hang-up task must end the call. */
  private boolean begun;
  private boolean recorded;
  /** The other side knows of the call (it sent the offer, or our dial reached it): an end we make is told to it. */
  private boolean remoteKnows;
  private boolean mediaUp;
  /** The accept went out to the other side (its reply may not have come back). */
  private boolean acceptSent;
  private CallBridge bridge;
  private MediaSession media;
  private String localSdp;
  private CompletableFuture<Void> prepared;
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> acceptAnyway;

  ActiveCall(CallServices services, CallChannel channel, CallId id, String remoteNumber, String callerName,
      Instant startedAt) {
    this.services = services;
    this.channel = channel;
    this.actor = new SerialExecutor(services.executor());
    this.id = id;
    this.direction = channel instanceof CallChannel.Outgoing ? Direction.OUTBOUND : Direction.INBOUND;
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

  /** Completes with the end reason once the call has ended and its end has been published. */
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
    return new CallView(id.value(), channel.name(), direction.name(), state.name(), inbound ? remoteNumber : null,
        inbound ? null : remoteNumber, callerName, services.settings().codec().name().toLowerCase(), startedAt,
        accepted, durationMs);
  }

  // ---- incoming

  /** Answers a call the other side made with this SDP offer; {@code refusal} ends it at once (admission said no). */
  void answer(String offer, EndReason refusal) {
    CallChannel.Incoming incoming = (CallChannel.Incoming) channel;
    actor.execute(() -> {
      begun = true;
      record();
      remoteKnows = true;
      channel.created(id);
      if (endIfRemoteEnded()) {
        return;
      }
      try {
        if (!setUpMedia(offer, refusal) || endIfRemoteEnded()) {
          return;
        }
        localSdp = media.localSdp();
        onRemote(incoming.answer(id, localSdp, remoteBudget(), this::stillWanted), this::answerTaken);
      } catch (RuntimeException e) {
        if (!endIfRemoteEnded()) { // a step that failed after the other side hung up failed because of it
          fail(e);
        }
      }
    });
  }

  private void answerTaken() {
    Instant now = services.clock().instant();
    if (incoming().provisionalAnswer()) {
      state = State.PRE_ACCEPTED;
      timeline.mark(CallTimeline.PRE_ACCEPT_SENT, now);
      services.events().publish(new CallEvent.PreAccepted(id, channel.name(), now, Duration.between(startedAt, now),
          timeline.events()));
      changed();
      if (mediaUp) {
        accept();
      } else {
        armAcceptWithoutMedia();
      }
    } else {
      timeline.mark(CallTimeline.ANSWER_SENT, now);
      state = State.ANSWERED;
      changed();
      if (mediaUp) {
        startWhenReady();
      }
    }
  }

  /** What is left of the media deadline: an answer from the other side after it is of no use, so no request outlasts it. */
  private Duration remoteBudget() {
    long leftMs = deadline == null ? services.settings().mediaTimeout().toMillis() : deadline.getDelay(TimeUnit.MILLISECONDS);
    return Duration.ofMillis(Math.max(1, leftMs));
  }

  /** Whether the other side's answer still matters (any thread): a retry after the end would reach an ended call. */
  private boolean stillWanted() {
    return state != State.ENDED && remoteEnd == null;
  }

  /**
   * Goes on with {@code then} on the call's executor once the other side has answered a step. Meanwhile the
   * executor stays free, so a hang-up, the media deadline and shutdown end the call (and release it) at
   * once even while the other side takes its time; an answer that comes after the end is ignored, and
   * none is acted on once the other side hung up. A step done at once goes on at once, in order with
   * what follows it.
   */
  private void onRemote(CompletionStage<Void> step, Runnable then) {
    CompletableFuture<Void> future = step.toCompletableFuture();
    if (future.isDone()) {
      proceed(future, then);
    } else {
      future.whenComplete((ok, failure) -> actor.execute(() -> proceed(future, then)));
    }
  }

  private void proceed(CompletableFuture<Void> step, Runnable then) {
    if (state == State.ENDED || endIfRemoteEnded()) {
      return;
    }
    try {
      try {
        step.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
      }
      then.run();
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /**
   * What every incoming call does with the offer: admission, the bridge (pre-warmed while media is set
   * up), the media session answering the offer, RTP pointed at it. False when the call ended on the way.
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
   * The accept, with the answer's SDP: when media connected, or when it has not connected in time (the
   * bridge then starts once it does).
   */
  private void accept() {
    if (acceptSent) { // media connected while the accept is out: its answer starts the agent
      return;
    }
    if (acceptAnyway != null) {
      acceptAnyway.cancel(false);
    }
    if (!awaitPrepared() || endIfRemoteEnded()) {
      return;
    }
    try {
      acceptSent = true;
      onRemote(incoming().accept(id, localSdp, remoteBudget(), this::stillWanted), this::accepted);
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

  /** After a final answer: the agent starts once it is ready (media has connected). */
  private void startWhenReady() {
    if (awaitPrepared()) {
      activate();
    }
  }

  private CallChannel.Incoming incoming() {
    return (CallChannel.Incoming) channel;
  }

  // ---- outgoing

  /** Places the call; {@code placed} completes with the other side's id for it once the dial succeeded. */
  void dial(CompletableFuture<CallId> placed) {
    CallChannel.Outgoing outgoing = (CallChannel.Outgoing) channel;
    actor.execute(() -> {
      begun = true;
      Duration answerTimeout = services.settings().outboundAnswerTimeout();
      armDeadline(answerTimeout, EndReason.ANSWER_TIMEOUT, "no answer within " + answerTimeout.toSeconds() + " s");
      try {
        bridge = services.bridges().create(context(), this);
        prewarm();
        media = services.media().offer(id, bridge.rtpLeg(), this);
        bridge.connectRtp(media.rtpTarget());
        CallId remoteId = outgoing.dial(media.localSdp());
        timeline.mark(CallTimeline.CONNECT_SENT, services.clock().instant());
        services.registry().alias(remoteId, this);
        id = remoteId;
        remoteKnows = true;
        record();
        services.events().publish(new CallEvent.MediaPlaced(id, media.kmsUrl(), timeline.events()));
        state = State.DIALING;
        changed();
        placed.complete(remoteId);
      } catch (RuntimeException e) {
        placed.completeExceptionally(e);
        record();
        fail(e);
      }
    });
  }

  /** The other side answered our offer: apply its SDP answer. */
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

  /** A candidate the other side trickled; it always follows the offer, so the media exists unless set-up failed. */
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

  // ---- ending from outside

  /**
   * The other side hung up (Meta's terminate); {@code problem} (e.g. Meta's 138021: the user's client got
   * no media) goes on the record. Noted at once on the caller's thread, so a set-up step in progress stops
   * at its next step; the call then ends on its executor (a set-up that has not begun yet ends it itself,
   * first thing).
   */
  void remoteEnded(String detail, CallProblem problem) {
    if (remoteEnd == null) {
      remoteEnd = new RemoteEnd(detail, problem);
    }
    if (state == State.SETTING_UP) {
      LOG.info(() -> "call " + id + ": the other side hung up before the call was set up; nothing more goes to it");
    }
    actor.execute(() -> {
      if (begun) {
        endIfRemoteEnded();
      }
    });
  }

  /** Ends the call as the other side's hang-up says, if it has come; true when it had. On the call's executor. */
  private boolean endIfRemoteEnded() {
    RemoteEnd hungUp = remoteEnd;
    if (hungUp == null) {
      return false;
    }
    if (recorded && state != State.ENDED && !hungUp.problem().isEmpty()) {
      services.events().publish(new CallEvent.Problem(id, hungUp.problem(), timeline.events()));
    }
    end(EndReason.REMOTE_TERMINATE, hungUp.detail());
    return true;
  }

  private record RemoteEnd(String detail, CallProblem problem) {}

  void notAnswered(String detail) {
    actor.execute(() -> end(EndReason.NOT_ANSWERED, detail));
  }

  /** Ends the call for this reason (operator hang-up, the softphone's hang-up, shutdown). */
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
        case ACCEPTED, CONNECTING -> activate();
        case ANSWERED -> startWhenReady();
        default -> { } // SETTING_UP: accepted right after the answer; DIALING: once the answer arrives
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
    return channel.tricklesCandidates();
  }

  @Override
  public boolean whatsAppPeer() {
    return channel.whatsAppPeer();
  }

  @Override
  public void localCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
    // on the call's executor: after the answer has gone out
    actor.execute(() -> {
      if (state != State.ENDED) {
        channel.localCandidate(candidate, sdpMid, sdpMLineIndex);
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
      services.events().publish(new CallEvent.FirstBotAudio(id, channel.name(), at, Duration.between(startedAt, at),
          timeline.events()));
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
    return new CallContext(id, channel.name(), remoteNumber, callerName, services.settings().codec());
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
    LOG.info(() -> "call " + id + " connected");
    try {
      bridge.start();
      timeline.mark(CallTimeline.BRIDGE_STARTED, services.clock().instant());
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** The call counts as answered from now: published, and its maximum duration runs. */
  private void answered(Instant at, boolean withMedia) {
    acceptedAt = at;
    services.events().publish(new CallEvent.Accepted(id, channel.name(), direction, at, withMedia,
        Duration.between(startedAt, at), timeline.events()));
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

  /** The transcript so far, so a crash keeps it; the end carries the complete one. */
  private void saveTranscript() {
    if (state == State.ENDED || !recorded) {
      return;
    }
    List<TranscriptEntry> lines = transcript.stream().map(l -> new TranscriptEntry(l.speaker(), l.at(), l.text())).toList();
    services.events().publish(new CallEvent.TranscriptSoFar(id, lines, timeline.events()));
  }

  /** The call exists from here on (for the record, the console and the metrics). */
  private void record() {
    if (recorded) {
      return;
    }
    recorded = true;
    services.events().publish(new CallEvent.Started(id, channel.name(), direction, remoteNumber, callerName,
        services.settings().codec().name().toLowerCase(), startedAt));
  }

  /** Publishes the new state; the channel hears it too. */
  private void changed() {
    services.events().publish(new CallEvent.StateChanged(id, state.name()));
    channel.stateChanged(state.name());
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

  /** How a failed step ends the call: media's failures, the other side's (as its channel explains them), the rest. */
  private void fail(RuntimeException e) {
    if (e instanceof MediaException media) {
      end(media.reason() == MediaException.Reason.KMS_UNAVAILABLE ? EndReason.KMS_UNAVAILABLE : EndReason.MEDIA_SETUP_FAILED,
          media.reason() + ": " + media.getMessage());
      return;
    }
    ChannelFailure remote = e instanceof ChannelFailure f ? f : channel.explain(id, e);
    if (remote != null) {
      if (recorded && !remote.problem().isEmpty()) {
        services.events().publish(new CallEvent.Problem(id, remote.problem(), timeline.events()));
      }
      end(remote.reason(), remote.detail());
    } else {
      LOG.log(Level.SEVERE, "call " + id + " failed", e);
      end(EndReason.INTERNAL_ERROR, e.toString());
    }
  }

  /**
   * The one way out. Runs once; each step is guarded so a failing step never skips the others. Releases
   * first (bridge, media, slot), then tells the other side, then publishes the end.
   */
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
    // released first: a slow other side holds nothing of the call's
    if (reason.endedByUs() && remoteKnows) {
      hangUpRemote(before);
    }
    Instant now = services.clock().instant();
    timeline.mark(CallTimeline.END, now);
    BridgeResult usage = result;
    List<TranscriptEntry> lines = usage.transcript().stream()
        .map(l -> new TranscriptEntry(l.speaker(), l.at(), l.text()))
        .toList();
    services.events().publish(new CallEvent.Ended(id, channel.name(), now, reason, detail,
        new CallUsage(usage.inputTextTokens(), usage.inputAudioTokens(), usage.inputCachedTokens(),
            usage.outputTextTokens(), usage.outputAudioTokens(), usage.estimatedCostUsd()),
        lines, usage.bargeIns(), usage.recordingProblem(), timeline.events()));
    try {
      channel.ended(reason, detail);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "telling the channel of call " + id + " its end failed", e);
    }
    ended.complete(reason);
  }

  /** Before an accept the other side is told {@code reject}; after (also an accept without media), {@code terminate}. */
  private void hangUpRemote(State before) {
    // an accept whose reply we never read (interrupted at shutdown, timed out) may well have accepted the call
    boolean accepted = before == State.ACTIVE || before == State.ACCEPTED || acceptSent || direction == Direction.OUTBOUND;
    try {
      channel.hangUp(id, accepted);
    } catch (ChannelFailure e) {
      LOG.warning(() -> "telling the other side the end of call " + id + " failed: " + e.getMessage());
      if (recorded && !e.problem().isEmpty()) {
        services.events().publish(new CallEvent.Problem(id, e.problem(), timeline.events()));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "telling the other side the end of call " + id + " failed", e);
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
