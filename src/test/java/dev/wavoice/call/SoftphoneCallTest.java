package dev.wavoice.call;

import dev.wavoice.audio.RtpRemote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.bridge.BridgeFactory;
import dev.wavoice.bridge.BridgeListener;
import dev.wavoice.bridge.BridgeResult;
import dev.wavoice.bridge.CallBridge;
import dev.wavoice.bridge.CallContext;
import dev.wavoice.bridge.TranscriptLine;
import dev.wavoice.media.MediaException;
import dev.wavoice.media.MediaGateway;
import dev.wavoice.media.MediaListener;
import dev.wavoice.media.MediaSession;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.WavoiceMetrics;
import dev.wavoice.ops.CallMetrics;
import dev.wavoice.testkit.Await;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The softphone channel in the call layer, with our own media and bridge interfaces played by test
 * implementations (the real ones run in the browser tests): the browser's offer is answered without
 * Meta (no Graph API at all: the Graph client is absent and would fail the call), candidates trickle both
 * ways in the right order, the bridge starts when media connects, and every end reaches the browser and
 * the record.
 */
class SoftphoneCallTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String OFFER = "v=0\r\n(a browser's offer)\r\n";

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Records records = new Records();
  private final Media media = new Media();
  private final Bridges bridges = new Bridges();
  private final Metrics metrics = new Metrics();
  private final Browser browser = new Browser();
  private final List<LiveCallEvents.LiveEvent> liveEvents = new CopyOnWriteArrayList<>();
  private CallServices services;

  @BeforeEach
  void setUp() {
    LiveCallEvents live = new LiveCallEvents();
    live.subscribe(this, (id, e) -> liveEvents.add(e));
    CallRecordWriter writer = new CallRecordWriter(records);
    CallMetrics callMetrics = new CallMetrics(metrics);
    // the application's observers, in their order
    CallEventPublisher events = e -> {
      switch (e) {
        case CallEvent.Started s -> writer.started(s);
        case CallEvent.MediaPlaced m -> writer.mediaPlaced(m);
        case CallEvent.PreAccepted p -> {
          writer.preAccepted(p);
          callMetrics.preAccepted(p);
        }
        case CallEvent.Accepted a -> {
          writer.accepted(a);
          callMetrics.accepted(a);
        }
        case CallEvent.FirstBotAudio f -> {
          writer.firstBotAudio(f);
          callMetrics.firstBotAudio(f);
        }
        case CallEvent.TranscriptSoFar t -> writer.transcriptSoFar(t);
        case CallEvent.Problem p -> writer.problem(p);
        case CallEvent.Ended end -> {
          writer.ended(end);
          callMetrics.ended(end);
          live.ended(end);
        }
        case CallEvent.StateChanged s -> live.stateChanged(s);
        case CallEvent.TranscriptLineHeard t -> live.transcriptLine(t);
        case CallEvent.MediaConnected m -> { }
      }
    };
    CallSettings settings = new CallSettings(5, Duration.ofSeconds(3), Duration.ZERO, Duration.ZERO, Duration.ZERO,
        Duration.ofSeconds(3), Duration.ofSeconds(3),
        Set.of(), Optional.empty(), AudioCodec.PCMU);
    services = new CallServices(media, bridges, new CallRegistry(), settings, events, Clock.systemUTC(), pool, scheduler);
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    scheduler.shutdownNow();
  }

  private ActiveCall softphoneCall() {
    CallId id = new CallId("softphone-test-" + System.nanoTime());
    ActiveCall call = new ActiveCall(services, new SoftphoneChannel(browser), id, null, null, Instant.now());
    services.registry().tryAdmit(id, call, 5);
    return call;
  }

  @Test
  void answersTheBrowserTricklesBothWaysAndStartsTheBridgeWhenMediaConnects() throws Exception {
    media.holdAnswer = new CountDownLatch(1);
    ActiveCall call = softphoneCall();
    call.answer(OFFER, null);
    // the browser trickles while Kurento is still gathering: the candidate waits for the media
    call.remoteCandidate("candidate:1 1 udp 2122194687 127.0.0.1 40000 typ host", "0", 0);
    Await.until(WAIT, "the media answer to be asked for", () -> media.session != null);
    assertThat(media.session.remoteCandidates).isEmpty();
    media.session.listener.localCandidate("candidate:1 1 UDP 2015363327 127.0.0.1 47106 typ host", "0", 0);
    media.holdAnswer.countDown();

    Await.until(WAIT, "the trickled candidate to reach Kurento",
        () -> media.session.remoteCandidates.contains("candidate:1 1 udp 2122194687 127.0.0.1 40000 typ host/0/0"));
    assertThat(media.offers).containsExactly(OFFER);
    assertThat(media.session.listener.tricklesCandidates()).isTrue();
    Await.until(WAIT, "the browser to hear the answer and Kurento's candidate", () -> browser.messages.size() >= 4);
    assertThat(browser.messages).startsWith("created " + call.id().value(), "answer " + Media.ANSWER, "state ANSWERED",
        "candidate candidate:1 1 UDP 2015363327 127.0.0.1 47106 typ host/0/0");
    assertThat(bridges.bridge.started.get()).isZero();
    assertThat(bridges.context.channel()).isEqualTo("softphone");
    assertThat(bridges.context.callerWaId()).isNull();

    media.session.listener.mediaConnected();
    Await.until(WAIT, "the bridge to start", () -> bridges.bridge.started.get() == 1);
    Await.until(WAIT, "the browser to hear ACTIVE", () -> browser.messages.contains("state ACTIVE"));
    assertThat(call.view().state()).isEqualTo("ACTIVE");
    assertThat(call.view().channel()).isEqualTo("softphone");

    call.firstBotAudio(Instant.now());
    Await.until(WAIT, "the first bot audio in the record", () -> records.byId.get(call.id().value()).firstBotAudioAt() != null);
    TranscriptLine line = new TranscriptLine(TranscriptLine.BOT, Instant.now(), "Hello from the agent.");
    call.transcriptLine(line);
    assertThat(call.transcript()).containsExactly(line);

    bridges.bridge.recordingProblem = "the recording failed: java.io.IOException: No space left on device";
    call.hangUp(EndReason.REMOTE_TERMINATE, "the softphone hung up");
    assertThat(call.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.REMOTE_TERMINATE);
    assertThat(browser.messages).last().isEqualTo("ended REMOTE_TERMINATE the softphone hung up");
    assertThat(media.session.closed.get()).isEqualTo(1);
    assertThat(media.session.remoteAnswer).as("a softphone call takes no remote answer").isNull();
    assertThat(bridges.bridge.closed.get()).isEqualTo(1);
    CallRecord record = records.byId.get(call.id().value());
    assertThat(record.channel()).isEqualTo("softphone");
    assertThat(record.outcome()).isEqualTo(CallOutcome.COMPLETED);
    assertThat(record.acceptedAt()).isNotNull();
    assertThat(record.transcript()).extracting(TranscriptEntry::text).containsExactly("Hello from the agent.");
    // a recording that failed is noted on the record; the call ended as it would have anyway
    assertThat(record.errors()).containsExactly("recording: the recording failed: java.io.IOException: No space left on device");
    assertThat(metrics.ended).containsExactly("COMPLETED/REMOTE_TERMINATE");
    assertThat(metrics.stages).as("set-up stages (they count from Meta's webhook)").isEmpty();
    assertThat(services.registry().count()).isZero();
    assertThat(liveEvents).extracting(LiveCallEvents.LiveEvent::kind).contains("state", "transcript");
  }

  @Test
  void withoutKurentoTheCallEndsAndTheBrowserIsToldWhy() throws Exception {
    media.available = false;
    ActiveCall call = softphoneCall();
    call.answer(OFFER, null);

    assertThat(call.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.KMS_UNAVAILABLE);
    assertThat(browser.messages).containsExactly("created " + call.id().value(),
        "ended KMS_UNAVAILABLE no Kurento Media Server is connected");
    assertThat(media.offers).isEmpty();
    assertThat(bridges.context).isNull();
    assertThat(records.byId.get(call.id().value()).endReason()).isEqualTo(EndReason.KMS_UNAVAILABLE);
  }

  @Test
  void anOfferKurentoCannotUseEndsTheCallWithTheReason() throws Exception {
    media.failure = new MediaException(MediaException.Reason.BAD_SDP, "the offer has no audio section");
    ActiveCall call = softphoneCall();
    call.answer(OFFER, null);

    assertThat(call.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.MEDIA_SETUP_FAILED);
    assertThat(browser.messages).last().isEqualTo("ended MEDIA_SETUP_FAILED BAD_SDP: the offer has no audio section");
    assertThat(bridges.bridge.closed.get()).isEqualTo(1);
    // a candidate after the failure goes nowhere and breaks nothing
    call.remoteCandidate("candidate:1 1 udp 1 127.0.0.1 1 typ host", "0", 0);
  }

  @Test
  void aRefusedCallIsRecordedAndTheBrowserIsTold() throws Exception {
    ActiveCall call = softphoneCall();
    call.answer(OFFER, EndReason.OVER_CAPACITY);

    assertThat(call.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.OVER_CAPACITY);
    assertThat(browser.messages).last().isEqualTo("ended OVER_CAPACITY refused by admission policy");
    assertThat(records.byId.get(call.id().value()).outcome()).isEqualTo(CallOutcome.REJECTED);
  }

  @Test
  void mediaThatNeverConnectsTimesOut() throws Exception {
    ActiveCall call = softphoneCall();
    call.answer(OFFER, null);

    assertThat(call.ended().get(10, TimeUnit.SECONDS)).isEqualTo(EndReason.MEDIA_TIMEOUT);
    assertThat(bridges.bridge.started.get()).isZero();
    assertThat(browser.messages).last().isEqualTo("ended MEDIA_TIMEOUT media did not connect in time");
  }

  // ---- our interfaces, played by the test

  /** What the browser was told, one line per message. */
  private static final class Browser implements SoftphonePeer {
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void created(CallId callId) {
      messages.add("created " + callId.value());
    }

    @Override
    public void answer(String sdp) {
      messages.add("answer " + sdp);
    }

    @Override
    public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {
      messages.add("candidate " + candidate + "/" + sdpMid + "/" + sdpMLineIndex);
    }

    @Override
    public void state(String state) {
      messages.add("state " + state);
    }

    @Override
    public void ended(EndReason reason, String detail) {
      messages.add("ended " + reason + " " + detail);
    }
  }

  private static final class Media implements MediaGateway {
    static final String ANSWER = "v=0\r\n(Kurento's answer with every candidate)\r\n";
    volatile boolean available = true;
    volatile MediaException failure;
    volatile CountDownLatch holdAnswer;
    volatile RecordingMediaSession session;
    final List<String> offers = new CopyOnWriteArrayList<>();

    @Override
    public MediaSession answer(CallId callId, String remoteOffer, RtpLeg rtpLeg, MediaListener listener) {
      offers.add(remoteOffer);
      if (failure != null) {
        throw failure;
      }
      session = new RecordingMediaSession(callId, ANSWER, listener);
      if (holdAnswer != null) {
        try {
          holdAnswer.await(5, TimeUnit.SECONDS); // Kurento gathering
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return session;
    }

    @Override
    public MediaSession offer(CallId callId, RtpLeg rtpLeg, MediaListener listener) {
      throw new AssertionError("a softphone call never makes an offer");
    }

    @Override
    public boolean available() {
      return available;
    }
  }

  private static final class Bridges implements BridgeFactory {
    volatile CallContext context;
    final Bridge bridge = new Bridge();

    @Override
    public CallBridge create(CallContext context, BridgeListener listener) {
      this.context = context;
      return bridge;
    }
  }

  private static final class Bridge implements CallBridge {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    volatile String recordingProblem;

    @Override
    public RtpLeg rtpLeg() {
      return new RtpLeg(new InetSocketAddress("127.0.0.1", 31000), AudioCodec.PCMU, 1234);
    }

    @Override
    public CompletionStage<Void> prepare() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void connectRtp(RtpRemote kurento) {}

    @Override
    public void start() {
      started.incrementAndGet();
    }

    @Override
    public long callerPackets() {
      return 0;
    }

    @Override
    public BridgeResult close() {
      closed.incrementAndGet();
      return new BridgeResult(1, 2, 0, 3, 4, 0.01, 0,
          List.of(new TranscriptLine(TranscriptLine.BOT, Instant.now(), "Hello from the agent.")), recordingProblem);
    }
  }

  /** The record store in memory: the entity's own methods apply every change. */
  private static final class Records extends CallRecordStore {
    final Map<String, CallRecord> byId = new ConcurrentHashMap<>();

    @Override
    public void insert(CallRecord record) {
      byId.put(record.callId(), record);
    }

    @Override
    public void update(CallId callId, Consumer<CallRecord> change) {
      CallRecord record = byId.get(callId.value());
      if (record != null) {
        synchronized (record) {
          change.accept(record);
        }
      }
    }

    @Override
    public Optional<CallRecord> find(CallId callId) {
      return Optional.ofNullable(byId.get(callId.value()));
    }
  }

  private static final class Metrics extends WavoiceMetrics {
    final List<String> ended = new CopyOnWriteArrayList<>();
    final List<String> stages = new CopyOnWriteArrayList<>();

    @Override
    public void gauge(String name, String description, Supplier<? extends Number> value) {}

    @Override
    public void callEnded(String outcome, String reason) {
      ended.add(outcome + "/" + reason);
    }

    @Override
    public void setupLatency(String stage, Duration sinceWebhook) {
      stages.add(stage);
    }

    @Override
    public void count(String name, String description, long n, Tag... tags) {}
  }
}
