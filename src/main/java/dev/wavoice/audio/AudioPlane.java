package dev.wavoice.audio;

import dev.wavoice.CallId;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Opens the audio of a call: binds its RTP/RTCP sockets from the port range and wires the receive
 * path, the send path and RTCP around them, with random initial SSRC, sequence number and timestamp
 * (RFC 3550 §5.1). All calls share the {@link Pacer}.
 */
@ApplicationScoped
public class AudioPlane {

  private AudioSettings settings;
  private Pacer pacer;
  private Clock wallClock;
  private MonotonicClock clock;
  private RtpPortAllocator ports;
  private RandomGenerator random;
  /** Where Opus-mode bot frames are encoded ahead of the pacer. */
  private Executor encoders;
  private FrameEncoders ownEncoders;
  private ForeignPackets foreign;
  private final Set<CallAudio> open = ConcurrentHashMap.newKeySet();

  /** For the CDI proxy only. */
  protected AudioPlane() {}

  @Inject
  public AudioPlane(AudioConfig config, Pacer pacer, Clock wallClock, MonotonicClock clock, ForeignPacketMetrics foreign) {
    this(config.settings(), pacer, wallClock, clock);
    this.foreign = foreign;
  }

  /** With its own encoder threads, one per core. */
  public AudioPlane(AudioSettings settings, Pacer pacer, Clock wallClock, MonotonicClock clock) {
    this(settings, pacer, wallClock, clock, null);
    ownEncoders = FrameEncoders.perCore();
    encoders = ownEncoders;
  }

  /** Encoding bot frames on {@code encoders} (tests that tick the pacer by hand encode in place: {@code Runnable::run}). */
  public AudioPlane(AudioSettings settings, Pacer pacer, Clock wallClock, MonotonicClock clock, Executor encoders) {
    this(settings, pacer, wallClock, clock, encoders, ForeignPackets.NONE);
  }

  /** As above, telling {@code foreign} of every datagram dropped for not coming from a call's RtpEndpoint. */
  public AudioPlane(AudioSettings settings, Pacer pacer, Clock wallClock, MonotonicClock clock, Executor encoders,
      ForeignPackets foreign) {
    this.foreign = foreign;
    this.encoders = encoders;
    this.settings = settings;
    this.pacer = pacer;
    this.wallClock = wallClock;
    this.clock = clock;
    this.ports = new RtpPortAllocator(settings.bindAddress(), settings.portRange());
    this.random = new SecureRandom();
  }

  /**
   * Binds the call's sockets and starts receiving (dropping audio until a sink is attached).
   *
   * @throws RtpPortAllocator.NoFreePortException when the port range is exhausted
   */
  public CallAudio open(CallId callId, AudioCodec codec) {
    RtpSocketPair sockets = ports.allocate();
    try {
      long ssrc = random.nextLong() & 0xFFFFFFFFL;
      String cname = "wavoice-" + HexFormat.of().toHexDigits((int) ssrc);
      String tag = callId.value();
      ReceptionStatistics reception = new ReceptionStatistics(codec.clockRate());
      InboundStream inbound = new InboundStream(codec, settings.reorderDepthFrames(), reception, clock, tag);
      OutboundEncoder encoder = OutboundEncoder.forCodec(codec, settings.opusBitrateBps(), settings.opusComplexity());
      OutboundFrameQueue queue = new OutboundFrameQueue(settings.outboundQueueFrames(), encoder.maxPayloadBytes());
      EncodeAhead ahead = codec == AudioCodec.PCMU ? null // the frame is the payload: nothing to encode
          : new EncodeAhead(queue, encoder, encoders, AudioFormats.bridgeFrameBytes(codec));
      if (ahead != null) {
        queue.encodeWith(ahead::request);
      }
      OutboundAudio outbound = new OutboundAudio(codec, queue, encoder, ahead);
      RtcpReporter rtcpOut = new RtcpReporter(ssrc, cname, sockets.rtcp(), reception, wallClock,
          settings.rtcpInterval().toNanos(), new SplittableRandom(random.nextLong()));
      RtpSender sender = new RtpSender(codec, ssrc, random.nextInt(1 << 16), random.nextLong(), queue,
          encoder.silencePayload(), sockets.rtp(), rtcpOut, tag);
      RtcpReceiver rtcpIn = new RtcpReceiver(ssrc, codec.clockRate(), reception, clock);
      CallAudio audio = new CallAudio(callId, codec, sockets, settings.advertiseAddress(), cname, inbound, outbound, queue,
          sender, rtcpOut, rtcpIn, foreign, pacer, clock, open::remove);
      open.add(audio);
      return audio;
    } catch (RuntimeException e) {
      sockets.close();
      throw e;
    }
  }

  /** Calls whose audio is open. */
  public int openCalls() {
    return open.size();
  }

  /** The application is stopping: no call's sockets or threads outlive it. */
  @PreDestroy
  public void closeAll() {
    for (CallAudio audio : Set.copyOf(open)) {
      audio.close();
    }
    if (ownEncoders != null) {
      ownEncoders.close();
    }
  }

  public PacerStats pacerStats() {
    return pacer.stats();
  }

  public AudioSettings settings() {
    return settings;
  }
}
