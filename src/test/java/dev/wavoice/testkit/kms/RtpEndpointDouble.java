package dev.wavoice.testkit.kms;

import static dev.wavoice.testkit.JsonProviders.JSON;

import dev.wavoice.testkit.rtp.RtpPacket;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An RtpEndpoint in the double that really sends and receives RTP on UDP (loopback only). It answers
 * the offer the way Kurento 7.3.0 does (its port, RTCP on the next one, the offered codec), sends the
 * pipeline's audio to the offer's address encoded with the negotiated codec (PCMU or Opus), and
 * passes the RTP it receives into the pipeline.
 */
public final class RtpEndpointDouble extends ElementDouble {

  static final Set<String> RTP_EVENTS;
  /** The tag wavoice puts on each call's pipeline. */
  static final String CALL_ID_TAG = "wavoice.call-id";
  private static final int AUDIBLE_LEVEL = 200;

  static {
    Set<String> events = new HashSet<>(ELEMENT_EVENTS);
    events.addAll(List.of("MediaStateChanged", "ConnectionStateChanged", "OnKeySoftLimit"));
    RTP_EVENTS = Set.copyOf(events);
  }

  private final long sessionVersion = 4_004_594_000L + ThreadLocalRandom.current().nextInt(1_000_000);
  private final long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger wrongPayloadType = new AtomicInteger();
  private final AtomicInteger sent = new AtomicInteger();

  private String localSdp;
  private String remoteSdp;
  private DatagramSocket rtpSocket;
  private DatagramSocket rtcpSocket;
  private InetSocketAddress remote;
  private int payloadType = -1;
  private String encoding;
  private DoubleAudio toRemote;
  private DoubleAudio fromRemote;
  private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
  private long timestamp = ThreadLocalRandom.current().nextLong(1L << 32);
  private int samplesPerFrame;
  private boolean opus;

  RtpEndpointDouble(KmsDouble kms, String id, String ownerSession, PipelineDouble pipeline) {
    super(kms, id, "RtpEndpoint", ownerSession, pipeline);
  }

  @Override
  Set<String> events() {
    return RTP_EVENTS;
  }

  @Override
  List<String> hierarchy() {
    return List.of("kurento.BaseRtpEndpoint", "kurento.SdpEndpoint", "kurento.SessionEndpoint", "kurento.Endpoint",
        "kurento.MediaElement", "kurento.MediaObject");
  }

  @Override
  JsonValue invoke(String operation, JsonObject params) {
    switch (operation) {
      case "processOffer":
        return JSON.createValue(processOffer(string(params, "offer")));
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
      case "generateOffer":
      case "processAnswer":
        throw KmsError.notImplemented("the RtpEndpoint double only answers offers");
      case "getConnectionState":
      case "getMediaState":
        return JSON.createValue(received.get() > 0 ? "CONNECTED" : "DISCONNECTED");
      default:
        return super.invoke(operation, params);
    }
  }

