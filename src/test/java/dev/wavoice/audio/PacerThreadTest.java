package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.testkit.Await;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pacer's own thread on the system clock: it ticks by itself while calls are registered. */
class PacerThreadTest {

  @Test
  void theStartedPacerSendsContiguousFramesOnItsOwn() {
    Pacer pacer = new Pacer(MonotonicClock.system());
    pacer.start();
    AudioSettings defaults = AudioSettings.defaults();
    AudioSettings settings = new AudioSettings(LoopbackPorts.LOOPBACK, LoopbackPorts.freeRange(2),
        defaults.reorderDepthFrames(), defaults.rtcpInterval(), defaults.outboundQueueFrames(), defaults.opusBitrateBps(),
        defaults.opusComplexity());
    AudioPlane plane = new AudioPlane(settings, pacer, Clock.systemUTC(), MonotonicClock.system());
    try (FakeKms kms = new FakeKms(); CallAudio audio = plane.open(new CallId("wacid.thread"), AudioCodec.PCMU)) {
      audio.start(kms.rtpTarget());
      RtpPacket previous = kms.receiveRtp();
      for (int i = 0; i < 10; i++) {
        RtpPacket next = kms.receiveRtp();
        assertThat(next.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
        assertThat(next.timestamp()).isEqualTo((previous.timestamp() + 160) & 0xFFFFFFFFL);
        previous = next;
      }
      assertThat(pacer.stats().streams()).isEqualTo(1);
      assertThat(pacer.stats().ticks()).isGreaterThanOrEqualTo(11);
    } finally {
      Await.until(Duration.ofSeconds(5), "the call unregistered", () -> pacer.stats().streams() == 0);
      pacer.stop();
    }
  }
}
