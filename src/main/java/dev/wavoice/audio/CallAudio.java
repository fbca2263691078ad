package dev.wavoice.audio;

import dev.wavoice.CallId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One call's audio plane: its bound RTP/RTCP sockets, the receive path (running from the moment the
 * sockets are bound, admitting only what comes from Kurento's end once {@link #start} named it, and
 * dropping audio until a sink is attached), and the send path, paced by the shared {@link Pacer} once
 * {@link #start} has pointed it at Kurento.
 *
 * <p>Life cycle, as the call layer drives it: {@link AudioPlane#open} binds the sockets (their advertised
 * address, codec and SSRC go into the RtpEndpoint's SDP offer); {@link #start} points the sockets at the
 * RtpEndpoint's answer and starts sending (silence until the bridge queues audio); the bridge
 * {@link #attach}es its sink and plays through {@link #outbound()}; {@link #close()} ends it all and
 * returns the ports. {@code close()} is idempotent and safe at any point.
 */
public final class CallAudio implements AutoCloseable {

  /** How long close waits for the receive threads to let go of the ports (normally microseconds). */
  private static final Duration RECEIVER_END = Duration.ofSeconds(1);

  private final CallId callId;
  private final AudioCodec codec;
  private final RtpSocketPair sockets;
  private final String cname;
  private final InboundStream inbound;
  private final OutboundAudio outbound;
  private final OutboundFrameQueue queue;
  private final RtpSender sender;
  private final RtcpReporter rtcpOut;
  private final RtcpReceiver rtcpIn;
  private final SourceGate rtpGate;
  private final SourceGate rtcpGate;
  private final InetSocketAddress advertised;
  private final DatagramReceiver rtpReceiver;
  private final DatagramReceiver rtcpReceiver;
  private final Pacer pacer;
  private final MonotonicClock clock;
  private final Consumer<CallAudio> onClose;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  CallAudio(CallId callId, AudioCodec codec, RtpSocketPair sockets, InetAddress advertisedAddress, String cname,
      InboundStream inbound, OutboundAudio outbound, OutboundFrameQueue queue, RtpSender sender, RtcpReporter rtcpOut,
      RtcpReceiver rtcpIn, ForeignPackets foreign, Pacer pacer, MonotonicClock clock, Consumer<CallAudio> onClose) {
    this.callId = callId;
    this.codec = codec;
    this.sockets = sockets;
    this.cname = cname;
    this.inbound = inbound;
    this.outbound = outbound;
    this.queue = queue;
    this.sender = sender;
    this.rtcpOut = rtcpOut;
    this.rtcpIn = rtcpIn;
    this.pacer = pacer;
    this.clock = clock;
    this.onClose = onClose;
    this.advertised = new InetSocketAddress(advertisedAddress, sockets.rtpAddress().getPort());
    this.rtpGate = SourceGate.forRtp(foreign, "wavoice-rtp-" + callId.value());
    this.rtcpGate = SourceGate.forRtcp(foreign, "wavoice-rtcp-" + callId.value());
    this.rtpReceiver = new DatagramReceiver(sockets.rtp(), rtpGate, inbound, Thread.ofPlatform().daemon(true),
        "wavoice-rtp-" + callId.value());
    this.rtcpReceiver = new DatagramReceiver(sockets.rtcp(), rtcpGate, rtcpIn, Thread.ofVirtual(), "wavoice-rtcp-" + callId.value());
    rtpReceiver.start();
    rtcpReceiver.start();
  }

  public CallId callId() {
    return callId;
  }

  public AudioCodec codec() {
    return codec;
  }

  /** The address the RTP socket is bound to (RTCP on the port above). */
  public InetSocketAddress localAddress() {
    return sockets.rtpAddress();
  }

  /**
   * Where Kurento must send RTP (RTCP goes to the port above), for the RtpEndpoint's SDP offer: the
   * bound port at {@code wavoice.media.rtp-advertise-address} (by default the bind address).
   */
  public InetSocketAddress advertisedAddress() {
    return advertised;
  }

  /** Our RTP SSRC, unsigned 32 bits (for the SDP's {@code a=ssrc}). */
  public long ssrc() {
    return sender.ssrc();
  }

  /** Our RTCP CNAME (for the SDP's {@code a=ssrc:… cname:}). */
  public String cname() {
    return cname;
  }

  /** As {@link #start(RtpRemote)} with {@link RtpRemote#at}: RTCP on the port above, accepted only from that address. */
  public void start(InetSocketAddress rtpTarget) {
    start(RtpRemote.at(rtpTarget));
  }

  /**
   * Points RTP and RTCP at Kurento's RtpEndpoint ({@code MediaSession.rtpTarget()}), admits from now on
   * only what comes from it (until then nothing is), and starts sending one frame per pacer tick. Once only.
   */
  public void start(RtpRemote remote) {
    Objects.requireNonNull(remote, "remote");
    if (closed.get()) {
      throw new IllegalStateException(callId + ": audio already closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException(callId + ": audio already started");
    }
    rtpGate.expect(remote);
    rtcpGate.expect(remote);
    sender.pointAt(remote.rtp());
    rtcpOut.pointAt(remote.rtcp());
    pacer.register(sender);
  }

  /** Where received audio goes from now on (null: dropped). */
  public void attach(InboundAudioSink sink) {
    inbound.attach(sink);
  }

  /**
   * When the RTP packet whose audio the sink is being given arrived (monotonic clock): for latency
   * measurements. Only meaningful on the sink's thread, during {@link InboundAudioSink#onFrame}.
   */
  public long packetArrivalNanos() {
    return inbound.arrivalNanos();
  }

  /**
   * Tells {@code observer} once when the first RTP packet from Kurento (the caller's audio) arrived, as
   * this plane's monotonic nanos; on the receive thread, or at once if it already came. One observer.
   */
  public void onFirstPacket(LongConsumer observer) {
    inbound.onFirstPacket(Objects.requireNonNull(observer, "observer"));
  }

  /** Datagrams dropped on both sockets so far because they did not come from the RtpEndpoint. */
  public long foreignPacketsDropped() {
    return rtpGate.dropped() + rtcpGate.dropped();
  }

  /** Datagrams admitted on the RTP socket so far; cheap to read (no snapshot of the other counters). */
  public long packetsReceived() {
    return inbound.packets();
  }

  /** The bot's side: queue, flush, playback accounting. */
  public OutboundAudio outbound() {
    return outbound;
  }

  public CallAudioStats stats() {
    return new CallAudioStats(inbound.stats(), outbound.stats(sender), rtcpIn.stats(rtcpOut));
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      pacer.unregister(sender);
      if (started.get()) {
        rtcpOut.sendBye(clock.nanoTime());
      }
    } finally {
      inbound.attach(null);
      sockets.close();
      rtpReceiver.awaitEnd(RECEIVER_END);
      rtcpReceiver.awaitEnd(RECEIVER_END);
      queue.close();
      onClose.accept(this);
    }
  }

  @Override
  public String toString() {
    return "CallAudio[" + callId + ", " + codec + ", " + sockets.rtpAddress() + "]";
  }
}
