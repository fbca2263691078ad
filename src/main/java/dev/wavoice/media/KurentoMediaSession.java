package dev.wavoice.media;

import dev.wavoice.CallId;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.audio.RtpRemote;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kurento.client.CertificateKeyType;
import org.kurento.client.Continuation;
import org.kurento.client.DtlsConnectionState;
import org.kurento.client.DtlsConnectionStateChangeEvent;
import org.kurento.client.ErrorEvent;
import org.kurento.client.Event;
import org.kurento.client.EventListener;
import org.kurento.client.IceComponentState;
import org.kurento.client.IceCandidate;
import org.kurento.client.IceCandidateFoundEvent;
import org.kurento.client.IceComponentStateChangedEvent;
import org.kurento.client.IceGatheringDoneEvent;
import org.kurento.client.KurentoClient;
import org.kurento.client.ListenerSubscription;
import org.kurento.client.MediaFlowInStateChangedEvent;
import org.kurento.client.MediaFlowOutStateChangedEvent;
import org.kurento.client.MediaFlowState;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaType;
import org.kurento.client.NewCandidatePairSelectedEvent;
import org.kurento.client.OfferOptions;
import org.kurento.client.RtpEndpoint;
import org.kurento.client.Transaction;
import org.kurento.client.internal.server.KurentoServerException;
import org.kurento.client.WebRtcEndpoint;

/**
 * One call's media on one Kurento Media Server: a pipeline tagged with the call id and this wavoice's
 * instance tag, a WebRtcEndpoint facing WhatsApp and an RtpEndpoint facing the audio plane, connected
 * both ways for audio. It is registered with its KMS before anything is created there, so leak
 * reconciliation never takes a pipeline that is still being built. {@link #close()} releases the
 * pipeline (and with it both endpoints); it is idempotent and never throws.
 */
final class KurentoMediaSession implements MediaSession {

  private static final Logger LOG = Logger.getLogger(KurentoMediaSession.class.getName());
  private static final int SDP_PARSE_ERROR = 40201;
  private static final int SDP_PROCESS_OFFER_ERROR = 40205;
  private static final int SDP_PROCESS_ANSWER_ERROR = 40206;
  /** kurento-client's own bound on a synchronous request ({@code kurento.client.requestTimeout}). */
  private static final long REQUEST_TIMEOUT_MS = 10_000;

  private enum Role { INCOMING, OUTGOING }

  private final CallId callId;
  private final KmsConnection kms;
  private final KurentoClient client;
  private final KurentoSettings settings;
  private final MediaListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean connectedReported = new AtomicBoolean();
  private final AtomicBoolean failureReported = new AtomicBoolean();
  private final CompletableFuture<Void> gathered = new CompletableFuture<>();

  private final Role role;
  private volatile MediaPipeline pipeline;
  private volatile WebRtcEndpoint webRtc;
  private volatile RtpEndpoint rtp;
  private volatile String localSdp;
  private volatile String kmsOffer;
  private volatile boolean answerApplied;
  private volatile RtpRemote rtpTarget;
  private volatile boolean iceConnected;
  private volatile boolean dtlsConnected;

  private KurentoMediaSession(CallId callId, Role role, KmsConnection kms, KurentoClient client, KurentoSettings settings,
      MediaListener listener) {
    this.callId = callId;
    this.role = role;
    this.kms = kms;
    this.client = client;
    this.settings = settings;
    this.listener = listener;
  }

  /** An incoming call: builds the pipeline and answers {@code remoteOffer}; on failure releases everything and throws. */
  static KurentoMediaSession answer(KmsConnection kms, KurentoSettings settings, CallId callId, String remoteOffer,
      RtpLeg rtpLeg, MediaListener listener) {
    WhatsAppSdp.checkOffer(remoteOffer);
    boolean invert = settings.invertIceLite() && WhatsAppSdp.isIceLite(remoteOffer);
    KurentoMediaSession session = open(kms, settings, callId, Role.INCOMING, listener);
    try {
      session.build(rtpLeg);
      if (invert) {
        session.answerByInvertedRoles(remoteOffer);
      } else {
        session.answerPlainly(remoteOffer);
      }
      return session;
    } catch (RuntimeException e) {
      session.close();
      throw asMediaException("answering the offer of call " + callId, e);
    }
  }

