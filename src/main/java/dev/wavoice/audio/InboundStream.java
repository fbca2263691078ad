package dev.wavoice.audio;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The receive path of one call, on its receive thread: RTP datagram → header checks → reception
 * statistics → {@link ReorderBuffer} → timeline (lost time filled, from the RTP timestamps) →
 * {@link InboundDecoder} → 20 ms frames → {@link InboundAudioSink}.
 *
 * <p>Lost time is measured by timestamps, not packet counts, so it stays right whatever the packet
 * duration Kurento chose. A timestamp jump over {@value #MAX_CONCEALED_MS} ms, or backwards, is a
 * restarted stream rather than loss: it is counted and not filled.
 */
final class InboundStream implements DatagramReceiver.Handler, ReorderBuffer.Output, FrameSplitter.FrameConsumer {

  private static final Logger LOG = Logger.getLogger(InboundStream.class.getName());
  static final int MAX_CONCEALED_MS = 1000;

  private final AudioCodec codec;
  private final MonotonicClock clock;
  private final ReceptionStatistics reception;
  private final ReorderBuffer reorder;
  private final FrameSplitter frames;
  private final InboundDecoder decoder;
  private final int maxConcealedSamples;
  private final String callTag;

  /** Marks {@link #firstPacketObserver} as used: the first packet has been reported. */
  private static final LongConsumer REPORTED = at -> {};

  private volatile InboundAudioSink sink = InboundAudioSink.DISCARD;
  private final AtomicReference<LongConsumer> firstPacketObserver = new AtomicReference<>();
  private volatile long firstPacketNanos;
  private boolean firstPacketSeen;

  private boolean haveExpected;
  private long expectedTimestamp;
  /** When the packet being processed arrived; read by the sink on this thread. */
  private long arrivalNanos;

  // single writer (the receive thread); volatile so stats readers see them
  private volatile long packets;
  private volatile long invalidPackets;
  private volatile long foreignPackets;
  private volatile long corruptPayloads;
  private volatile long concealedSamples;
  private volatile long timestampJumps;
  private volatile long framesDelivered;
  private volatile long sinkFailures;

  InboundStream(AudioCodec codec, int reorderDepth, ReceptionStatistics reception, MonotonicClock clock, String callTag) {
    this.codec = codec;
    this.clock = clock;
    this.reception = reception;
    this.callTag = callTag;
    this.reorder = new ReorderBuffer(reorderDepth, this);
    this.frames = new FrameSplitter(AudioFormats.bridgeFrameBytes(codec), this);
    this.decoder = InboundDecoder.forCodec(codec, frames);
    this.maxConcealedSamples = codec.clockRate() / 1000 * MAX_CONCEALED_MS;
  }

  void attach(InboundAudioSink sink) {
    this.sink = sink == null ? InboundAudioSink.DISCARD : sink;
  }

  /**
   * Tells {@code observer} once when the first valid RTP packet arrived (monotonic nanos), from the receive
   * thread; at once from this thread if it already has. One observer per stream.
   */
  void onFirstPacket(LongConsumer observer) {
    if (!firstPacketObserver.compareAndSet(null, observer)) {
      if (firstPacketObserver.get() != REPORTED) {
        throw new IllegalStateException(callTag + ": the first packet already has an observer");
      }
      notifyFirstPacket(observer, firstPacketNanos);
    }
  }

  @Override
  public void onDatagram(byte[] buf, int len) {
    packets++;
    int payloadLength = RtpHeader.payloadLength(buf, 0, len);
    if (payloadLength < 0) {
      invalidPackets++;
      return;
    }
    if (!firstPacketSeen) { // once per call: the per-packet cost is this branch
      firstPacketSeen = true;
      firstPacketNanos = clock.nanoTime();
      LongConsumer observer = firstPacketObserver.getAndSet(REPORTED);
      if (observer != null) {
        notifyFirstPacket(observer, firstPacketNanos);
      }
    }
    if (RtpHeader.payloadType(buf, 0) != codec.payloadType()) {
      foreignPackets++; // e.g. comfort noise or DTMF: not negotiated on this leg
      return;
    }
    long ssrc = RtpHeader.ssrc(buf, 0); // one SSRC: the SourceGate in front admits no other
    int seq = RtpHeader.sequenceNumber(buf, 0);
    long timestamp = RtpHeader.timestamp(buf, 0);
    arrivalNanos = clock.nanoTime();
    reception.onPacket(ssrc, seq, timestamp, arrivalNanos);
    int headerLength = RtpHeader.headerLength(buf, 0, len);
    reorder.push(seq, timestamp, buf, headerLength, payloadLength);
  }

  @Override
  public void onPacket(int sequenceNumber, long timestamp, byte[] payload, int off, int len) {
    if (haveExpected) {
      int gap = (int) (timestamp - expectedTimestamp); // wrap-safe in 32 bits
      if (gap > 0 && gap <= maxConcealedSamples) {
        decoder.conceal(gap);
        concealedSamples += gap;
      } else if (gap != 0) {
        timestampJumps++;
      }
    }
    int samples = decoder.decode(payload, off, len);
    if (samples < 0) {
      corruptPayloads++;
      samples = codec.samplesPerFrame(); // assume one frame's worth and keep the timeline whole
      decoder.conceal(samples);
      concealedSamples += samples;
    }
    expectedTimestamp = (timestamp + samples) & 0xFFFFFFFFL;
    haveExpected = true;
  }

  @Override
  public void onFrame(byte[] frame, int off, int len) {
    framesDelivered++;
    try {
      sink.onFrame(frame, off, len);
    } catch (RuntimeException e) {
      if (sinkFailures++ == 0) {
        LOG.log(Level.WARNING, callTag + ": the inbound audio sink failed (further failures are only counted)", e);
      }
    }
  }

  private void notifyFirstPacket(LongConsumer observer, long at) {
    try {
      observer.accept(at);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, callTag + ": the first-packet observer failed", e);
    }
  }

  /** Datagrams received so far (a volatile read: cheap enough for a periodic check). */
  long packets() {
    return packets;
  }

  long arrivalNanos() {
    return arrivalNanos;
  }

  InboundStats stats() {
    return new InboundStats(packets, invalidPackets, foreignPackets, reorder.delivered(), reorder.lost(),
        reorder.late(), reorder.duplicates(), reorder.resyncs() + timestampJumps, corruptPayloads,
        concealedSamples * 1000 / codec.clockRate(), framesDelivered, sinkFailures, reception.jitterSamples() * 1000_000 / codec.clockRate());
  }
}
