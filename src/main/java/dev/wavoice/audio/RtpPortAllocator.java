package dev.wavoice.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out RTP/RTCP port pairs from the configured range on the bind address. A pair is only handed
 * out once both sockets are really bound, so ports another process holds are skipped. Ports come back
 * when the pair is closed. Allocation moves round the range rather than reusing the port just
 * released, so late packets of an ended call do not reach the next one. Thread-safe.
 */
public final class RtpPortAllocator {

  private final InetAddress bindAddress;
  private final PortRange range;
  private final Set<Integer> inUse = new HashSet<>();
  private int cursor;

  public RtpPortAllocator(InetAddress bindAddress, PortRange range) {
    this.bindAddress = bindAddress;
    this.range = range;
    if (!bindAddress.isAnyLocalAddress() && !isLocal(bindAddress)) {
      throw new IllegalArgumentException("wavoice.media.rtp-bind-address " + bindAddress.getHostAddress()
          + " is not an address of this host");
    }
  }

  /**
   * Binds a free pair.
   *
   * @throws NoFreePortException when every pair of the range is taken (by wavoice or another process)
   * @throws UncheckedIOException when a socket cannot be opened for another reason
   */
  public synchronized RtpSocketPair allocate() {
    int pairs = range.pairs();
    for (int i = 0; i < pairs; i++) {
      int index = (cursor + i) % pairs;
      int port = range.rtpPort(index);
      if (inUse.contains(port)) {
        continue;
      }
      DatagramChannel rtp = bind(port);
      if (rtp == null) {
        continue;
      }
      DatagramChannel rtcp = bind(port + 1);
      if (rtcp == null) {
        close(rtp);
        continue;
      }
      inUse.add(port);
      cursor = (index + 1) % pairs;
      try {
        return new RtpSocketPair(rtp, rtcp, () -> release(port));
      } catch (IOException e) {
        close(rtp);
        close(rtcp);
        release(port);
        throw new UncheckedIOException(e);
      }
    }
    throw new NoFreePortException("no free RTP/RTCP port pair in " + range + " on " + bindAddress.getHostAddress()
        + " (" + inUse.size() + " of " + pairs + " pairs held by wavoice, the rest by other processes)");
  }

  /** Pairs wavoice holds now. */
  public synchronized int inUse() {
    return inUse.size();
  }

  private synchronized void release(int port) {
    inUse.remove(port);
  }

  /** The bound channel, or null when the port is taken. */
  private DatagramChannel bind(int port) {
    DatagramChannel channel = null;
    try {
      channel = DatagramChannel.open(bindAddress instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      channel.bind(new InetSocketAddress(bindAddress, port));
      return channel;
    } catch (BindException e) {
      close(channel);
      return null;
    } catch (IOException e) {
      close(channel);
      throw new UncheckedIOException("cannot open a UDP socket on " + bindAddress.getHostAddress() + ":" + port, e);
    }
  }

  private static void close(DatagramChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a socket that failed to bind
      }
    }
  }

  private static boolean isLocal(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  /** Every port pair of the range is taken. */
  public static final class NoFreePortException extends RuntimeException {
    public NoFreePortException(String message) {
      super(message);
    }
  }
}