  /** An outgoing call: builds the pipeline and makes the offer for WhatsApp; the callee's answer comes later. */
  static KurentoMediaSession offer(KmsConnection kms, KurentoSettings settings, CallId callId, RtpLeg rtpLeg,
      MediaListener listener) {
    KurentoMediaSession session = open(kms, settings, callId, Role.OUTGOING, listener);
    try {
      session.build(rtpLeg);
      session.kmsOffer = session.kmsOfferWithCandidates();
      session.localSdp = WhatsAppSdp.offerForWhatsApp(session.kmsOffer);
      return session;
    } catch (RuntimeException e) {
      session.close();
      throw asMediaException("making the offer of call " + callId, e);
    }
  }

  private static KurentoMediaSession open(KmsConnection kms, KurentoSettings settings, CallId callId, Role role, MediaListener listener) {
    KurentoClient client = kms.client()
        .orElseThrow(() -> new MediaException(MediaException.Reason.KMS_UNAVAILABLE, "Kurento at " + kms.displayUrl() + " is not connected"));
    KurentoMediaSession session = new KurentoMediaSession(callId, role, kms, client, settings, listener);
    kms.register(session);
    return session;
  }

  // ---- building

  /**
   * Creates the pipeline, then tags it and builds both endpoints connected both ways for audio in one
   * transaction, subscribes to the events and negotiates the RTP leg. One request at a time on purpose:
   * Kurento's socket has no TCP_NODELAY, so when it has several answers to send while wavoice waits, all
   * but the first wait for a delayed ACK (about 40 ms); sequential requests set a call up about 30 %
   * faster than sending them together (measured, docs/performance.md).
   */
  private void build(RtpLeg rtpLeg) {
    // the pipeline on its own: if the transaction fails half-way, releasing it releases whatever it made
    pipeline = createPipeline();
    Transaction tx = client.beginTransaction();
    // creations first: kurento-client names new objects newref:0,1 by creation order while Kurento
    // resolves newref:N to the result of operation N, so they only agree when nothing precedes them
    WebRtcEndpoint.Builder webRtcBuilder = new WebRtcEndpoint.Builder(pipeline);
    if (listener.whatsAppPeer()) {
      webRtcBuilder.withCertificateKeyType(CertificateKeyType.ECDSA); // else Kurento's default, RSA
    }
    WebRtcEndpoint newWebRtc = webRtcBuilder.build(tx);
    RtpEndpoint newRtp = new RtpEndpoint.Builder(pipeline).build(tx);
    // the instance tag after the call id: reconciliation only looks at pipelines that have it
    pipeline.addTag(tx, PipelineTags.CALL_ID, callId.value());
    pipeline.addTag(tx, PipelineTags.INSTANCE, settings.instanceTag());
    newWebRtc.connect(tx, newRtp, MediaType.AUDIO);
    newRtp.connect(tx, newWebRtc, MediaType.AUDIO);
    tx.commit();
    // kurento-client 7.3 does not register objects made in a transaction, so their events would be
    // dropped ("doesn't exist in the client"); proxies from getById (local, no request) are registered
    webRtc = client.getById(newWebRtc.getId(), WebRtcEndpoint.class);
    rtp = client.getById(newRtp.getId(), RtpEndpoint.class);
    subscribeToEvents();

    RtpLegSdp.Answer answer = RtpLegSdp.answered(rtp.processOffer(RtpLegSdp.offer(rtpLeg)), rtpLeg.codec());
    InetSocketAddress target = new InetSocketAddress(settings.rtpHostFor(kms.url()), answer.port());
    if (target.isUnresolved()) {
      throw new MediaException(MediaException.Reason.KMS_ERROR, "the RTP host " + target.getHostString() + " of "
          + kms.displayUrl() + " does not resolve (" + KurentoSettings.RTP_HOST + ")");
    }
    // Kurento sends from the ports it receives on (RTCP: port + 1, as its answer's a=rtcp says)
    rtpTarget = new RtpRemote(target, new InetSocketAddress(target.getAddress(), answer.port() + 1),
        answer.address().map(Set::of).orElse(Set.of()));
  }

