package dev.wavoice.testkit.kms;

import static dev.wavoice.testkit.JsonProviders.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebRtcEndpoint in the double. The SDP side behaves like Kurento 7.3.0 as captured from it: offers
 * and answers of the same shape, {@code a=ice-lite} echoed into answers, no candidates until
 * {@code gatherCandidates} (which does nothing before an offer exists), then IceCandidateFound events,
 * IceGatheringDone and a local SDP with every candidate.
 *
 * <p>There is no real ICE/DTLS: the far side is a virtual caller a test drives. {@link #connectCaller()}
 * plays the events Kurento sends when ICE and DTLS come up, except where stock Kurento would fail:
 * as the answerer to an ICE-lite offer it is ICE-controlled and nobody nominates, so ICE fails. The
 * caller's audio ({@link #playFromCaller}) flows into the pipeline (dropped, like in Kurento, when the
 * remote SDP announced no {@code a=ssrc}); what the pipeline sends to the caller is captured
 * ({@link #heardByCaller()}).
 */
public final class WebRtcEndpointDouble extends ElementDouble {

  static final Set<String> WEBRTC_EVENTS;

  static {
    Set<String> events = new HashSet<>(ELEMENT_EVENTS);
    events.addAll(List.of("MediaStateChanged", "ConnectionStateChanged", "IceCandidateFound", "IceGatheringDone",
        "IceComponentStateChanged", "NewCandidatePairSelected", "DtlsConnectionStateChange", "DataChannelOpened",
        "DataChannelClosed"));
    WEBRTC_EVENTS = Set.copyOf(events);
  }

  private static final List<String> KMS_AUDIO_CODECS = List.of("opus/48000/2", "pcmu/8000", "pcma/8000", "amr/8000");
  private static final int MAX_HEARD_SAMPLES = 48_000 * 120;

  private final long sessionVersion = 4_004_594_000L + ThreadLocalRandom.current().nextInt(1_000_000);
  private final long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
  private final String ufrag = random(4);
  private final String pwd = random(22);
  private final String fingerprint = fingerprint();
  private final String cname = "user" + ThreadLocalRandom.current().nextLong(1L << 32) + "@host-" + Long.toHexString(ThreadLocalRandom.current().nextLong(1L << 32));

  private String localSdp;
  private String remoteSdp;
  private boolean offerGenerated;
  private boolean negotiated;
  private String mid = "audio0";
  private boolean gatheringStarted;
  private boolean gathered;
  private final List<String> candidates = new ArrayList<>();
  private boolean remoteLite;
  /** A caller whose ICE ufrag starts with {@code silent} never answers connectivity checks: media never connects. */
  private boolean remoteSilent;
  private boolean remoteHasSsrc;
  private boolean remoteHasCandidates;
  private String remoteCandidate;
  private boolean callerConnected;
  /** The caller's packets stopped (its network went away) while ICE and DTLS still look up. */
  private boolean callerMuted;
  private boolean iceFailed;
  private final Deque<short[]> fromCaller = new ArrayDeque<>();
  private short[] heard = new short[0];
  private int heardLength;
  private int framesFromCaller;
  private int framesDropped;
  private long toneSamples;
  /** Where this caller is in its {@link CallerSpeech} cycle: a random start, so callers do not talk in step. */
  private long speechFrame = ThreadLocalRandom.current().nextInt(1 << 16);
  private boolean wasTalking;
  /** Lean double: the frame of the current talk turn. */
  private long turnFrame;

  WebRtcEndpointDouble(KmsDouble kms, String id, String ownerSession, PipelineDouble pipeline) {
    super(kms, id, "WebRtcEndpoint", ownerSession, pipeline);
  }

  @Override
  Set<String> events() {
    return WEBRTC_EVENTS;
  }

  @Override
  List<String> hierarchy() {
    return List.of("kurento.BaseRtpEndpoint", "kurento.SdpEndpoint", "kurento.SessionEndpoint", "kurento.Endpoint",
        "kurento.MediaElement", "kurento.MediaObject");
  }

  /** The DTLS certificate's key type the endpoint was created with ({@code RSA} when none was given). */
  volatile String certificateKeyType;

  public String certificateKeyType() {
    return certificateKeyType;
  }

  @Override
  JsonValue invoke(String operation, JsonObject params) {
    switch (operation) {
      case "generateOffer":
        return JSON.createValue(generateOffer(params == null ? null : params.getJsonObject("options")));
      case "processOffer":
        return JSON.createValue(processOffer(string(params, "offer")));
      case "processAnswer":
        return JSON.createValue(processAnswer(string(params, "answer")));
      case "getLocalSessionDescriptor":
        if (localSdp == null) {
          throw KmsError.noLocalSdp();
        }
        return JSON.createValue(localSdp);
      case "getRemoteSessionDescriptor":
        if (remoteSdp == null) {
          throw KmsError.noRemoteSdp();
        }
        return JSON.createValue(remoteSdp);
      case "gatherCandidates":
        gatherCandidates();
        return JsonValue.NULL;
      case "addIceCandidate":
        if (!(required(params).get("candidate") instanceof JsonObject)) {
          throw KmsError.marshall("'candidate' parameter should be a IceCandidate");
        }
        return JsonValue.NULL;
      case "getIceConnectionState": {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        for (int component = 1; component <= 2; component++) {
          array.add(JSON.createObjectBuilder().add("__module__", "kurento").add("__type__", "IceConnection")
              .add("componentId", component).add("state", iceState()).add("streamId", "1"));
        }
        return array.build();
      }
      case "getConnectionState":
      case "getMediaState":
        return JSON.createValue(callerConnected ? "CONNECTED" : "DISCONNECTED");
      case "setStunServerAddress", "setStunServerPort", "setTurnUrl", "setExternalIPv4", "setExternalIPv6",
          "setNetworkInterfaces", "setIceTcp":
        required(params);
        return JsonValue.NULL;
      default:
        return super.invoke(operation, params);
    }
  }

  private String iceState() {
    if (iceFailed) {
      return "FAILED";
    }
    if (callerConnected) {
      return "READY";
    }
    return gatheringStarted ? "GATHERING" : "DISCONNECTED";
  }

  // ---- SDP, shaped like Kurento 7.3.0's

  private String generateOffer(JsonObject options) {
    if (offerGenerated || negotiated) {
      throw KmsError.alreadyNegotiated();
    }
    boolean audio = options == null || options.getBoolean("offerToReceiveAudio", true);
    boolean video = options == null || options.getBoolean("offerToReceiveVideo", true);
    StringBuilder sdp = new StringBuilder();
    line(sdp, "v=0");
    line(sdp, "o=- " + sessionVersion + " " + sessionVersion + " IN IP4 0.0.0.0");
    line(sdp, "s=Kurento Media Server");
    line(sdp, "c=IN IP4 0.0.0.0");
    line(sdp, "t=0 0");
    List<String> mids = new ArrayList<>();
    if (audio) {
      mids.add("audio0");
    }
    if (video) {
      mids.add("video0");
    }
    line(sdp, "a=group:BUNDLE " + String.join(" ", mids));
    if (audio) {
      line(sdp, "m=audio 1 RTP/SAVPF 96 0 8");
      line(sdp, "a=setup:actpass");
      line(sdp, "a=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
      line(sdp, "a=rtpmap:96 opus/48000/2");
      line(sdp, "a=rtcp:9 IN IP4 0.0.0.0");
      line(sdp, "a=rtcp-mux");
      line(sdp, "a=sendrecv");
      line(sdp, "a=mid:audio0");
      line(sdp, "a=ssrc:" + ssrc + " cname:" + cname);
      security(sdp);
    }
    if (video) {
      line(sdp, "m=video 1 RTP/SAVPF 102");
      line(sdp, "a=setup:actpass");
      line(sdp, "a=rtpmap:102 VP8/90000");
      line(sdp, "a=rtcp:9 IN IP4 0.0.0.0");
      line(sdp, "a=rtcp-mux");
      line(sdp, "a=sendrecv");
      line(sdp, "a=mid:video0");
      security(sdp);
    }
    offerGenerated = true;
    mid = audio ? "audio0" : "video0";
    localSdp = sdp.toString();
    return localSdp;
  }

  private String processOffer(String offer) {
    if (offerGenerated || negotiated) {
      throw KmsError.alreadyNegotiated();
    }
    DoubleSdp remote = DoubleSdp.parse(offer);
    if (remote.media.size() != 1 || !remote.media.get(0).kind.equals("audio")) {
      throw KmsError.notImplemented("the WebRtcEndpoint double answers offers with exactly one audio section, got "
          + remote.media.stream().map(m -> m.kind).toList());
    }
    DoubleSdp.Section audio = remote.media.get(0);
    mid = audio.attr("mid").orElseThrow(() -> KmsError.processOffer("Offer has no a=mid"));
    List<String> kept = audio.formats.stream()
        .filter(pt -> audio.encoding(pt).map(e -> KMS_AUDIO_CODECS.contains(e.toLowerCase(Locale.ROOT))).orElse(false))
        .toList();
    StringBuilder sdp = new StringBuilder();
    line(sdp, "v=0");
    line(sdp, "o=- " + sessionVersion + " " + sessionVersion + " IN IP4 0.0.0.0");
    line(sdp, "s=Kurento Media Server");
    line(sdp, "c=IN IP4 0.0.0.0");
    line(sdp, "t=0 0");
    // Kurento copies the offer's session-level attributes into its answer, a=ice-lite included (Kurento/kurento#125)
    remote.session.stream().filter(l -> l.startsWith("a=") && !l.startsWith("a=group:")).forEach(l -> line(sdp, l));
    if (remote.session.stream().anyMatch(l -> l.startsWith("a=group:BUNDLE"))) {
      line(sdp, "a=group:BUNDLE " + mid);
    }
    line(sdp, "m=audio " + (kept.isEmpty() ? 0 : 1) + " " + audio.proto + " " + (kept.isEmpty() ? audio.formats.get(0) : String.join(" ", kept)));
    line(sdp, "a=" + answerDirection(audio));
    line(sdp, "a=mid:" + mid);
    line(sdp, "a=rtcp:9 IN IP4 0.0.0.0");
    for (String pt : kept) {
      line(sdp, "a=rtpmap:" + pt + " " + audio.encoding(pt).orElseThrow());
    }
    line(sdp, "a=setup:" + (audio.attr("setup").orElse("actpass").equals("active") ? "passive" : "active"));
    if (audio.flag("rtcp-mux")) {
      line(sdp, "a=rtcp-mux");
    }
    for (String pt : kept) {
      audio.attrs("fmtp").stream().filter(v -> v.startsWith(pt + " ")).forEach(v -> line(sdp, "a=fmtp:" + v));
    }
    audio.attr("maxptime").ifPresent(v -> line(sdp, "a=maxptime:" + v));
    audio.attr("ptime").ifPresent(v -> line(sdp, "a=ptime:" + v));
    line(sdp, "a=ssrc:" + ssrc + " cname:" + cname);
    security(sdp);
    takeRemote(remote, offer);
    negotiated = true;
    localSdp = sdp.toString();
    return localSdp;
  }

  private String processAnswer(String answer) {
    if (!offerGenerated) {
      throw KmsError.offerNotGenerated();
    }
    if (negotiated) {
      throw KmsError.answerAlreadyProcessed();
    }
    DoubleSdp remote = DoubleSdp.parse(answer);
    DoubleSdp offer = DoubleSdp.parse(localSdp);
    if (remote.media.size() != offer.media.size()) {
      throw KmsError.processAnswer("the answer has " + remote.media.size() + " media sections, the offer " + offer.media.size());
    }
    for (int i = 0; i < offer.media.size(); i++) {
      DoubleSdp.Section o = offer.media.get(i);
      DoubleSdp.Section a = remote.media.get(i);
      // KMS matches media by mid: an answer with another mid negotiates nothing for that section
      String offeredMid = o.attr("mid").orElseThrow();
      if (!a.attr("mid").map(offeredMid::equals).orElse(false)) {
        throw KmsError.processAnswer("KMS double: the answer's mid " + a.attr("mid").orElse("(none)") + " is not the offer's " + offeredMid);
      }
      String setup = a.attr("setup").orElse("");
      if (!setup.equals("active") && !setup.equals("passive")) {
        throw KmsError.processAnswer("KMS double: an answer needs a=setup:active or passive, got '" + setup + "'");
      }
      for (String pt : a.formats) {
        String encoding = a.encoding(pt).orElse("?").toLowerCase(Locale.ROOT);
        boolean offered = o.formats.stream().anyMatch(opt -> o.encoding(opt).map(e -> e.toLowerCase(Locale.ROOT).equals(encoding)).orElse(false));
        if (!offered) {
          throw KmsError.processAnswer("KMS double: the answer has " + encoding + " (pt " + pt + "), which was not offered");
        }
      }
    }
    takeRemote(remote, answer);
    negotiated = true;
    maybeAutoConnect();
    return localSdp;
  }

  private void takeRemote(DoubleSdp remote, String text) {
    remoteSdp = text;
    remoteLite = remote.sessionFlag("ice-lite");
    remoteSilent = text.contains("\r\na=ice-ufrag:silent");
    DoubleSdp.Section audio = remote.media.get(0);
    remoteHasSsrc = !audio.attrs("ssrc").isEmpty();
    List<String> remoteCandidates = audio.attrs("candidate").stream().filter(c -> c.split(" +").length > 5 && c.split(" +")[1].equals("1")).toList();
    remoteHasCandidates = !remoteCandidates.isEmpty();
    remoteCandidate = remoteHasCandidates ? "candidate:" + remoteCandidates.get(0) : null;
  }

  private static String answerDirection(DoubleSdp.Section offer) {
    if (offer.flag("sendonly")) {
      return "recvonly";
    }
    if (offer.flag("recvonly")) {
      return "sendonly";
    }
    return offer.flag("inactive") ? "inactive" : "sendrecv";
  }

  private void security(StringBuilder sdp) {
    line(sdp, "a=ice-ufrag:" + ufrag);
    line(sdp, "a=ice-pwd:" + pwd);
    line(sdp, "a=fingerprint:sha-256 " + fingerprint);
  }

  // ---- ICE gathering

  private void gatherCandidates() {
    if (!(offerGenerated || negotiated) || gatheringStarted) {
      return; // like Kurento: before an offer exists there is nothing to gather for (bugtracker#600)
    }
    gatheringStarted = true;
    kms.later(this::gather);
  }

  private void gather() {
    if (released || kms.holdsGathering()) {
      return;
    }
    for (int component = 1; component <= 2; component++) {
      emit("IceComponentStateChanged", ice(component, "GATHERING"));
    }
    int udp1 = kms.nextPort();
    int tcp1 = kms.nextPort();
    int udp2 = kms.nextPort();
    int tcp2 = kms.nextPort();
    candidates.add("candidate:1 1 UDP 2015364095 127.0.0.1 " + udp1 + " typ host");
    candidates.add("candidate:2 1 TCP 1015022591 127.0.0.1 9 typ host tcptype active");
    candidates.add("candidate:3 1 TCP 1010828287 127.0.0.1 " + tcp1 + " typ host tcptype passive");
    candidates.add("candidate:1 2 UDP 2015364094 127.0.0.1 " + udp2 + " typ host");
    candidates.add("candidate:2 2 TCP 1015022590 127.0.0.1 9 typ host tcptype active");
    candidates.add("candidate:3 2 TCP 1010828286 127.0.0.1 " + tcp2 + " typ host tcptype passive");
    for (String candidate : candidates) {
      emit("IceCandidateFound", JSON.createObjectBuilder().add("candidate", JSON.createObjectBuilder()
          .add("__module__", "kurento").add("__type__", "IceCandidate").add("candidate", candidate)
          .add("sdpMLineIndex", 0).add("sdpMid", mid)));
    }
    localSdp = withCandidates(localSdp, tcp1);
    gathered = true;
    emit("IceGatheringDone", JSON.createObjectBuilder());
    maybeAutoConnect();
  }

  /** The local SDP after gathering: no session c=, the default candidate in m=/c=/a=rtcp, every a=candidate at the end. */
  private String withCandidates(String sdp, int defaultPort) {
    StringBuilder out = new StringBuilder();
    boolean inFirstMedia = false;
    boolean seenMedia = false;
    for (String l : sdp.split("\r\n")) {
      if (!seenMedia && l.startsWith("c=")) {
        continue;
      }
      if (l.startsWith("m=")) {
        inFirstMedia = !seenMedia;
        seenMedia = true;
        if (inFirstMedia) {
          String[] f = l.split(" ", 3);
          line(out, f[0] + " " + defaultPort + " " + f[2]);
          line(out, "c=IN IP4 127.0.0.1");
          continue;
        }
      }
      if (inFirstMedia && l.startsWith("a=rtcp:")) {
        line(out, "a=rtcp:" + defaultPort + " IN IP4 127.0.0.1");
        continue;
      }
      line(out, l);
    }
    candidates.forEach(c -> line(out, "a=" + c));
    return out.toString();
  }

  private void maybeAutoConnect() {
    if (kms.autoConnectsCallers() && gathered && remoteSdp != null && !callerConnected && !iceFailed && !remoteSilent) {
      connectCallerLocked();
    }
  }

  // ---- the virtual caller

  /**
   * The caller's ICE and DTLS come up, with the events Kurento sends. If stock Kurento could not connect
   * (it answered an ICE-lite offer, so it is ICE-controlled and nobody nominates; or the remote SDP has
   * no candidate) ICE fails instead.
   */
  public void connectCaller() {
    synchronized (kms.lock) {
      if (!gathered || remoteSdp == null) {
        throw new IllegalStateException("the WebRtcEndpoint has not negotiated and gathered yet");
      }
      connectCallerLocked();
    }
  }

  private void connectCallerLocked() {
    emit("IceComponentStateChanged", ice(1, "CONNECTING"));
    if ((remoteLite && !offerGenerated) || !remoteHasCandidates) {
      iceFailed = true;
      emit("IceComponentStateChanged", ice(1, "FAILED"));
      return;
    }
    emit("IceComponentStateChanged", ice(1, "CONNECTED"));
    emit("DtlsConnectionStateChange", dtls("[bundle/dtlssrtpenc]", "NEW"));
    emit("NewCandidatePairSelected", JSON.createObjectBuilder().add("candidatePair", JSON.createObjectBuilder()
        .add("__module__", "kurento").add("__type__", "IceCandidatePair").add("componentId", 1)
        .add("localCandidate", candidates.get(0)).add("remoteCandidate", remoteCandidate).add("streamId", "1")));
    emit("DtlsConnectionStateChange", dtls("[bundle/dtlssrtpenc]", "CONNECTING"));
    emit("IceComponentStateChanged", ice(1, "READY"));
    emit("DtlsConnectionStateChange", dtls("[bundle/dtlssrtpdec]", "CONNECTING"));
    emit("DtlsConnectionStateChange", dtls("[bundle/dtlssrtpdec]", "CONNECTED"));
    emit("DtlsConnectionStateChange", dtls("[bundle/dtlssrtpenc]", "CONNECTED"));
    callerConnected = true;
  }

  /** ICE of the WebRTC leg fails (the caller's network went away). */
  public void failIce() {
    synchronized (kms.lock) {
      iceFailed = true;
      callerConnected = false;
      emit("IceComponentStateChanged", ice(1, "FAILED"));
    }
  }

  /** The DTLS handshake fails. */
  public void failDtls() {
    synchronized (kms.lock) {
      callerConnected = false;
      emit("DtlsConnectionStateChange", dtls("[bundle/dtlssrtpenc]", "FAILED"));
    }
  }

  /**
   * The caller stops sending anything, without any event: what Kurento sees when a caller's network goes
   * away (its consent checks take far longer to fail) or Meta's {@code terminate} never came.
   */
  public void stopCallerAudio() {
    synchronized (kms.lock) {
      callerMuted = true;
    }
  }

  /** Queues 48 kHz mono PCM as the caller's voice; it enters the pipeline one 20 ms frame per tick. */
  public void playFromCaller(short[] pcm48k) {
    synchronized (kms.lock) {
      if (!callerConnected) {
        throw new IllegalStateException("the caller is not connected (call connectCaller first)");
      }
      for (int at = 0; at + DoubleAudio.SAMPLES_48K_PER_FRAME <= pcm48k.length; at += DoubleAudio.SAMPLES_48K_PER_FRAME) {
        fromCaller.add(Arrays.copyOfRange(pcm48k, at, at + DoubleAudio.SAMPLES_48K_PER_FRAME));
      }
    }
  }

  /** Everything the pipeline sent to the caller so far, as 48 kHz mono PCM. */
  public short[] heardByCaller() {
    synchronized (kms.lock) {
      return Arrays.copyOf(heard, heardLength);
    }
  }

  public boolean callerConnected() {
    synchronized (kms.lock) {
      return callerConnected;
    }
  }

  /** True when this endpoint made the offer (Kurento is then ICE-controlling). */
  public boolean offerer() {
    synchronized (kms.lock) {
      return offerGenerated;
    }
  }

  public String remoteSdp() {
    synchronized (kms.lock) {
      return remoteSdp;
    }
  }

  public String localSdp() {
    synchronized (kms.lock) {
      return localSdp;
    }
  }

  /** Frames of caller audio that entered the pipeline, and frames Kurento dropped (no a=ssrc in the remote SDP). */
  public int framesFromCaller() {
    synchronized (kms.lock) {
      return framesFromCaller;
    }
  }

  public int framesDropped() {
    synchronized (kms.lock) {
      return framesDropped;
    }
  }

  /** One 20 ms step of the audio engine (under the lock). */
  void tick() {
    if (!callerConnected || callerMuted) {
      return;
    }
    short[] frame = fromCaller.poll();
    if (frame == null && kms.callerToneHz() > 0) {
      CallerSpeech speech = kms.callerSpeech();
      boolean talking = speech == null || speech.talking(speechFrame++);
      if (talking) {
        if (speech != null && !wasTalking) {
          kms.arrivals().callerTalks(pipeline, System.nanoTime());
        }
        LeanCallerAudio lean = kms.leanCallerAudio();
        if (lean != null) {
          turnFrame = wasTalking ? turnFrame + 1 : 0; // each turn from its start: one continuous encoding
          frame = lean.toneFrame(turnFrame);
        } else {
          frame = dev.wavoice.testkit.audio.Tones.sine(kms.callerToneHz(), 48_000, toneSamples, DoubleAudio.SAMPLES_48K_PER_FRAME, 8000);
          toneSamples += DoubleAudio.SAMPLES_48K_PER_FRAME;
        }
      } else {
        LeanCallerAudio lean = kms.leanCallerAudio();
        frame = lean != null ? lean.silence() : new short[DoubleAudio.SAMPLES_48K_PER_FRAME];
      }
      wasTalking = talking;
    }
    if (frame == null) {
      return;
    }
    if (!remoteHasSsrc) {
      framesDropped++; // "Remote SSRC ... doesn't match any SDP media; DATA WILL BE DROPPED"
      return;
    }
    framesFromCaller++;
    flowOut(true);
    for (ElementDouble sink : audioSinks()) {
      sink.acceptAudio(this, frame);
    }
  }

  @Override
  void acceptAudio(ElementDouble from, short[] pcm48k) {
    if (!callerConnected) {
      return;
    }
    flowIn(true);
    if (!kms.keepsHeardAudio() || heardLength + pcm48k.length > MAX_HEARD_SAMPLES) {
      return;
    }
    if (heardLength + pcm48k.length > heard.length) {
      heard = Arrays.copyOf(heard, Math.max(heard.length * 2, heardLength + pcm48k.length + 48_000));
    }
    System.arraycopy(pcm48k, 0, heard, heardLength, pcm48k.length);
    heardLength += pcm48k.length;
  }

  // ---- helpers

  private static jakarta.json.JsonObjectBuilder ice(int component, String state) {
    return JSON.createObjectBuilder().add("componentId", component).add("state", state).add("streamId", 1);
  }

  private jakarta.json.JsonObjectBuilder dtls(String component, String state) {
    return JSON.createObjectBuilder().add("componentId", component).add("connectionId", "dtlssrtpenc1-dtlssrtpdec1-1-1")
        .add("state", state).add("streamId", "1");
  }

  private static void line(StringBuilder sdp, String line) {
    sdp.append(line).append("\r\n");
  }

  private static String random(int length) {
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
    }
    return out.toString();
  }

  private static String fingerprint() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      out.append(i == 0 ? "" : ":").append(String.format("%02X", ThreadLocalRandom.current().nextInt(256)));
    }
    return out.toString();
  }
}
