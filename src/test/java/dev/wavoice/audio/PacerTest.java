package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The send path over real loopback UDP, with the pacer driven by a test clock: one frame per call per
 * tick, contiguous sequence numbers and timestamps, silence when nothing is queued, no bursts.
 */
class PacerTest {

  static final long MS = 1_000_000L;
  final AudioHarness harness = new AudioHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((i * 31 + seed) % 251); // never 0xFF, so silence is told apart
    }
    return bytes;
  }

  static long sent(CallAudio audio) {
    OutboundStats out = audio.stats().outbound();
    return out.audioFramesSent() + out.silenceFramesSent();
  }

  @Test
  void sendsSilenceWhenNothingIsQueuedWithContiguousNumbering() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    RtpPacket first = harness.tick();
    assertThat(first.payloadType()).isZero();
    assertThat(first.marker()).isTrue();
    assertThat(first.ssrc()).isEqualTo(audio.ssrc());
    byte[] silence = new byte[160];
    Arrays.fill(silence, MuLaw.SILENCE);
    assertThat(first.payload()).isEqualTo(silence);

    RtpPacket previous = first;
    for (int i = 0; i < 60; i++) {
      RtpPacket next = harness.tick();
      assertThat(next.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
      assertThat(next.timestamp()).isEqualTo((previous.timestamp() + 160) & 0xFFFFFFFFL);
      assertThat(next.marker()).isFalse();
      assertThat(next.payload()).isEqualTo(silence);
      previous = next;
    }
    assertThat(audio.stats().outbound().silenceFramesSent()).isEqualTo(61);
    assertThat(audio.stats().outbound().audioFramesSent()).isZero();
  }

  @Test
  void sendsOneFramePerTickEvenWithTenSecondsQueuedAtOnce() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    byte[] tenSeconds = pattern(80_000, 7);
    audio.outbound().enqueue("item_A", tenSeconds);
    assertThat(audio.outbound().queuedMs()).isEqualTo(10_000);

    RtpPacket previous = null;
    for (int i = 0; i < 100; i++) {
      long before = sent(audio);
      RtpPacket packet = harness.tick();
      assertThat(sent(audio)).as("frames sent by tick %d", i).isEqualTo(before + 1);
      assertThat(packet.payload()).isEqualTo(Arrays.copyOfRange(tenSeconds, 160 * i, 160 * (i + 1)));
      if (previous != null) {
        assertThat(packet.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
        assertThat(packet.timestamp()).isEqualTo((previous.timestamp() + 160) & 0xFFFFFFFFL);
      }
      previous = packet;
    }
    assertThat(audio.outbound().queuedMs()).isEqualTo(8_000);
  }

  @Test
  void aLateWakeUpSendsOneFrameAndSkipsTheMissedGridPoints() throws Exception {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.outbound().enqueue("item_A", pattern(16_000, 3));
    harness.pacer.restartGrid();

    harness.pacer.runOnce();
    RtpPacket first = harness.kms.receiveRtp();
    harness.clock.wakeLate(45 * MS); // the thread woke 45 ms after its next deadline
    harness.pacer.runOnce();
    RtpPacket late = harness.kms.receiveRtp();
    assertThat(sent(audio)).isEqualTo(2);
    harness.pacer.runOnce();
    RtpPacket after = harness.kms.receiveRtp();

    assertThat(sent(audio)).isEqualTo(3);
    assertThat(late.sequenceNumber()).isEqualTo((first.sequenceNumber() + 1) & 0xFFFF);
    assertThat(after.sequenceNumber()).isEqualTo((first.sequenceNumber() + 2) & 0xFFFF);
    assertThat(after.timestamp()).isEqualTo((first.timestamp() + 320) & 0xFFFFFFFFL);
    PacerStats stats = harness.pacer.stats();
    assertThat(stats.ticks()).isEqualTo(3);
    assertThat(stats.skippedTicks()).isEqualTo(2);
    assertThat(stats.maxLatenessMicros()).isEqualTo(45_000);
  }

  @Test
  void everyCallGetsExactlyOneFramePerTick() {
    CallAudio a = harness.call(AudioCodec.PCMU);
    CallAudio b = harness.call(AudioCodec.PCMU);
    a.outbound().enqueue("item_A", pattern(1_600, 1));
    for (int i = 0; i < 5; i++) {
      harness.pacer.tick();
      RtpPacket one = harness.kms.receiveRtp();
      RtpPacket two = harness.kms.receiveRtp();
      assertThat(one.ssrc()).isNotEqualTo(two.ssrc());
    }
    assertThat(sent(a)).isEqualTo(5);
    assertThat(sent(b)).isEqualTo(5);
    assertThat(a.stats().outbound().audioFramesSent()).isEqualTo(5);
    assertThat(b.stats().outbound().silenceFramesSent()).isEqualTo(5);
    assertThat(harness.pacer.stats().streams()).isEqualTo(2);
    b.close();
    assertThat(harness.pacer.stats().streams()).isEqualTo(1);
  }

  @Test
  void deltasOfAnySizeBecomeExactFramesAndTheLastIsPaddedWithSilence() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    byte[] speech = pattern(1_234, 11);
    int at = 0;
    for (int size : new int[] {1, 159, 500, 574}) {
      audio.outbound().enqueue("item_A", speech, at, size);
      at += size;
    }
    assertThat(audio.stats().outbound().framesQueued()).isEqualTo(7); // 1234 = 7 × 160 + 114
    audio.outbound().end("item_A");
    assertThat(audio.stats().outbound().framesQueued()).isEqualTo(8);

    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int i = 0; i < 8; i++) {
      wire.writeBytes(harness.tick().payload());
    }
    byte[] expected = Arrays.copyOf(speech, 1_280);
    Arrays.fill(expected, 1_234, 1_280, MuLaw.SILENCE);
    assertThat(wire.toByteArray()).isEqualTo(expected);
    assertThat(harness.tick().payload()).containsOnly(MuLaw.SILENCE);
  }

  @Test
  void aNewItemEndsThePreviousOne() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.outbound().enqueue("item_A", pattern(100, 1));
    audio.outbound().enqueue("item_B", pattern(160, 2));
    byte[] first = harness.tick().payload();
    assertThat(Arrays.copyOf(first, 100)).isEqualTo(pattern(100, 1));
    assertThat(Arrays.copyOfRange(first, 100, 160)).containsOnly(MuLaw.SILENCE);
    assertThat(harness.tick().payload()).isEqualTo(pattern(160, 2));
  }

  @Test
  void flushStopsOutputAtOnceAndTellsWhatOfTheCutAudioWasSent() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.outbound().enqueue("item_A", pattern(16_000, 5)); // 2 s
    for (int i = 0; i < 10; i++) {
      harness.tick();
    }
    assertThat(audio.outbound().playing()).hasValueSatisfying(p -> {
      assertThat(p.tag()).isEqualTo("item_A");
      assertThat(p.sentMs()).isEqualTo(200);
      assertThat(p.queuedMs()).isEqualTo(1_800);
    });

    assertThat(audio.outbound().flush()).contains(new Playhead("item_A", 10));

    assertThat(audio.outbound().queuedMs()).isZero();
    assertThat(harness.tick().payload()).containsOnly(MuLaw.SILENCE);
    assertThat(audio.outbound().playing()).isEmpty();
    assertThat(audio.stats().outbound().flushes()).isEqualTo(1);
    // what is queued next plays normally (late audio of a cut response is the bridge's to drop)
    audio.outbound().enqueue("item_B", pattern(160, 9));
    assertThat(harness.tick().payload()).isEqualTo(pattern(160, 9));
  }

  @Test
  void nothingIsCutShortWhenNothingWasPlaying() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    harness.tick();
    assertThat(audio.outbound().playing()).isEmpty();
    assertThat(audio.outbound().flush()).isEmpty();

    // an item sent completely is not playing any more
    audio.outbound().enqueue("item_A", pattern(480, 1));
    audio.outbound().end("item_A");
    for (int i = 0; i < 4; i++) {
      harness.tick();
    }
    assertThat(audio.outbound().playing()).isEmpty();
    assertThat(audio.outbound().flush()).isEmpty();

    // an item queued but not started has not been heard: no truncation
    audio.outbound().enqueue("item_B", pattern(480, 2));
    assertThat(audio.outbound().flush()).isEmpty();
    assertThat(harness.tick().payload()).containsOnly(MuLaw.SILENCE);
  }

  @Test
  void anItemStillArrivingIsPlayingEvenWhenTheQueueRanDry() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.outbound().enqueue("item_A", pattern(400, 1)); // 50 ms: two frames and 10 ms pending
    harness.tick();
    harness.tick();
    harness.tick(); // silence: the rest has not arrived yet
    assertThat(audio.outbound().flush()).contains(new Playhead("item_A", 2));
  }

  @Test
  void drainedCompletesWhenTheLastFrameIsOnTheWire() throws Exception {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.outbound().enqueue("item_A", pattern(300, 1));
    audio.outbound().end("item_A");
    var drained = audio.outbound().drained();
    harness.tick();
    assertThat(drained).isNotDone();
    harness.tick();
    drained.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(audio.outbound().drained()).isDone();
  }
}