  /**
   * Creates the pipeline without holding kurento-client's lock: its synchronous create keeps the
   * client's one object registry locked for the whole round trip, so the set-ups of concurrent calls
   * (every create and every {@code getById}) would queue behind each other. Waits as long as
   * kurento-client waits for a synchronous answer; a pipeline that comes after that is released.
   */
  private MediaPipeline createPipeline() {
    CompletableFuture<MediaPipeline> created = new CompletableFuture<>();
    client.createMediaPipeline(new Continuation<MediaPipeline>() {
      @Override
      public void onSuccess(MediaPipeline made) {
        if (!created.complete(made)) {
          made.release(new Continuation<Void>() { // too late: the call has given up on it
            @Override
            public void onSuccess(Void result) {}

            @Override
            public void onError(Throwable cause) {
              LOG.fine(() -> "call " + callId + ": releasing a pipeline that came too late failed: " + cause);
            }
          });
        }
      }

      @Override
      public void onError(Throwable cause) {
        created.completeExceptionally(cause);
      }
    });
    try {
      return created.get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      created.cancel(false);
      throw new MediaException(MediaException.Reason.KMS_ERROR, "Kurento did not create the pipeline in " + REQUEST_TIMEOUT_MS + " ms", e);
    } catch (ExecutionException e) {
      throw asMediaException("creating the pipeline", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaException(MediaException.Reason.KMS_ERROR, "interrupted while creating the pipeline", e);
    }
  }

  private void subscribeToEvents() {
    // every subscription (one request each) is in place before negotiating
    subscribe(webRtc::addIceGatheringDoneListener, (IceGatheringDoneEvent e) -> gathered.complete(null));
    subscribe(webRtc::addIceComponentStateChangedListener, (IceComponentStateChangedEvent e) -> {
      report(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.ICE_COMPONENT, e.getState().name(), "component " + e.getComponentId());
      if (e.getComponentId() == 1) {
        if (e.getState() == IceComponentState.CONNECTED || e.getState() == IceComponentState.READY) {
          iceConnected = true;
          connectedIfReady();
        } else if (e.getState() == IceComponentState.FAILED) {
          fail(new MediaFailure(MediaFailure.Kind.ICE_FAILED, "ICE failed on the WebRTC leg"));
        }
      }
    });
    subscribe(webRtc::addNewCandidatePairSelectedListener, (NewCandidatePairSelectedEvent e) -> report(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.ICE_CANDIDATE_PAIR,
        "SELECTED", e.getCandidatePair().getLocalCandidate() + " <-> " + e.getCandidatePair().getRemoteCandidate()));
    subscribe(webRtc::addDtlsConnectionStateChangeListener, (DtlsConnectionStateChangeEvent e) -> {
      // with BUNDLE the component is named after the DTLS element ("[bundle/dtlssrtpenc]"), not a number
      report(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.DTLS, e.getState().name(), "component " + e.getComponentId());
      if (e.getState() == DtlsConnectionState.CONNECTED) {
        dtlsConnected = true;
        connectedIfReady();
      } else if (e.getState() == DtlsConnectionState.FAILED) {
        fail(new MediaFailure(MediaFailure.Kind.DTLS_FAILED, "DTLS failed on the WebRTC leg (" + e.getComponentId() + ")"));
      }
    });
    // Kurento names flows from the element's point of view: "out" of the WebRtcEndpoint is what it received
    // from WhatsApp, "in" is what the pipeline gives it to send to WhatsApp
    subscribe(webRtc::addMediaFlowOutStateChangedListener, (MediaFlowOutStateChangedEvent e) -> {
      report(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.MEDIA_FLOW_OUT, e.getState().name(), e.getMediaType().name());
      if (e.getState() == MediaFlowState.FLOWING && e.getMediaType() == MediaType.AUDIO) {
        // audio from WhatsApp came through: ICE and DTLS are up whatever order their events arrived in
        iceConnected = true;
        dtlsConnected = true;
        connectedIfReady();
      }
    });
    subscribe(webRtc::addMediaFlowInStateChangedListener,
        (MediaFlowInStateChangedEvent e) -> report(MediaEvent.Leg.WEBRTC, MediaEvent.Kind.MEDIA_FLOW_IN, e.getState().name(), e.getMediaType().name()));
    subscribe(webRtc::addErrorListener, (ErrorEvent e) -> kmsError(MediaEvent.Leg.WEBRTC, e));
    subscribe(rtp::addMediaFlowInStateChangedListener,
        (MediaFlowInStateChangedEvent e) -> report(MediaEvent.Leg.RTP, MediaEvent.Kind.MEDIA_FLOW_IN, e.getState().name(), e.getMediaType().name()));
    subscribe(rtp::addMediaFlowOutStateChangedListener,
        (MediaFlowOutStateChangedEvent e) -> report(MediaEvent.Leg.RTP, MediaEvent.Kind.MEDIA_FLOW_OUT, e.getState().name(), e.getMediaType().name()));
    subscribe(rtp::addErrorListener, (ErrorEvent e) -> kmsError(MediaEvent.Leg.RTP, e));
    subscribe(pipeline::addErrorListener, (ErrorEvent e) -> kmsError(MediaEvent.Leg.PIPELINE, e));
    if (listener.tricklesCandidates()) {
      subscribe(webRtc::addIceCandidateFoundListener, (IceCandidateFoundEvent e) -> {
        IceCandidate c = e.getCandidate();
        listener.localCandidate(c.getCandidate(), c.getSdpMid(), c.getSdpMLineIndex());
      });
    }
  }

  private <E extends Event> void subscribe(Function<EventListener<E>, ListenerSubscription> add, EventListener<E> handler) {
    add.apply(event -> {
      if (closed.get()) {
        return;
      }
      try {
        handler.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "handling " + event.getClass().getSimpleName() + " of call " + callId + " failed", e);
      }
    });
  }

