package dev.wavoice.testkit.rtp;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.audio.Tones;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * wavoice's side of the RTP leg in tests: a UDP socket pair on loopback (RTP on an even port, RTCP on
 * the next) that records every RTP packet it receives and can send a PCMU tone paced at 20 ms, like
 * the audio plane does.
 */
public final class RtpPeer implements AutoCloseable {

  private final DatagramSocket rtp;
  private final DatagramSocket rtcp;
  private final long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
  private final List<RtpPacket> received = new CopyOnWriteArrayList<>();
  private final AtomicLong rtcpReceived = new AtomicLong();
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rtp-peer-sender");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger sent = new AtomicInteger();
  private volatile ScheduledFuture<?> sending;

  private RtpPeer(DatagramSocket rtp, DatagramSocket rtcp) {
    this.rtp = rtp;
    this.rtcp = rtcp;
    Thread.ofPlatform().daemon().name("rtp-peer-rtp").start(() -> receive(rtp, true));
    Thread.ofPlatform().daemon().name("rtp-peer-rtcp").start(() -> receive(rtcp, false));
  }

  /** Binds an even RTP port from the kernel and the next one for RTCP, on 127.0.0.1. */
  public static RtpPeer open() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 50; attempt++) {
      DatagramSocket rtp = null;
      try {
        rtp = new DatagramSocket(new InetSocketAddress(loopback, 0));
        int port = rtp.getLocalPort();
        if (port % 2 == 0 && port < 65535) {
          DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(loopback, port + 1));
          return new RtpPeer(rtp, rtcp);
        }
      } catch (SocketException e) {
        // the odd port was taken: try another pair
      }
      if (rtp != null) {
        rtp.close();
      }
    }
    throw new IllegalStateException("no free even/odd UDP port pair on loopback");
  }

  public InetSocketAddress local() {
    return (InetSocketAddress) rtp.getLocalSocketAddress();
  }

  public RtpLeg leg(AudioCodec codec) {
    return new RtpLeg(local(), codec, ssrc);
  }

  public long ssrc() {
    return ssrc;
  }

  private void receive(DatagramSocket socket, boolean isRtp) {
    byte[] buffer = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        return;
      }
      if (isRtp) {
        RtpPacket rtpPacket = RtpPacket.parse(packet.getData(), packet.getLength(), System.nanoTime());
        if (rtpPacket != null) {
          received.add(rtpPacket);
        }
      } else {
        rtcpReceived.incrementAndGet();
      }
    }
  }

  public List<RtpPacket> received() {
    return List.copyOf(received);
  }

  public long rtcpReceived() {
    return rtcpReceived.get();
  }

  public List<RtpPacket> awaitPackets(int count, Duration deadline) {
    Await.until(deadline, count + " RTP packets at " + local() + " (have " + received.size() + ")", () -> received.size() >= count);
    return received();
  }

  /** The µ-law payloads of every received packet with this payload type, in arrival order, decoded. */
  public short[] receivedPcmu() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (RtpPacket p : received) {
      if (p.payloadType() == 0) {
        bytes.writeBytes(p.payload());
      }
    }
    byte[] all = bytes.toByteArray();
    return Tones.fromMulaw(all, 0, all.length);
  }

  /** Sends one RTP packet now, from the RTP socket (Kurento's RtpEndpoint is symmetric). */
  public void send(InetSocketAddress target, byte[] datagram) {
    try {
      rtp.send(new DatagramPacket(datagram, datagram.length, target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts sending a PCMU tone to {@code target}, one 20 ms frame every 20 ms, until {@link #stopSending()}. */
  public void sendPcmuTone(InetSocketAddress target, double hz, int amplitude) {
    int samples = AudioCodec.PCMU.samplesPerFrame();
    AtomicInteger frame = new AtomicInteger();
    int firstSeq = ThreadLocalRandom.current().nextInt(1 << 16);
    long firstTs = ThreadLocalRandom.current().nextLong(1L << 32);
    sending = sender.scheduleAtFixedRate(() -> {
      int n = frame.getAndIncrement();
      byte[] payload = Tones.toMulaw(Tones.sine(hz, 8000, (long) n * samples, samples, amplitude));
      send(target, RtpPacket.build(0, (firstSeq + n) & 0xFFFF, (firstTs + (long) n * samples) & 0xFFFFFFFFL, ssrc, n == 0, payload));
      sent.incrementAndGet();
    }, 0, AudioCodec.FRAME_MS, TimeUnit.MILLISECONDS);
  }

  public int sentPackets() {
    return sent.get();
  }

  public void stopSending() {
    ScheduledFuture<?> s = sending;
    if (s != null) {
      s.cancel(false);
    }
  }

  @Override
  public void close() {
    stopSending();
    sender.shutdownNow();
    rtp.close();
    rtcp.close();
  }
}