  private String processOffer(String offer) {
    if (localSdp != null) {
      throw KmsError.alreadyNegotiated();
    }
    DoubleSdp sdp = DoubleSdp.parse(offer);
    if (sdp.media.size() != 1 || !sdp.media.get(0).kind.equals("audio")) {
      throw KmsError.notImplemented("the RtpEndpoint double takes exactly one audio section");
    }
    DoubleSdp.Section audio = sdp.media.get(0);
    if (!audio.proto.equals("RTP/AVP") && !audio.proto.equals("RTP/AVPF")) {
      throw KmsError.notImplemented("the RtpEndpoint double takes plain RTP/AVP(F), got " + audio.proto);
    }
    String pt = null;
    for (String format : audio.formats) {
      String enc = audio.encoding(format).orElse("").toLowerCase(Locale.ROOT);
      if (enc.equals("pcmu/8000") || enc.equals("opus/48000/2")) {
        pt = format;
        break;
      }
      if (enc.equals("pcma/8000") || enc.equals("amr/8000")) {
        throw KmsError.notImplemented("the RtpEndpoint double encodes PCMU/8000 and opus/48000/2 only, got " + enc);
      }
    }
    if (pt == null) {
      throw KmsError.notImplemented("no codec the RtpEndpoint double speaks in " + audio.formats);
    }
    String address = sdp.address(audio).orElseThrow(KmsError::sdpParse);
    InetAddress target;
    try {
      target = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw KmsError.sdpParse();
    }
    if (!target.isLoopbackAddress()) {
      throw KmsError.notImplemented("the double only sends RTP to loopback, the offer names " + address);
    }
    bind();
    remote = new InetSocketAddress(target, audio.port);
    payloadType = Integer.parseInt(pt);
    encoding = audio.encoding(pt).orElseThrow();
    opus = encoding.toLowerCase(Locale.ROOT).startsWith("opus");
    toRemote = new DoubleAudio(opus ? DoubleAudio.Codec.OPUS : DoubleAudio.Codec.PCMU,
        kms.keepsHeardAudio() ? DoubleAudio.DEFAULT_COMPLEXITY : DoubleAudio.CHEAP_COMPLEXITY);
    fromRemote = new DoubleAudio(opus ? DoubleAudio.Codec.OPUS : DoubleAudio.Codec.PCMU, DoubleAudio.DEFAULT_COMPLEXITY);
    samplesPerFrame = opus ? 960 : 160;
    remoteSdp = offer;

    StringBuilder answer = new StringBuilder();
    line(answer, "v=0");
    line(answer, "o=- " + sessionVersion + " " + sessionVersion + " IN IP4 127.0.0.1");
    line(answer, "s=Kurento Media Server");
    line(answer, "c=IN IP4 127.0.0.1");
    line(answer, "t=0 0");
    line(answer, "m=audio " + rtpSocket.getLocalPort() + " " + audio.proto + " " + pt);
    line(answer, "a=sendrecv");
    line(answer, "a=rtcp:" + rtcpSocket.getLocalPort());
    line(answer, "a=rtpmap:" + pt + " " + encoding);
    audio.attr("ptime").ifPresent(v -> line(answer, "a=ptime:" + v));
    line(answer, "a=ssrc:" + ssrc + " cname:user" + ssrc + "@host-double");
    localSdp = answer.toString();
    DatagramSocket socket = rtpSocket;
    // load runs (lean) time arrivals: a platform thread there, so they do not wait for a carrier thread
    (kms.keepsHeardAudio() ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true))
        .name("kms-double-rtp-" + socket.getLocalPort()).start(() -> receive(socket));
    return localSdp;
  }

  /** An even RTP port and the next one for RTCP, from the double's port range, on loopback. */
  private void bind() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = kms.nextEvenPort();
      DatagramSocket rtp = null;
      try {
        rtp = new DatagramSocket(new InetSocketAddress(loopback, port));
        rtcpSocket = new DatagramSocket(new InetSocketAddress(loopback, port + 1));
        rtpSocket = rtp;
        return;
      } catch (IOException e) {
        if (rtp != null) {
          rtp.close();
        }
      }
    }
    throw new KmsError(40003, "UNEXPECTED_ERROR", "KMS double: no free RTP port pair");
  }

  private void receive(DatagramSocket socket) {
    byte[] buffer = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(datagram);
      } catch (IOException e) {
        return;
      }
      RtpPacket packet = RtpPacket.parse(datagram.getData(), datagram.getLength(), System.nanoTime());
      if (packet == null) {
        continue;
      }
      // decoded and timed before taking the double's lock (this thread owns fromRemote), so the
      // arrival times of load runs do not wait for the audio engine's tick
      short[] pcm = packet.payloadType() == payloadType ? fromRemote.decode(packet.payload()) : null;
      String callId;
      synchronized (kms.lock) {
        if (released) {
          return;
        }
        received.incrementAndGet();
        if (pcm == null) {
          wrongPayloadType.incrementAndGet(); // Kurento drops what does not match the negotiated caps
          continue;
        }
        flowOut(true);
        callId = pipeline.tags.get(CALL_ID_TAG);
        for (int at = 0; at + DoubleAudio.SAMPLES_48K_PER_FRAME <= pcm.length; at += DoubleAudio.SAMPLES_48K_PER_FRAME) {
          short[] frame = java.util.Arrays.copyOfRange(pcm, at, at + DoubleAudio.SAMPLES_48K_PER_FRAME);
          for (ElementDouble sink : audioSinks()) {
            sink.acceptAudio(this, frame);
          }
        }
      }
      kms.arrivals().arrived(pipeline, callId, packet.sequence(), audible(pcm), packet.arrivalNanos());
    }
  }

  @Override
  void acceptAudio(ElementDouble from, short[] pcm48k) {
    if (remote == null) {
      return;
    }
    flowIn(true);
    // a lean double's callers: the packet encoded once for this shared frame (LeanCallerAudio)
    byte[] packet = opus && kms.leanCallerAudio() != null ? kms.leanCallerAudio().opusPacket(pcm48k) : null;
    byte[] payload = packet != null ? packet : toRemote.encode(pcm48k);
    byte[] datagram = RtpPacket.build(payloadType, sequence, timestamp, ssrc, sent.get() == 0, payload);
    sequence = (sequence + 1) & 0xFFFF;
    timestamp = (timestamp + samplesPerFrame) & 0xFFFFFFFFL;
    try {
      rtpSocket.send(new DatagramPacket(datagram, datagram.length, remote));
      sent.incrementAndGet();
    } catch (IOException e) {
      // like Kurento: a send that fails is dropped
    }
  }

  /** The RTP port this endpoint listens and sends on (what its answer names). */
  public int localPort() {
    synchronized (kms.lock) {
      return rtpSocket == null ? -1 : rtpSocket.getLocalPort();
    }
  }

  /** Where it sends RTP: the address and port of the offer it was given. */
  public InetSocketAddress remote() {
    synchronized (kms.lock) {
      return remote;
    }
  }

  public int payloadType() {
    synchronized (kms.lock) {
      return payloadType;
    }
  }

  /** The negotiated encoding, e.g. {@code PCMU/8000}. */
  public String encoding() {
    synchronized (kms.lock) {
      return encoding;
    }
  }

  public String offer() {
    synchronized (kms.lock) {
      return remoteSdp;
    }
  }

  public int packetsReceived() {
    return received.get();
  }

  public int packetsWithWrongPayloadType() {
    return wrongPayloadType.get();
  }

  public int packetsSent() {
    return sent.get();
  }

  @Override
  void release() {
    super.release();
    if (rtpSocket != null) {
      rtpSocket.close();
      rtcpSocket.close();
    }
  }

  /** Bot audio, not the silence wavoice sends between turns (µ-law or Opus silence decodes to about zero). */
  private static boolean audible(short[] pcm) {
    for (short sample : pcm) {
      if (sample > AUDIBLE_LEVEL || sample < -AUDIBLE_LEVEL) {
        return true;
      }
    }
    return false;
  }

  private static void line(StringBuilder sdp, String line) {
    sdp.append(line).append("\r\n");
  }
}