  // ---- negotiating

  /** WhatsApp's ICE-lite offer: Kurento offers (so it is ICE-controlling), WhatsApp's offer becomes its answer. */
  private void answerByInvertedRoles(String remoteOffer) {
    String kmsOfferSdp = kmsOfferWithCandidates();
    String answerForWhatsApp = WhatsAppSdp.answerForWhatsApp(kmsOfferSdp, remoteOffer);
    webRtc.processAnswer(WhatsAppSdp.answerForKms(remoteOffer, kmsOfferSdp));
    kmsOffer = kmsOfferSdp;
    answerApplied = true;
    localSdp = answerForWhatsApp;
  }

  /** A full-ICE offer: Kurento answers it; the answer only loses an echoed {@code a=ice-lite} and weak fingerprints. */
  private void answerPlainly(String remoteOffer) {
    try {
      webRtc.processOffer(remoteOffer); // its SDP has no candidates yet: the full one is read after gathering
    } catch (KurentoServerException e) {
      if (e.getCode() == SDP_PARSE_ERROR || e.getCode() == SDP_PROCESS_OFFER_ERROR) {
        throw new MediaException(MediaException.Reason.BAD_SDP, "Kurento cannot use the remote offer: " + e.getServerMessage(), e);
      }
      throw e;
    }
    localSdp = WhatsAppSdp.fixedAnswer(gatherThenLocalSdp());
    answerApplied = true;
  }

  private String kmsOfferWithCandidates() {
    OfferOptions audioOnly = new OfferOptions();
    audioOnly.setOfferToReceiveAudio(true);
    audioOnly.setOfferToReceiveVideo(false);
    webRtc.generateOffer(audioOnly);
    return gatherThenLocalSdp();
  }

