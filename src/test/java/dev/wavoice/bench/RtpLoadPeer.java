package dev.wavoice.bench;

import dev.wavoice.audio.MuLaw;
import dev.wavoice.audio.OpusFrameEncoder;
import dev.wavoice.audio.RtpHeader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The Kurento side of the pacer benchmark, in its own process so its CPU and scheduling do not count
 * as wavoice's: sends every call 20 ms frames of a tone (PCMU or Opus), and receives what wavoice's
 * pacer sends, measuring per call the arrival gaps, bursts (4 or more frames each under 5 ms after the
 * previous) and sequence breaks.
 *
 * <p>Line protocol on stdin/stdout: prints {@code PORT p}; reads {@code START codec port...},
 * {@code MEASURE}, {@code STOP}; prints {@code RESULT key=value ...}.
 */
public final class RtpLoadPeer {

  static final long FRAME_NANOS = 20_000_000L;
  static final long BURST_GAP_NANOS = 5_000_000L;

  static final class Stream {
    long lastArrival;
    int lastSeq = -1;
    int closeGaps;
  }

  private final DatagramChannel rtp;
  private final DatagramChannel rtcp;
  private final Histogram gapJitterMicros = new Histogram(1, 10_000_000, 3);
  private final Map<Long, Stream> streams = new HashMap<>();
  private volatile boolean measuring;
  private long packets;
  private long bursts;
  private long sequenceBreaks;
  private long sendLateTicks;

  private RtpLoadPeer() throws IOException {
    DatagramChannel[] pair = evenOddPair();
    rtp = pair[0];
    rtcp = pair[1];
    rtp.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
  }

  private static DatagramChannel[] evenOddPair() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    while (true) {
      DatagramChannel first = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
      int port = ((InetSocketAddress) first.getLocalAddress()).getPort();
      if (port % 2 == 0 && port < 65535) {
        try {
          return new DatagramChannel[] {first, DatagramChannel.open().bind(new InetSocketAddress(loopback, port + 1))};
        } catch (IOException taken) {
          // try again
        }
      }
      first.close();
    }
  }

  public static void main(String[] args) throws Exception {
    RtpLoadPeer peer = new RtpLoadPeer();
    System.out.println("PORT " + ((InetSocketAddress) peer.rtp.getLocalAddress()).getPort());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    String[] start = in.readLine().split(" ");
    String codec = start[1];
    List<InetSocketAddress> calls = new ArrayList<>();
    for (int i = 2; i < start.length; i++) {
      calls.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(start[i])));
    }
    Thread.ofPlatform().daemon(true).name("peer-rtcp").start(peer::drainRtcp);
    Thread.ofPlatform().daemon(true).priority(Thread.MAX_PRIORITY).name("peer-receive").start(peer::receive);
    Thread.ofPlatform().daemon(true).priority(Thread.MAX_PRIORITY).name("peer-send").start(() -> peer.send(codec, calls));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("MEASURE")) {
        peer.startMeasuring();
      } else if (line.equals("STOP")) {
        System.out.println(peer.stopMeasuring());
        System.out.flush();
        return;
      }
    }
  }

  private synchronized void startMeasuring() {
    gapJitterMicros.reset();
    streams.clear();
    packets = 0;
    bursts = 0;
    sequenceBreaks = 0;
    sendLateTicks = 0;
    measuring = true;
  }

  private synchronized String stopMeasuring() {
    measuring = false;
    return "RESULT packets=" + packets + " streams=" + streams.size()
        + " gapP50us=" + gapJitterMicros.getValueAtPercentile(50) + " gapP99us=" + gapJitterMicros.getValueAtPercentile(99)
        + " gapMaxUs=" + gapJitterMicros.getMaxValue() + " bursts=" + bursts + " sequenceBreaks=" + sequenceBreaks
        + " peerSendLateTicks=" + sendLateTicks;
  }

  private void receive() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    byte[] header = new byte[RtpHeader.FIXED_LENGTH];
    try {
      while (true) {
        buffer.clear();
        rtp.receive(buffer);
        long now = System.nanoTime();
        buffer.flip();
        if (buffer.remaining() < RtpHeader.FIXED_LENGTH || !measuring) {
          continue;
        }
        buffer.get(header);
        record(RtpHeader.ssrc(header, 0), RtpHeader.sequenceNumber(header, 0), now);
      }
    } catch (IOException e) {
      // closed at exit
    }
  }

  private synchronized void record(long ssrc, int seq, long now) {
    packets++;
    Stream s = streams.computeIfAbsent(ssrc, k -> new Stream());
    if (s.lastSeq >= 0) {
      long gap = now - s.lastArrival;
      gapJitterMicros.recordValue(Math.max(1, Math.abs(gap - FRAME_NANOS) / 1000));
      if (gap < BURST_GAP_NANOS) {
        if (++s.closeGaps == 3) {
          bursts++; // the 4th frame in a row, each under 5 ms after the one before
        }
      } else {
        s.closeGaps = 0;
      }
      if (seq != ((s.lastSeq + 1) & 0xFFFF)) {
        sequenceBreaks++;
      }
    }
    s.lastSeq = seq;
    s.lastArrival = now;
  }

  private void drainRtcp() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    try {
      while (true) {
        buffer.clear();
        rtcp.receive(buffer);
      }
    } catch (IOException e) {
      // closed at exit
    }
  }

  /** Kurento's side: one frame per call every 20 ms on its own grid. */
  private void send(String codec, List<InetSocketAddress> calls) {
    byte[][] payloads = payloads(codec);
    int payloadType = codec.equals("opus") ? 111 : 0;
    int samplesPerFrame = codec.equals("opus") ? 960 : 160;
    byte[] packet = new byte[2048];
    ByteBuffer wire = ByteBuffer.allocateDirect(2048);
    long next = System.nanoTime();
    int frame = 0;
    try {
      while (true) {
        long wait;
        while ((wait = next - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        byte[] payload = payloads[frame % payloads.length];
        for (int c = 0; c < calls.size(); c++) {
          RtpHeader.write(packet, 0, false, payloadType, frame & 0xFFFF, (long) frame * samplesPerFrame, 0x10000L + c);
          System.arraycopy(payload, 0, packet, RtpHeader.FIXED_LENGTH, payload.length);
          wire.clear();
          wire.put(packet, 0, RtpHeader.FIXED_LENGTH + payload.length).flip();
          rtp.send(wire, calls.get(c));
        }
        frame++;
        next += FRAME_NANOS;
        if (System.nanoTime() - next > 0) {
          synchronized (this) {
            sendLateTicks++;
          }
          next = System.nanoTime();
        }
      }
    } catch (IOException e) {
      // closed at exit
    }
  }

  /** One second of a 440 Hz tone, as 50 frames of the codec. */
  private static byte[][] payloads(String codec) {
    byte[][] frames = new byte[50][];
    OpusFrameEncoder encoder = codec.equals("opus") ? new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 20_000, 5) : null;
    for (int f = 0; f < 50; f++) {
      if (encoder == null) {
        frames[f] = new byte[160];
        for (int i = 0; i < 160; i++) {
          frames[f][i] = MuLaw.encode((int) (6000 * Math.sin(2 * Math.PI * 440 * (f * 160 + i) / 8000.0)));
        }
      } else {
        short[] pcm = new short[960];
        for (int i = 0; i < 960; i++) {
          pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * (f * 960 + i) / 48_000.0));
        }
        byte[] out = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
        frames[f] = Arrays.copyOf(out, encoder.encode(pcm, 0, out, 0));
      }
    }
    return frames;
  }
}
