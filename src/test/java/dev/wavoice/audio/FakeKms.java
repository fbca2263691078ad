package dev.wavoice.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The UDP side of Kurento's RtpEndpoint as the audio plane sees it: RTP on an even loopback port, RTCP
 * on the port above, symmetric (it sends from the sockets it receives on). Receives with a deadline.
 */
final class FakeKms implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(5);
  static final long SSRC = 0x5EED5EEDL;

  private final DatagramSocket rtp;
  private final DatagramSocket rtcp;

  FakeKms() {
    try {
      DatagramSocket[] pair = LoopbackPorts.evenOddPair();
      rtp = pair[0];
      rtcp = pair[1];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code MediaSession.rtpTarget()} would return. */
  InetSocketAddress rtpTarget() {
    return new InetSocketAddress(rtp.getLocalAddress(), rtp.getLocalPort());
  }

  RtpPacket receiveRtp() {
    byte[] datagram = receive(rtp);
    return RtpPacket.parse(datagram, datagram.length);
  }

  byte[] receiveRtcp() {
    return receive(rtcp);
  }

  void sendRtp(InetSocketAddress to, int payloadType, int seq, long timestamp, byte[] payload) {
    send(rtp, to, RtpPacket.build(payloadType, seq, timestamp, SSRC, payload));
  }

  void sendRawRtp(InetSocketAddress to, byte[] datagram) {
    send(rtp, to, datagram);
  }

  void sendRtcp(InetSocketAddress to, byte[] datagram) {
    send(rtcp, to, datagram);
  }

  private static byte[] receive(DatagramSocket socket) {
    byte[] buf = new byte[2048];
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    try {
      socket.setSoTimeout((int) DEADLINE.toMillis());
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("nothing arrived on port " + socket.getLocalPort() + " within " + DEADLINE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Arrays.copyOf(buf, packet.getLength());
  }

  private static void send(DatagramSocket socket, InetSocketAddress to, byte[] datagram) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    rtp.close();
    rtcp.close();
  }
}
