package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RtpPortAllocatorTest {

  final PortRange range = LoopbackPorts.freeRange(3);
  final RtpPortAllocator allocator = new RtpPortAllocator(LoopbackPorts.LOOPBACK, range);

  @Test
  void bindsAnEvenRtpPortWithRtcpAboveIt() {
    try (RtpSocketPair pair = allocator.allocate()) {
      assertThat(pair.rtpAddress().getPort()).isEqualTo(range.first());
      assertThat(pair.rtcpAddress().getPort()).isEqualTo(range.first() + 1);
      assertThat(pair.rtpAddress().getAddress()).isEqualTo(LoopbackPorts.LOOPBACK);
      assertThat(allocator.inUse()).isEqualTo(1);
    }
    assertThat(allocator.inUse()).isZero();
  }

  @Test
  void skipsAPortHeldByAnotherSocket() throws Exception {
    try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(LoopbackPorts.LOOPBACK, range.first()));
        RtpSocketPair pair = allocator.allocate()) {
      assertThat(other.isBound()).isTrue();
      assertThat(pair.rtpAddress().getPort()).isEqualTo(range.first() + 2);
    }
  }

  @Test
  void skipsAPairWhoseRtcpPortIsHeld() throws Exception {
    try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(LoopbackPorts.LOOPBACK, range.first() + 1));
        RtpSocketPair pair = allocator.allocate()) {
      assertThat(other.isBound()).isTrue();
      assertThat(pair.rtpAddress().getPort()).isEqualTo(range.first() + 2);
    }
    // the RTP socket it had opened on the first port was closed again
    try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(LoopbackPorts.LOOPBACK, range.first()))) {
      assertThat(again.isBound()).isTrue();
    }
  }

  @Test
  void anExhaustedRangeFailsClearlyAndClosedPairsComeBack() {
    RtpSocketPair a = allocator.allocate();
    RtpSocketPair b = allocator.allocate();
    RtpSocketPair c = allocator.allocate();
    assertThat(allocator.inUse()).isEqualTo(3);
    assertThatThrownBy(allocator::allocate)
        .isInstanceOf(RtpPortAllocator.NoFreePortException.class)
        .hasMessageContaining(range.toString())
        .hasMessageContaining("3 of 3 pairs held by wavoice");

    b.close();
    b.close(); // idempotent: releases once
    assertThat(allocator.inUse()).isEqualTo(2);
    try (RtpSocketPair again = allocator.allocate()) {
      assertThat(again.rtpAddress().getPort()).isEqualTo(b.rtpAddress().getPort());
    }
    a.close();
    c.close();
    assertThat(allocator.inUse()).isZero();
  }

  @Test
  void movesRoundTheRangeInsteadOfReusingTheLastPort() {
    int first;
    try (RtpSocketPair pair = allocator.allocate()) {
      first = pair.rtpAddress().getPort();
    }
    try (RtpSocketPair next = allocator.allocate()) {
      assertThat(next.rtpAddress().getPort()).isEqualTo(first + 2);
    }
  }

  @Test
  void refusesABindAddressThatIsNotOurs() throws Exception {
    assertThatThrownBy(() -> new RtpPortAllocator(InetAddress.getByName("192.0.2.1"), range))
        .hasMessageContaining("wavoice.media.rtp-bind-address 192.0.2.1");
  }

  @Test
  void bindsTheWildcardAddress() throws Exception {
    // allowed once an advertise address says where Kurento sends (AudioSettings checks that)
    try (RtpSocketPair pair = new RtpPortAllocator(InetAddress.getByName("0.0.0.0"), range).allocate()) {
      assertThat(pair.rtpAddress().getAddress().isAnyLocalAddress()).isTrue();
      assertThat(pair.rtcpAddress().getPort()).isEqualTo(pair.rtpAddress().getPort() + 1);
    }
  }
}
