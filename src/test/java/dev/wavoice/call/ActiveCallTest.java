package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.bridge.BridgeFactory;
import dev.wavoice.bridge.BridgeListener;
import dev.wavoice.bridge.BridgeResult;
import dev.wavoice.bridge.CallBridge;
import dev.wavoice.bridge.CallContext;
import dev.wavoice.media.MediaException;
import dev.wavoice.media.MediaFailure;
import dev.wavoice.media.MediaGateway;
import dev.wavoice.media.MediaListener;
import dev.wavoice.media.MediaSession;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.audio.RtpRemote;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The call core's state machine on its own: the channel, media, the bridge and the event observers are
 * played by the test, time moves only when the test moves it, and every step runs on the test's thread.
 * Webhook orders, deadlines, faults, and the one end path: it releases everything exactly once and tells
 * the other side {@code reject} before an accept, {@code terminate} after, only when wavoice ended the call.
 */
class ActiveCallTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final String OFFER = "v=0\r\n(the caller's offer)\r\n";
  private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration ACCEPT_WITHOUT_MEDIA = Duration.ofSeconds(5);
  private static final Duration MAX_DURATION = Duration.ofSeconds(600);
  private static final Duration INACTIVITY = Duration.ofSeconds(30);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

  private final ManualTimers timers = new ManualTimers(T0);
  private final List<CallEvent> events = new ArrayList<>();
  private final Media media = new Media();
  private final Bridges bridges = new Bridges();
  private final CallRegistry registry = new CallRegistry();
  private final Channel channel = new Channel();
  private CallServices services;

  @BeforeEach
  void setUp() {
    CallSettings settings = new CallSettings(5, MEDIA_TIMEOUT, ACCEPT_WITHOUT_MEDIA, MAX_DURATION, INACTIVITY,
        ANSWER_TIMEOUT, Duration.ofSeconds(3), Set.of(), Optional.empty(), AudioCodec.PCMU);
    services = new CallServices(media, bridges, registry, settings, events::add, timers.clock(), Runnable::run, timers);
  }

  private ActiveCall incoming() {
    CallId id = new CallId("wacid.core-test");
    ActiveCall call = new ActiveCall(services, channel, id, "15550001111", "Caller", T0);
    assertThat(registry.admit(id, call, 5)).isEqualTo(CallRegistry.Admission.ADMITTED);
    return call;
  }

  // ---- the way through

  @Test
  void anIncomingCallRingsIsAcceptedOnceMediaConnectsAndEndsReleasingEverythingOnce() throws Exception {
    ActiveCall call = incoming();
    call.answer(OFFER, null);
    assertThat(channel.steps).containsExactly("created", "answer " + Media.ANSWER);
    assertThat(state(call)).isEqualTo("PRE_ACCEPTED");

    timers.advance(Duration.ofMillis(800));
    media.listener.mediaConnected();
    assertThat(channel.steps).containsExactly("created", "answer " + Media.ANSWER, "accept " + Media.ANSWER);
    assertThat(state(call)).isEqualTo("ACTIVE");
    assertThat(bridges.bridge.started.get()).isEqualTo(1);
    assertThat(timers.pending()).as("the media deadline and the accept without media are gone; the limits run").isEqualTo(2);

    call.hangUp(EndReason.OPERATOR_HANGUP, "operator hang-up");
    assertThat(call.ended().get()).isEqualTo(EndReason.OPERATOR_HANGUP);
    assertReleasedOnce(call);
    assertThat(channel.steps).endsWith("hangUp terminate", "ended OPERATOR_HANGUP");
    assertThat(kinds()).containsExactly("Started", "MediaPlaced", "PreAccepted", "StateChanged PRE_ACCEPTED", "MediaConnected",
        "Accepted", "StateChanged ACTIVE", "Ended OPERATOR_HANGUP");
    CallEvent.Accepted accepted = only(CallEvent.Accepted.class);
    assertThat(accepted.withMedia()).isTrue();
    assertThat(accepted.sinceStart()).isEqualTo(Duration.ofMillis(800));
    assertThat(only(CallEvent.Ended.class).timeline()).extracting(TimelineEvent::event)
        .contains(CallTimeline.PRE_ACCEPT_SENT, CallTimeline.MEDIA_CONNECTED, CallTimeline.ACCEPT_SENT, CallTimeline.END);
    assertThat(timers.pending()).as("no timer outlives the call").isZero();
  }

  @Test
  void endingTwiceOrMoreEndsOnceWithTheFirstReason() throws Exception {
    ActiveCall call = active();
    call.hangUp(EndReason.OPERATOR_HANGUP, "operator hang-up");
    call.mediaFailed(new MediaFailure(MediaFailure.Kind.ICE_FAILED, "lost"));
    call.endRequested("goodbye");
    timers.advance(MAX_DURATION);

    assertThat(call.ended().get()).isEqualTo(EndReason.OPERATOR_HANGUP);
    assertReleasedOnce(call);
    assertThat(channel.steps.stream().filter(s -> s.startsWith("hangUp"))).containsExactly("hangUp terminate");
  }

  // ---- webhook orders

  @Test
  void aTerminateBeforeTheConnectStartsNothingAndTellsMetaNothing() throws Exception {
    ActiveCall call = incoming();
    call.remoteEnded("WhatsApp terminate arrived before the connect", new CallProblem(List.of(), null));
    call.answer(OFFER, null);

    assertThat(call.ended().get()).isEqualTo(EndReason.REMOTE_TERMINATE);
    assertThat(media.offers).isEmpty();
    assertThat(bridges.created.get()).isZero();
    assertThat(channel.steps).containsExactly("created", "ended REMOTE_TERMINATE");
    assertThat(registry.count()).isZero();
    assertThat(kinds()).containsExactly("Started", "Ended REMOTE_TERMINATE");
  }

  @Test
  void aTerminateWhileMediaIsSetUpStopsBeforeThePreAccept() throws Exception {
    ActiveCall call = incoming();
    // Meta's terminate is noted by the webhook's thread while Kurento is still answering the offer
    media.whileAnswering = () -> call.remoteEnded("WhatsApp terminate", new CallProblem(List.of(), null));
    call.answer(OFFER, null);

    assertThat(call.ended().get()).isEqualTo(EndReason.REMOTE_TERMINATE);
    assertThat(channel.steps).containsExactly("created", "ended REMOTE_TERMINATE");
    assertReleasedOnce(call);
  }

  @Test
  void aTerminateWhileMetaHoldsThePreAcceptEndsAtOnceAndNoAcceptFollows() throws Exception {
    channel.holdAnswer = new CompletableFuture<>();
    ActiveCall call = incoming();
    call.answer(OFFER, null);
    media.listener.mediaConnected();
    assertThat(call.ended()).isNotDone();

    call.remoteEnded("WhatsApp terminate", new CallProblem(List.of("meta terminate 138021"),
        new CallProblem.RemoteError(138021, null, "no media")));
    assertThat(call.ended().get()).isEqualTo(EndReason.REMOTE_TERMINATE);
    assertReleasedOnce(call);
    channel.holdAnswer.complete(null); // Meta's late answer to the pre_accept
    call.remoteEnded("WhatsApp terminate, again", new CallProblem(List.of("meta terminate 138021"), null));

    assertThat(channel.steps).containsExactly("created", "answer " + Media.ANSWER, "ended REMOTE_TERMINATE");
    assertThat(only(CallEvent.Problem.class).problem().remoteError().code()).isEqualTo(138021);
    assertThat(only(CallEvent.Ended.class).detail()).isEqualTo("WhatsApp terminate");
    assertThat(bridges.bridge.started.get()).isZero();
  }

  // ---- deadlines

  @Test
  void withoutMediaTheAcceptGoesAnywayAndTheAgentStartsWhenMediaConnects() throws Exception {
    ActiveCall call = incoming();
    call.answer(OFFER, null);
    timers.advance(ACCEPT_WITHOUT_MEDIA);

    assertThat(channel.steps).endsWith("accept " + Media.ANSWER);
    assertThat(state(call)).isEqualTo("ACCEPTED");
    assertThat(only(CallEvent.Accepted.class).withMedia()).isFalse();
    assertThat(bridges.bridge.started.get()).isZero();

    media.listener.mediaConnected();
    assertThat(state(call)).isEqualTo("ACTIVE");
    assertThat(bridges.bridge.started.get()).isEqualTo(1);
    assertThat(channel.steps.stream().filter(s -> s.startsWith("accept"))).hasSize(1);
  }

  @Test
  void mediaThatNeverConnectsEndsTheCallAtItsDeadlineEvenWhileMetaHoldsTheAccept() throws Exception {
    channel.holdAccept = new CompletableFuture<>(); // Meta holds the accept too: the deadline still ends the call
    ActiveCall call = incoming();
    call.answer(OFFER, null);
    timers.advance(ACCEPT_WITHOUT_MEDIA.minusMillis(1));
    assertThat(channel.steps).doesNotContain("accept " + Media.ANSWER);
    timers.advance(MEDIA_TIMEOUT);

    assertThat(call.ended().get()).isEqualTo(EndReason.MEDIA_TIMEOUT);
    // the accept went out (without media): Meta may have taken it, so the end is a terminate
    assertThat(channel.steps).endsWith("accept " + Media.ANSWER, "hangUp terminate", "ended MEDIA_TIMEOUT");
    assertReleasedOnce(call);
  }

  @Test
  void aCallEndedBeforeTheAcceptIsRejected() throws Exception {
    channel.holdAnswer = new CompletableFuture<>(); // Meta never answers the pre_accept
    ActiveCall call = incoming();
    call.answer(OFFER, null);
    timers.advance(MEDIA_TIMEOUT);

    assertThat(call.ended().get()).isEqualTo(EndReason.MEDIA_TIMEOUT);
    assertThat(channel.steps).endsWith("hangUp reject", "ended MEDIA_TIMEOUT");
    assertThat(channel.budgets).containsExactly(MEDIA_TIMEOUT); // the pre_accept had the whole deadline, no more
    assertReleasedOnce(call);
  }

  @Test
  void theMaximumDurationEndsAnAnsweredCall() throws Exception {
    ActiveCall call = active();
    bridges.bridge.keepTalking = true;
    timers.advance(MAX_DURATION.minusSeconds(1));
    assertThat(call.ended()).isNotDone();
    timers.advance(Duration.ofSeconds(1));

    assertThat(call.ended().get()).isEqualTo(EndReason.MAX_DURATION);
    assertThat(channel.steps).endsWith("hangUp terminate", "ended MAX_DURATION");
    assertReleasedOnce(call);
  }

  @Test
  void aCallerWhoseRtpStopsIsGone() throws Exception {
    ActiveCall call = active();
    bridges.bridge.keepTalking = true;
    timers.advance(INACTIVITY.multipliedBy(2));
    assertThat(call.ended()).as("RTP flows: the call goes on").isNotDone();

    bridges.bridge.keepTalking = false;
    timers.advance(INACTIVITY.plusSeconds(1));
    assertThat(call.ended().get()).isEqualTo(EndReason.MEDIA_INACTIVE);
    assertThat(channel.steps).endsWith("hangUp terminate", "ended MEDIA_INACTIVE");
    assertReleasedOnce(call);
  }

  // ---- faults

  @Test
  void anOfferKurentoCannotUseEndsTheCallAndMetaHearsReject() throws Exception {
    media.failure = new MediaException(MediaException.Reason.BAD_SDP, "no audio section");
    ActiveCall call = incoming();
    call.answer(OFFER, null);

    assertThat(call.ended().get()).isEqualTo(EndReason.MEDIA_SETUP_FAILED);
    assertThat(only(CallEvent.Ended.class).detail()).isEqualTo("BAD_SDP: no audio section");
    assertThat(channel.steps).containsExactly("created", "hangUp reject", "ended MEDIA_SETUP_FAILED");
    assertThat(bridges.bridge.closed.get()).isEqualTo(1);
    assertThat(registry.count()).isZero();
  }

  @Test
  void aRefusedCallIsRecordedAndRejectedWithoutMedia() throws Exception {
    ActiveCall call = incoming();
    call.answer(OFFER, EndReason.OVER_CAPACITY);

    assertThat(call.ended().get()).isEqualTo(EndReason.OVER_CAPACITY);
    assertThat(media.offers).isEmpty();
    assertThat(channel.steps).containsExactly("created", "hangUp reject", "ended OVER_CAPACITY");
    assertThat(kinds()).containsExactly("Started", "Ended OVER_CAPACITY");
  }

  @Test
  void aBridgeThatCannotStartEndsTheCall() throws Exception {
    bridges.bridge.startFailure = new IllegalStateException("the audio plane is gone");
    ActiveCall call = incoming();
    call.answer(OFFER, null);
    media.listener.mediaConnected();

    assertThat(call.ended().get()).isEqualTo(EndReason.INTERNAL_ERROR);
    assertThat(channel.steps).endsWith("hangUp terminate", "ended INTERNAL_ERROR");
    assertReleasedOnce(call);
  }

  @Test
  void openAiFailingBeforeTheAnswerRefusesTheCallAndAfterItFailsIt() throws Exception {
    bridges.bridge.prepared = CompletableFuture.failedFuture(new IllegalStateException("model not available"));
    ActiveCall refused = incoming();
    refused.answer(OFFER, null);
    assertThat(refused.ended().get()).isEqualTo(EndReason.OPENAI_REFUSED);
    assertThat(channel.steps).contains("hangUp reject");

    setUpAgain();
    ActiveCall call = active();
    call.failed("the OpenAI session dropped");
    assertThat(call.ended().get()).isEqualTo(EndReason.OPENAI_FAILED);
    assertThat(channel.steps).contains("hangUp terminate");
  }

  @Test
  void metaRefusingTheAcceptEndsTheCallWithItsErrorOnTheRecord() throws Exception {
    channel.acceptFailure = new ChannelFailure(EndReason.GRAPH_ERROR, "SERVER: Meta is down",
        new CallProblem(List.of("graph accept SERVER 500: Meta is down"), new CallProblem.RemoteError(2, null, "down")), null);
    ActiveCall call = incoming();
    call.answer(OFFER, null);
    media.listener.mediaConnected();

    assertThat(call.ended().get()).isEqualTo(EndReason.GRAPH_ERROR);
    assertThat(only(CallEvent.Problem.class).problem().errors()).containsExactly("graph accept SERVER 500: Meta is down");
    // the accept went out: Meta may have taken it before failing
    assertThat(channel.steps).endsWith("hangUp terminate", "ended GRAPH_ERROR");
    assertThat(bridges.bridge.started.get()).isZero();
    assertReleasedOnce(call);
  }

  @Test
  void aFailureTheChannelExplainsEndsTheCallAsItSays() throws Exception {
    channel.holdAnswer = CompletableFuture.failedFuture(new IllegalArgumentException("138018 not allowed"));
    ActiveCall call = incoming();
    call.answer(OFFER, null);

    assertThat(call.ended().get()).isEqualTo(EndReason.GRAPH_ERROR);
    assertThat(only(CallEvent.Ended.class).detail()).isEqualTo("explained: 138018 not allowed");
    assertThat(channel.steps).endsWith("hangUp reject", "ended GRAPH_ERROR");
  }

  @Test
  void aHangUpMetaRefusesIsOnTheRecordAndTheCallIsStillReleased() throws Exception {
    channel.hangUpFailure = new ChannelFailure(EndReason.GRAPH_ERROR, "telling Meta the end failed",
        CallProblem.of("graph terminate: timed out"), null);
    ActiveCall call = active();
    call.endRequested("the agent said goodbye");

    assertThat(call.ended().get()).isEqualTo(EndReason.AGENT_ENDED);
    assertReleasedOnce(call);
    assertThat(only(CallEvent.Problem.class).problem().errors()).containsExactly("graph terminate: timed out");
    assertThat(kinds()).last().isEqualTo("Ended AGENT_ENDED");
  }

  @Test
  void anEndTheOtherSideMadeIsNotToldBack() throws Exception {
    ActiveCall call = active();
    call.remoteEnded("WhatsApp terminate", new CallProblem(List.of(), null));

    assertThat(call.ended().get()).isEqualTo(EndReason.REMOTE_TERMINATE);
    assertThat(channel.steps).noneMatch(s -> s.startsWith("hangUp"));
    assertReleasedOnce(call);
  }

  // ---- outgoing

  @Test
  void anOutgoingCallIsDialledAnsweredAndTerminated() throws Exception {
    Dialler dialler = new Dialler();
    ActiveCall call = outgoing(dialler);
    CompletableFuture<CallId> placed = new CompletableFuture<>();
    call.dial(placed);

    assertThat(placed.get()).isEqualTo(new CallId("wacid.placed"));
    assertThat(call.id()).isEqualTo(new CallId("wacid.placed"));
    assertThat(registry.find(new CallId("wacid.placed"))).contains(call);
    assertThat(state(call)).isEqualTo("DIALING");
    assertThat(dialler.steps).containsExactly("dial " + Media.OFFER_SDP);

    call.remoteAnswer("v=0\r\n(the user's answer)\r\n");
    assertThat(state(call)).isEqualTo("CONNECTING");
    assertThat(media.session.remoteAnswer).isEqualTo("v=0\r\n(the user's answer)\r\n");
    media.listener.mediaConnected();
    assertThat(state(call)).isEqualTo("ACTIVE");
    assertThat(bridges.bridge.started.get()).isEqualTo(1);

    call.endRequested("goodbye");
    assertThat(call.ended().get()).isEqualTo(EndReason.AGENT_ENDED);
    assertThat(dialler.steps).endsWith("hangUp terminate");
    assertReleasedOnce(call);
    assertThat(registry.find(new CallId("wacid.placed"))).isEmpty();
    assertThat(only(CallEvent.Started.class).direction()).isEqualTo(ActiveCall.Direction.OUTBOUND);
  }

  @Test
  void anAnswerDeliveredBeforeMetasIdIsKnownWaitsForItWithoutHoldingAThread() throws Exception {
    Dialler dialler = new Dialler();
    ActiveCall call = outgoing(dialler);
    CompletableFuture<Optional<ActiveCall>> early = registry.whenKnown(new CallId("wacid.placed"), Duration.ofSeconds(10));
    CompletableFuture<Optional<ActiveCall>> never = registry.whenKnown(new CallId("wacid.someone-else"), Duration.ofMillis(1));
    assertThat(early).as("returned at once, not yet known").isNotDone();

    call.dial(new CompletableFuture<>());
    assertThat(early.getNow(null)).as("known once the dial told us Meta's id").contains(call);
    assertThat(registry.whenKnown(new CallId("wacid.placed"), Duration.ofSeconds(10)).getNow(null)).contains(call);
    assertThat(never.get(5, TimeUnit.SECONDS)).as("an id nobody places is given up at its deadline").isEmpty();
  }

  @Test
  void anOutgoingCallNobodyAnswersEndsAtTheAnswerTimeoutWithATerminate() throws Exception {
    Dialler dialler = new Dialler();
    ActiveCall call = outgoing(dialler);
    call.dial(new CompletableFuture<>());
    timers.advance(ANSWER_TIMEOUT);

    assertThat(call.ended().get()).isEqualTo(EndReason.ANSWER_TIMEOUT);
    assertThat(dialler.steps).endsWith("hangUp terminate");
    assertReleasedOnce(call);
  }

  @Test
  void aDialTheOtherSideRefusesFailsThePlacementAndTellsItNothing() throws Exception {
    Dialler dialler = new Dialler();
    dialler.failure = new IllegalStateException("Meta refused the connect");
    ActiveCall call = outgoing(dialler);
    CompletableFuture<CallId> placed = new CompletableFuture<>();
    call.dial(placed);

    assertThat(placed).isCompletedExceptionally();
    try {
      placed.get();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isSameAs(dialler.failure);
    }
    assertThat(call.ended().get()).isEqualTo(EndReason.INTERNAL_ERROR);
    assertThat(dialler.steps).containsExactly("dial " + Media.OFFER_SDP);
    assertReleasedOnce(call);
  }

  // ---- helpers

  /** An incoming call, answered with media and its agent started. */
  private ActiveCall active() {
    ActiveCall call = incoming();
    call.answer(OFFER, null);
    media.listener.mediaConnected();
    assertThat(state(call)).isEqualTo("ACTIVE");
    return call;
  }

  private ActiveCall outgoing(Dialler dialler) {
    CallId local = new CallId("out-core-test");
    ActiveCall call = new ActiveCall(services, dialler, local, "15550002222", null, T0);
    assertThat(registry.tryAdmit(local, call, 5)).isTrue();
    return call;
  }

  /** A second call in the same test: fresh doubles, the same time. */
  private void setUpAgain() {
    events.clear();
    channel.steps.clear();
    bridges.bridge = new Bridge();
  }

  private void assertReleasedOnce(ActiveCall call) {
    assertThat(bridges.bridge.closed.get()).as("bridge closed once").isEqualTo(1);
    assertThat(media.session.closed.get()).as("media released once").isEqualTo(1);
    assertThat(registry.active()).as("the slot is free").doesNotContain(call);
    assertThat(events.stream().filter(e -> e instanceof CallEvent.Ended)).as("one end published").hasSize(1);
    assertThat(events.get(events.size() - 1)).as("the end is the last event").isInstanceOf(CallEvent.Ended.class);
  }

  private static String state(ActiveCall call) {
    return call.view().state();
  }

  private List<String> kinds() {
    return events.stream().map(e -> switch (e) {
      case CallEvent.StateChanged s -> "StateChanged " + s.state();
      case CallEvent.Ended end -> "Ended " + end.reason();
      default -> e.getClass().getSimpleName();
    }).toList();
  }

  private <T extends CallEvent> T only(Class<T> kind) {
    List<T> found = events.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as(kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  // ---- the ports and parts, played by the test

  /** Either side of a WhatsApp call as the core sees it: Meta's peer, no trickling; what it was asked, in order. */
  private abstract static class WhatsAppLike {
    final List<String> steps = new ArrayList<>();

    public String name() {
      return CallOrchestrator.WHATSAPP;
    }

    public boolean tricklesCandidates() {
      return false;
    }

    public boolean whatsAppPeer() {
      return true;
    }

    public void hangUp(CallId id, boolean accepted) {
      steps.add(accepted ? "hangUp terminate" : "hangUp reject");
    }
  }

  /** An incoming channel like WhatsApp's: a provisional answer, then an accept. */
  private static final class Channel extends WhatsAppLike implements CallChannel.Incoming {
    final List<Duration> budgets = new ArrayList<>();
    CompletableFuture<Void> holdAnswer;
    CompletableFuture<Void> holdAccept;
    ChannelFailure acceptFailure;
    ChannelFailure hangUpFailure;

    @Override
    public void created(CallId id) {
      steps.add("created");
    }

    @Override
    public CompletionStage<Void> answer(CallId id, String sdpAnswer, Duration budget, BooleanSupplier stillWanted) {
      steps.add("answer " + sdpAnswer);
      budgets.add(budget);
      return holdAnswer == null ? CompletableFuture.completedFuture(null) : holdAnswer;
    }

    @Override
    public boolean provisionalAnswer() {
      return true;
    }

    @Override
    public CompletionStage<Void> accept(CallId id, String sdpAnswer, Duration budget, BooleanSupplier stillWanted) {
      steps.add("accept " + sdpAnswer);
      if (acceptFailure != null) {
        return CompletableFuture.failedFuture(acceptFailure);
      }
      return holdAccept == null ? CompletableFuture.completedFuture(null) : holdAccept;
    }

    @Override
    public void hangUp(CallId id, boolean accepted) {
      super.hangUp(id, accepted);
      if (hangUpFailure != null) {
        throw hangUpFailure;
      }
    }

    @Override
    public void ended(EndReason reason, String detail) {
      steps.add("ended " + reason);
    }

    @Override
    public ChannelFailure explain(CallId id, RuntimeException failure) {
      return failure instanceof IllegalArgumentException
          ? new ChannelFailure(EndReason.GRAPH_ERROR, "explained: " + failure.getMessage(), CallProblem.of("explained"), failure)
          : null;
    }
  }

  private static final class Dialler extends WhatsAppLike implements CallChannel.Outgoing {
    RuntimeException failure;

    @Override
    public CallId dial(String sdpOffer) {
      steps.add("dial " + sdpOffer);
      if (failure != null) {
        throw failure;
      }
      return new CallId("wacid.placed");
    }
  }

  private static final class Media implements MediaGateway {
    static final String ANSWER = "v=0\r\n(Kurento's answer)\r\n";
    static final String OFFER_SDP = "v=0\r\n(Kurento's offer)\r\n";
    final List<String> offers = new ArrayList<>();
    MediaException failure;
    Runnable whileAnswering;
    MediaListener listener;
    RecordingMediaSession session;

    @Override
    public MediaSession answer(CallId callId, String remoteOffer, RtpLeg rtpLeg, MediaListener listener) {
      offers.add(remoteOffer);
      if (failure != null) {
        throw failure;
      }
      this.listener = listener;
      session = new RecordingMediaSession(callId, ANSWER, listener);
      if (whileAnswering != null) {
        whileAnswering.run();
      }
      return session;
    }

    @Override
    public MediaSession offer(CallId callId, RtpLeg rtpLeg, MediaListener listener) {
      this.listener = listener;
      session = new RecordingMediaSession(callId, OFFER_SDP, listener);
      return session;
    }

    @Override
    public boolean available() {
      return true;
    }
  }

  private final class Bridges implements BridgeFactory {
    final AtomicInteger created = new AtomicInteger();
    Bridge bridge = new Bridge();

    @Override
    public CallBridge create(CallContext context, BridgeListener listener) {
      created.incrementAndGet();
      return bridge;
    }
  }

  /** The bridge: the caller's RTP counter moves on each read while {@link #keepTalking}. */
  private static final class Bridge implements CallBridge {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicLong packets = new AtomicLong();
    CompletableFuture<Void> prepared = CompletableFuture.completedFuture(null);
    RuntimeException startFailure;
    volatile boolean keepTalking;

    @Override
    public RtpLeg rtpLeg() {
      return new RtpLeg(new InetSocketAddress("127.0.0.1", 31000), AudioCodec.PCMU, 1234);
    }

    @Override
    public CompletionStage<Void> prepare() {
      return prepared;
    }

    @Override
    public void connectRtp(RtpRemote kurento) {}

    @Override
    public void start() {
      started.incrementAndGet();
      if (startFailure != null) {
        throw startFailure;
      }
    }

    @Override
    public long callerPackets() {
      return keepTalking ? packets.incrementAndGet() : packets.get();
    }

    @Override
    public BridgeResult close() {
      closed.incrementAndGet();
      return BridgeResult.EMPTY;
    }
  }
}
