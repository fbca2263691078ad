package dev.wavoice.audio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads one UDP socket on its own thread and hands each datagram its {@link SourceGate} admits to a
 * handler, reusing one buffer (the JDK reuses the sender's address while it does not change): it
 * blocks only on its own socket and allocates nothing per packet. It ends when the socket is closed. A
 * handler failure is counted and logged (the first one), never fatal to the loop.
 *
 * <p>The caller chooses the thread: a platform thread for RTP (50 packets a second: parking and waking a
 * virtual thread that often costs more CPU and allocates ~45 bytes per packet in the JDK, see
 * {@code docs/performance.md}), a virtual thread for RTCP (a packet every few seconds).
 */
final class DatagramReceiver {

  private static final Logger LOG = Logger.getLogger(DatagramReceiver.class.getName());

  /** Receives one datagram; the buffer is only valid during the call. */
  interface Handler {
    void onDatagram(byte[] buf, int len);
  }

  private final DatagramChannel channel;
  private final SourceGate gate;
  private final Handler handler;
  private final String name;
  private final Thread.Builder threads;
  private volatile long handlerFailures;
  private Thread thread;

  DatagramReceiver(DatagramChannel channel, SourceGate gate, Handler handler, Thread.Builder threads, String name) {
    this.channel = channel;
    this.gate = gate;
    this.handler = handler;
    this.threads = threads;
    this.name = name;
  }

  synchronized void start() {
    if (thread == null) {
      thread = threads.name(name).start(this::run);
    }
  }

  /**
   * Waits, at most {@code deadline}, for the loop to end after the socket was closed: a receive blocked at
   * that moment keeps the port bound until it returns, and the port should be free once the call is.
   */
  void awaitEnd(Duration deadline) {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      t.join(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    // a direct buffer: the channel reads into it without an intermediate copy; then one copy to the array
    ByteBuffer direct = ByteBuffer.allocateDirect(RtpSocketPair.MAX_DATAGRAM_BYTES);
    byte[] packet = new byte[RtpSocketPair.MAX_DATAGRAM_BYTES];
    while (channel.isOpen()) {
      try {
        direct.clear();
        SocketAddress from = channel.receive(direct);
        if (from == null) {
          continue;
        }
        direct.flip();
        int len = direct.remaining();
        direct.get(packet, 0, len);
        if (gate.admits(from, packet, len)) {
          handle(packet, len);
        }
      } catch (ClosedChannelException e) {
        return; // the call ended
      } catch (IOException e) {
        if (!channel.isOpen()) {
          return;
        }
        LOG.log(Level.FINE, name + ": receive failed", e); // e.g. ICMP port unreachable echoed on Linux
      }
    }
  }

  private void handle(byte[] packet, int len) {
    try {
      handler.onDatagram(packet, len);
    } catch (RuntimeException e) {
      if (handlerFailures++ == 0) {
        LOG.log(Level.WARNING, name + ": a datagram could not be processed (further failures are only counted)", e);
      }
    }
  }
}
