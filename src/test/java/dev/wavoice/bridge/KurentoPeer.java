package dev.wavoice.bridge;

import dev.wavoice.audio.RtpHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * Stands in for Kurento's RtpEndpoint on loopback: RTP on an even port, RTCP on the port above (drained
 * and ignored), symmetric. It sends the caller's RTP to the bridge and receives what the bridge's pacer
 * sends. Loopback UDP is delivered while {@code send} runs, so right after a pacer tick the tick's
 * packet is there and {@link #poll()} tells reliably whether anything more came.
 */
final class KurentoPeer implements AutoCloseable {

  static final long SSRC = 0x6B6D5301L;

  /** A received RTP packet. */
  record Packet(int payloadType, boolean marker, int sequenceNumber, long timestamp, long ssrc, byte[] payload) {}

  private final DatagramChannel rtp;
  private final DatagramChannel rtcp;
  private final ByteBuffer in = ByteBuffer.allocate(2048);
  private int sequenceNumber = 4000;
  private long timestamp = 90_000;

  KurentoPeer() {
    DatagramChannel[] pair = evenOddPair();
    rtp = pair[0];
    rtcp = pair[1];
  }

  private static DatagramChannel[] evenOddPair() {
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      while (true) {
        DatagramChannel even = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        int port = ((InetSocketAddress) even.getLocalAddress()).getPort();
        if (port % 2 == 0 && port < 65535) {
          try {
            DatagramChannel odd = DatagramChannel.open().bind(new InetSocketAddress(loopback, port + 1));
            even.configureBlocking(false);
            odd.configureBlocking(false);
            return new DatagramChannel[] {even, odd};
          } catch (IOException taken) {
            // port + 1 is someone else's: try another pair
          }
        }
        even.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code MediaSession.rtpTarget()} would be. */
  InetSocketAddress rtpTarget() {
    try {
      return (InetSocketAddress) rtp.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one packet of the caller's audio to {@code to}, the next in sequence (RTP timestamp + samples). */
  void send(InetSocketAddress to, int payloadType, int samples, byte[] payload) {
    byte[] packet = new byte[RtpHeader.FIXED_LENGTH + payload.length];
    RtpHeader.write(packet, 0, false, payloadType, sequenceNumber, timestamp, SSRC);
    System.arraycopy(payload, 0, packet, RtpHeader.FIXED_LENGTH, payload.length);
    sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
    timestamp = (timestamp + samples) & 0xFFFFFFFFL;
    try {
      rtp.send(ByteBuffer.wrap(packet), to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next RTP packet already received, or null if none is there. */
  Packet poll() {
    try {
      while (rtcp.receive(in.clear()) != null) {
        // RTCP is the audio plane's business: not looked at here
      }
      in.clear();
      if (rtp.receive(in) == null) {
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    in.flip();
    byte[] datagram = Arrays.copyOf(in.array(), in.limit());
    int header = RtpHeader.headerLength(datagram, 0, datagram.length);
    int length = RtpHeader.payloadLength(datagram, 0, datagram.length);
    if (header < 0 || length < 0) {
      throw new AssertionError("not RTP: " + datagram.length + " bytes");
    }
    return new Packet(RtpHeader.payloadType(datagram, 0), RtpHeader.marker(datagram, 0),
        RtpHeader.sequenceNumber(datagram, 0), RtpHeader.timestamp(datagram, 0), RtpHeader.ssrc(datagram, 0),
        Arrays.copyOfRange(datagram, header, header + length));
  }

  @Override
  public void close() {
    try {
      rtp.close();
      rtcp.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
