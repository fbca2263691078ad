package dev.wavoice.audio;

import dev.wavoice.CallId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The audio plane as the call layer would use it, on loopback, with a pacer that only ticks when the
 * test says so (its clock is a {@link TestClock}), and a fake Kurento endpoint.
 */
final class AudioHarness implements AutoCloseable {

  /** A 20 ms PCMU payload whose every byte is {@code marker}, so a test can tell frames apart. */
  static byte[] frame(int marker) {
    byte[] payload = new byte[160];
    java.util.Arrays.fill(payload, (byte) marker);
    return payload;
  }

  final TestClock clock = new TestClock();
  final Pacer pacer = new Pacer(clock);
  final FakeKms kms = new FakeKms();
  /** Every datagram the plane dropped for not coming from the (fake) RtpEndpoint, in order. */
  final List<ForeignPackets.Reason> foreignDrops = new CopyOnWriteArrayList<>();
  final AudioPlane plane;
  private final List<CallAudio> calls = new ArrayList<>();

  AudioHarness() {
    this(Duration.ofSeconds(5));
  }

  AudioHarness(Duration rtcpInterval) {
    AudioSettings defaults = AudioSettings.defaults();
    AudioSettings settings = new AudioSettings(LoopbackPorts.LOOPBACK, LoopbackPorts.freeRange(4),
        defaults.reorderDepthFrames(), rtcpInterval, defaults.outboundQueueFrames(), defaults.opusBitrateBps(),
        defaults.opusComplexity());
    // encoded in place: the test ticks by hand
    plane = new AudioPlane(settings, pacer, Clock.systemUTC(), clock, Runnable::run, foreignDrops::add);
  }

  /** Opens a call's audio, started towards the fake Kurento. */
  CallAudio call(AudioCodec codec) {
    CallAudio audio = plane.open(new CallId("wacid.test-" + calls.size()), codec);
    calls.add(audio);
    audio.start(kms.rtpTarget());
    return audio;
  }

  /** Ticks the pacer once and returns the one packet it sent for the (single) call. */
  RtpPacket tick() {
    pacer.tick();
    clock.advance(Pacer.FRAME_NANOS);
    return kms.receiveRtp();
  }

  @Override
  public void close() {
    calls.forEach(CallAudio::close);
    kms.close();
  }

  /** A sink that keeps copies of the frames it gets. */
  static final class CollectingSink implements InboundAudioSink {
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

    @Override
    public void onFrame(byte[] frame, int off, int len) {
      byte[] copy = new byte[len];
      System.arraycopy(frame, off, copy, 0, len);
      frames.add(copy);
    }

    byte[] next() {
      try {
        byte[] frame = frames.poll(FakeKms.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
          throw new AssertionError("no inbound frame within " + FakeKms.DEADLINE);
        }
        return frame;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
