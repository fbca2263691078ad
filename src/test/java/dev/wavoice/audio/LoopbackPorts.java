package dev.wavoice.audio;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Port ranges for tests that need a real allocator: a random stretch of even/odd UDP pairs on loopback
 * below the ephemeral range, checked free just before use (other tests run on this machine at the same
 * time, so no fixed ports).
 */
final class LoopbackPorts {

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private LoopbackPorts() {}

  static PortRange freeRange(int pairs) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = 20_000 + 2 * ThreadLocalRandom.current().nextInt(5_000);
      if (allFree(first, 2 * pairs)) {
        return new PortRange(first, first + 2 * pairs - 1);
      }
    }
    throw new IllegalStateException("no free run of " + pairs + " UDP port pairs on loopback");
  }

  private static boolean allFree(int first, int count) {
    List<DatagramSocket> held = new ArrayList<>();
    try {
      for (int port = first; port < first + count; port++) {
        held.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, port)));
      }
      return true;
    } catch (SocketException e) {
      return false;
    } finally {
      held.forEach(DatagramSocket::close);
    }
  }

  /** A socket on an even loopback port whose port + 1 is bound too (what Kurento's RtpEndpoint holds). */
  static DatagramSocket[] evenOddPair() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
      if (rtp.getLocalPort() % 2 == 0) {
        try {
          DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, rtp.getLocalPort() + 1));
          return new DatagramSocket[] {rtp, rtcp};
        } catch (SocketException e) {
          // port + 1 taken: try again
        }
      }
      rtp.close();
    }
    throw new IllegalStateException("no free even/odd UDP pair on loopback");
  }
}
