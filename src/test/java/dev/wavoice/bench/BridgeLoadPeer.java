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
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The Kurento side of the bridge benchmark, in its own process so its CPU and scheduling are not
 * counted as the bridge's. For every call it plays a caller who talks and listens: a 1 s tone then 3 s
 * of silence, over and over (each call at its own phase), as 20 ms RTP frames (PCMU, or Opus). It
 * receives what the bridges' pacer sends and measures, per call, the bot's turns: the gaps between
 * consecutive frames of one turn (silence frames are not part of a turn), bursts (4 or more frames each
 * under 5 ms after the previous) and sequence breaks.
 *
 * <p>Line protocol on stdin/stdout: prints {@code PORT p}; reads {@code START codec port...},
 * {@code MEASURE}, {@code STOP}; prints {@code RESULT key=value ...}.
 */
public final class BridgeLoadPeer {

  static final long FRAME_NANOS = 20_000_000L;
  static final long BURST_GAP_NANOS = 5_000_000L;
  static final int TALK_FRAMES = 50;
  static final int CYCLE_FRAMES = 200;

  static final class Stream {
    long lastArrival;
    int lastSeq = -1;
    boolean lastWasAudio;
    int closeGaps;
  }

  private final DatagramChannel rtp;
  private final DatagramChannel rtcp;
  private final Histogram gapJitterMicros = new Histogram(1, 10_000_000, 3);
  private final Map<Long, Stream> streams = new HashMap<>();
  private final Map<Long, byte[]> silenceOf = new HashMap<>();
  private volatile boolean measuring;
  private long packets;
  private long audioFrames;
  private long turns;
  private long bursts;
  private long sequenceBreaks;
  private long sendLateTicks;

  private BridgeLoadPeer() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    DatagramChannel even;
    DatagramChannel odd;
    while (true) {
      even = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
      int port = ((InetSocketAddress) even.getLocalAddress()).getPort();
      if (port % 2 == 0 && port < 65535) {
        try {
          odd = DatagramChannel.open().bind(new InetSocketAddress(loopback, port + 1));
          break;
        } catch (IOException taken) {
          // try another pair
        }
      }
      even.close();
    }
    rtp = even;
    rtcp = odd;
    rtp.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
  }

  public static void main(String[] args) throws Exception {
    BridgeLoadPeer peer = new BridgeLoadPeer();
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
    Thread.ofPlatform().daemon(true).priority(Thread.MAX_PRIORITY).name("peer-receive").start(() -> peer.receive(codec));
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
    audioFrames = 0;
    turns = 0;
    bursts = 0;
    sequenceBreaks = 0;
    sendLateTicks = 0;
    measuring = true;
  }

  private synchronized String stopMeasuring() {
    measuring = false;
    return "RESULT packets=" + packets + " streams=" + streams.size() + " audioFrames=" + audioFrames + " turns=" + turns
        + " gapP50us=" + gapJitterMicros.getValueAtPercentile(50) + " gapP99us=" + gapJitterMicros.getValueAtPercentile(99)
        + " gapMaxUs=" + gapJitterMicros.getMaxValue() + " gaps=" + gapJitterMicros.getTotalCount() + " bursts=" + bursts
        + " sequenceBreaks=" + sequenceBreaks + " peerSendLateTicks=" + sendLateTicks;
  }

  private void receive(String codec) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    byte[] packet = new byte[2048];
    try {
      while (true) {
        buffer.clear();
        rtp.receive(buffer);
        long now = System.nanoTime();
        buffer.flip();
        int len = buffer.remaining();
        if (len < RtpHeader.FIXED_LENGTH) {
          continue;
        }
        buffer.get(packet, 0, len);
        record(codec, packet, len, now);
      }
    } catch (IOException e) {
      // closed at exit
    }
  }

  private synchronized void record(String codec, byte[] packet, int len, long now) {
    long ssrc = RtpHeader.ssrc(packet, 0);
    int header = RtpHeader.headerLength(packet, 0, len);
    int payload = RtpHeader.payloadLength(packet, 0, len);
    boolean audio = !isSilence(codec, ssrc, packet, header, payload);
    if (!measuring) {
      return;
    }
    packets++;
    int seq = RtpHeader.sequenceNumber(packet, 0);
    Stream s = streams.computeIfAbsent(ssrc, k -> new Stream());
    if (s.lastSeq >= 0 && seq != ((s.lastSeq + 1) & 0xFFFF)) {
      sequenceBreaks++;
    }
    if (audio) {
      audioFrames++;
      if (s.lastSeq >= 0 && s.lastWasAudio) {
        long gap = now - s.lastArrival;
        gapJitterMicros.recordValue(Math.max(1, Math.abs(gap - FRAME_NANOS) / 1000));
        if (gap < BURST_GAP_NANOS) {
          if (++s.closeGaps == 3) {
            bursts++; // the 4th frame in a row, each under 5 ms after the one before
          }
        } else {
          s.closeGaps = 0;
        }
      } else {
        turns++;
        s.closeGaps = 0;
      }
    }
    s.lastWasAudio = audio;
    s.lastSeq = seq;
    s.lastArrival = now;
  }

  /** µ-law silence in PCMU mode; in Opus mode the pacer's pre-encoded silence frame, the first thing each call sends. */
  private boolean isSilence(String codec, long ssrc, byte[] packet, int off, int len) {
    if (codec.equals("pcmu")) {
      for (int i = off; i < off + len; i++) {
        if (packet[i] != MuLaw.SILENCE) {
          return false;
        }
      }
      return true;
    }
    byte[] silence = silenceOf.computeIfAbsent(ssrc, k -> Arrays.copyOfRange(packet, off, off + len));
    return Arrays.equals(silence, 0, silence.length, packet, off, off + len);
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

  /** Kurento's side: one frame per call every 20 ms; each call talks 1 s in every 4 s, at its own phase. */
  private void send(String codec, List<InetSocketAddress> calls) {
    byte[][] tone = payloads(codec);
    byte[] silence = silencePayload(codec);
    int payloadType = codec.equals("opus") ? 111 : 0;
    int samplesPerFrame = codec.equals("opus") ? 960 : 160;
    int[] phase = new int[calls.size()];
    SplittableRandom random = new SplittableRandom(42);
    for (int c = 0; c < phase.length; c++) {
      phase[c] = random.nextInt(CYCLE_FRAMES);
    }
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
        for (int c = 0; c < calls.size(); c++) {
          int position = (frame + phase[c]) % CYCLE_FRAMES;
          byte[] payload = position < TALK_FRAMES ? tone[position] : silence;
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

  /** One second of a 440 Hz tone (the caller talking), as 50 frames of the codec. */
  private static byte[][] payloads(String codec) {
    byte[][] frames = new byte[TALK_FRAMES][];
    OpusFrameEncoder encoder = codec.equals("opus") ? new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 20_000, 5) : null;
    for (int f = 0; f < TALK_FRAMES; f++) {
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

  private static byte[] silencePayload(String codec) {
    if (codec.equals("pcmu")) {
      byte[] frame = new byte[160];
      Arrays.fill(frame, MuLaw.SILENCE);
      return frame;
    }
    return new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 20_000, 5).silencePacket();
  }
}
