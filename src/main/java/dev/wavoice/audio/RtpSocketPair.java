package dev.wavoice.audio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call's two bound UDP sockets: RTP on an even port, RTCP on the port above it. Closing it closes
 * both (which ends their receive threads) and returns the ports to the allocator, once.
 */
public final class RtpSocketPair implements AutoCloseable {

  /** Receive buffers are this large; RTP from Kurento stays far below (its MTU is 1200). */
  public static final int MAX_DATAGRAM_BYTES = 2048;

  private final DatagramChannel rtp;
  private final DatagramChannel rtcp;
  private final InetSocketAddress rtpAddress;
  private final InetSocketAddress rtcpAddress;
  private final Runnable release;
  private final AtomicBoolean closed = new AtomicBoolean();

  RtpSocketPair(DatagramChannel rtp, DatagramChannel rtcp, Runnable release) throws IOException {
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.rtpAddress = (InetSocketAddress) rtp.getLocalAddress();
    this.rtcpAddress = (InetSocketAddress) rtcp.getLocalAddress();
    this.release = release;
  }

  /** Where Kurento sends our RTP (the address written into the RtpEndpoint's SDP offer). */
  public InetSocketAddress rtpAddress() {
    return rtpAddress;
  }

  public InetSocketAddress rtcpAddress() {
    return rtcpAddress;
  }

  DatagramChannel rtp() {
    return rtp;
  }

  DatagramChannel rtcp() {
    return rtcp;
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(rtp);
    closeQuietly(rtcp);
    release.run();
  }

  private static void closeQuietly(DatagramChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do: the descriptor is released either way
    }
  }
}