  /** WhatsApp does not trickle: every candidate must be in the SDP, so gather first (after negotiating, or it does nothing). */
  private String gatherThenLocalSdp() {
    webRtc.gatherCandidates();
    long timeoutMs = settings.gatheringTimeout().toMillis();
    try {
      gathered.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new MediaException(MediaException.Reason.GATHERING_TIMEOUT,
          "Kurento did not finish gathering ICE candidates in " + timeoutMs + " ms", e);
    } catch (ExecutionException e) {
      throw asMediaException("gathering ICE candidates", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaException(MediaException.Reason.KMS_ERROR, "interrupted while gathering ICE candidates", e);
    }
    return webRtc.getLocalSessionDescriptor();
  }

  @Override
  public void applyRemoteAnswer(String sdpAnswer) {
    if (role != Role.OUTGOING) {
      throw new IllegalStateException("call " + callId + " answered an offer; only outgoing calls take a remote answer");
    }
    if (closed.get()) {
      throw new IllegalStateException("the media of call " + callId + " is closed");
    }
    synchronized (this) {
      if (answerApplied) {
        throw new IllegalStateException("call " + callId + " already has the callee's answer");
      }
      String forKms = WhatsAppSdp.remoteAnswerForKms(sdpAnswer, kmsOffer);
      try {
        webRtc.processAnswer(forKms);
      } catch (KurentoServerException e) {
        if (e.getCode() == SDP_PARSE_ERROR || e.getCode() == SDP_PROCESS_ANSWER_ERROR) {
          throw new MediaException(MediaException.Reason.BAD_SDP, "Kurento cannot use the callee's answer: " + e.getServerMessage(), e);
        }
        throw asMediaException("applying the callee's answer of call " + callId, e);
      } catch (RuntimeException e) {
        throw asMediaException("applying the callee's answer of call " + callId, e);
      }
      answerApplied = true;
    }
  }

  @Override
  public void addRemoteCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
    if (closed.get()) {
      throw new IllegalStateException("the media of call " + callId + " is closed");
    }
    try {
      webRtc.addIceCandidate(new IceCandidate(candidate, sdpMid, sdpMLineIndex));
    } catch (KurentoServerException e) {
      throw new MediaException(MediaException.Reason.BAD_SDP, "Kurento refused the remote candidate: " + e.getServerMessage(), e);
    } catch (RuntimeException e) {
      throw asMediaException("adding a remote candidate of call " + callId, e);
    }
  }

  // ---- events

  private void connectedIfReady() {
    if (iceConnected && dtlsConnected && !failureReported.get() && !closed.get() && connectedReported.compareAndSet(false, true)) {
      LOG.info(() -> "media of call " + callId + " connected on " + kms.displayUrl());
      try {
        listener.mediaConnected();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the media listener of call " + callId + " failed", e);
      }
    }
  }

  private void kmsError(MediaEvent.Leg leg, ErrorEvent e) {
    report(leg, MediaEvent.Kind.ERROR, e.getType(), e.getErrorCode() + " " + e.getDescription());
    gathered.completeExceptionally(new MediaException(MediaException.Reason.KMS_ERROR, "Kurento error " + e.getType() + ": " + e.getDescription()));
    fail(new MediaFailure(MediaFailure.Kind.KMS_ERROR, e.getType() + ": " + e.getDescription()));
  }

  /** Reports the media of this call as gone (at most once, also after it connected); the call layer then ends the call. */
  void fail(MediaFailure failure) {
    if (closed.get() || !failureReported.compareAndSet(false, true)) {
      return;
    }
    LOG.warning(() -> "media of call " + callId + " failed: " + failure.kind() + " " + failure.detail());
    try {
      listener.mediaFailed(failure);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the media listener of call " + callId + " failed", e);
    }
  }

  private void report(MediaEvent.Leg leg, MediaEvent.Kind kind, String state, String detail) {
    MediaEvent event = new MediaEvent(leg, kind, state, detail);
    LOG.fine(() -> "call " + callId + ": " + event);
    try {
      listener.mediaEvent(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the media listener of call " + callId + " failed", e);
    }
  }

  // ---- the contract

  @Override
  public CallId callId() {
    return callId;
  }

  @Override
  public String localSdp() {
    return localSdp;
  }

  @Override
  public RtpRemote rtpTarget() {
    return rtpTarget;
  }

  @Override
  public String kmsUrl() {
    return kms.displayUrl();
  }

  boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    kms.unregister(this);
    MediaPipeline p = pipeline;
    if (p == null) {
      return;
    }
    if (!kms.isLive(client)) {
      // the KMS restarted or the link to it is gone: its objects are gone or die with that session
      LOG.fine(() -> "call " + callId + ": not releasing pipeline on " + kms.displayUrl() + ", the link it was made on is gone");
      return;
    }
    try {
      p.release();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "releasing the pipeline of call " + callId + " on " + kms.displayUrl()
          + " failed; leak reconciliation will release it", e);
    }
  }

  static MediaException asMediaException(String what, Throwable e) {
    if (e instanceof MediaException media) {
      return media;
    }
    return new MediaException(MediaException.Reason.KMS_ERROR, "Kurento failed " + what + ": " + e.getMessage(), e);
  }
}
