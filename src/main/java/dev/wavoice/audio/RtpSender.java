package dev.wavoice.audio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The send side of one call, driven by the pacer: each tick takes one frame from the queue (or the
 * silence frame when it is empty), writes the RTP header with the next sequence number and a
 * timestamp one frame later, and sends it to Kurento. Sequence numbers and timestamps stay contiguous
 * whatever the pacer's timing. Reuses one packet buffer. Runs on the pacer thread only (the counters
 * may be read from any thread).
 */
final class RtpSender implements PacedStream {

  private static final Logger LOG = Logger.getLogger(RtpSender.class.getName());

  private final AudioCodec codec;
  private final long ssrc;
  private final OutboundFrameQueue queue;
  private final byte[] silencePayload;
  private final DatagramChannel channel;
  private final RtcpReporter rtcp;
  private final String callTag;
  private final byte[] packet = new byte[RtpSocketPair.MAX_DATAGRAM_BYTES];
  private final ByteBuffer wire = ByteBuffer.allocateDirect(RtpSocketPair.MAX_DATAGRAM_BYTES);

  private volatile InetSocketAddress target;
  private int sequenceNumber;
  private long timestamp;
  private boolean first = true;

  // single writer (the pacer thread); volatile so stats readers see them
  private volatile long packetsSent;
  private volatile long octetsSent;
  private volatile long audioFramesSent;
  private volatile long silenceFramesSent;
  private volatile long sendFailures;

  RtpSender(AudioCodec codec, long ssrc, int initialSequenceNumber, long initialTimestamp, OutboundFrameQueue queue,
      byte[] silencePayload, DatagramChannel channel, RtcpReporter rtcp, String callTag) {
    this.codec = codec;
    this.ssrc = ssrc;
    this.sequenceNumber = initialSequenceNumber & 0xFFFF;
    this.timestamp = initialTimestamp & 0xFFFFFFFFL;
    this.queue = queue;
    this.silencePayload = silencePayload.clone();
    this.channel = channel;
    this.rtcp = rtcp;
    this.callTag = callTag;
  }

  void pointAt(InetSocketAddress rtpTarget) {
    this.target = rtpTarget;
  }

  @Override
  public void sendFrame(long nowNanos) {
    InetSocketAddress to = target;
    if (to == null) {
      return;
    }
    int payloadLength = queue.poll(packet, RtpHeader.FIXED_LENGTH);
    boolean silence = payloadLength < 0;
    if (silence) {
      payloadLength = silencePayload.length;
      System.arraycopy(silencePayload, 0, packet, RtpHeader.FIXED_LENGTH, payloadLength);
    }
    // the marker starts the stream (RFC 3551 §4.1: first packet of a talkspurt)
    RtpHeader.write(packet, 0, first, codec.payloadType(), sequenceNumber, timestamp, ssrc);
    wire.clear();
    wire.put(packet, 0, RtpHeader.FIXED_LENGTH + payloadLength).flip();
    try {
      channel.send(wire, to);
    } catch (IOException e) {
      if (sendFailures++ == 0 && channel.isOpen()) {
        LOG.log(Level.WARNING, callTag + ": RTP send to " + to + " failed (further failures are only counted)", e);
      }
    }
    long sentTimestamp = timestamp;
    first = false;
    sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
    timestamp = (timestamp + codec.samplesPerFrame()) & 0xFFFFFFFFL;
    packetsSent++;
    octetsSent += payloadLength;
    if (silence) {
      silenceFramesSent++;
    } else {
      audioFramesSent++;
    }
    rtcp.onRtpSent(nowNanos, sentTimestamp, packetsSent, octetsSent);
    if (!silence) {
      queue.announceSent();
    }
  }

  long ssrc() {
    return ssrc;
  }

  long audioFramesSent() {
    return audioFramesSent;
  }

  long silenceFramesSent() {
    return silenceFramesSent;
  }

  long sendFailures() {
    return sendFailures;
  }
}
