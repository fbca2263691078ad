package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.testkit.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receive path over real loopback UDP: Kurento's packets come out as in-order 20 ms frames. */
class InboundAudioTest {

  final AudioHarness harness = new AudioHarness();
  final AudioHarness.CollectingSink sink = new AudioHarness.CollectingSink();
  CallAudio audio;
  InetSocketAddress us;

  @BeforeEach
  void open() {
    audio = harness.call(AudioCodec.PCMU);
    audio.attach(sink);
    us = audio.localAddress();
  }

  @AfterEach
  void close() {
    harness.close();
  }

  void send(int seq) {
    harness.kms.sendRtp(us, 0, seq, 160L * seq, AudioHarness.frame(seq));
  }

  @Test
  void framesComeOutInOrderWithLostOnesFilledWithSilence() {
    // 103 and 102 swapped, 105 lost, 104 duplicated, then 105 arrives too late
    for (int seq : new int[] {100, 101, 103, 102, 104, 104, 106, 107, 108, 105, 109}) {
      send(seq);
    }
    for (int expected : new int[] {100, 101, 102, 103, 104}) {
      assertThat(sink.next()).isEqualTo(AudioHarness.frame(expected));
    }
    assertThat(sink.next()).as("the lost frame 105").containsOnly(MuLaw.SILENCE);
    for (int expected : new int[] {106, 107, 108, 109}) {
      assertThat(sink.next()).isEqualTo(AudioHarness.frame(expected));
    }
    InboundStats stats = Await.value(Duration.ofSeconds(5), "all packets counted",
        () -> audio.stats().inbound().packets() == 11 ? audio.stats().inbound() : null);
    assertThat(stats.lostPackets()).isEqualTo(1);
    assertThat(stats.duplicatePackets()).isEqualTo(1);
    assertThat(stats.latePackets()).isEqualTo(1);
    assertThat(stats.concealedMs()).isEqualTo(20);
    assertThat(stats.framesDelivered()).isEqualTo(10);
    assertThat(sink.frames).isEmpty();
  }

  @Test
  void theFirstPacketIsReportedOnceAndTheCounterFollowsEveryPacket() {
    List<Long> reported = new CopyOnWriteArrayList<>();
    audio.onFirstPacket(reported::add);
    assertThatThrownBy(() -> audio.onFirstPacket(reported::add)).as("one observer").isInstanceOf(IllegalStateException.class);
    assertThat(audio.packetsReceived()).isZero();
    for (int seq = 1; seq <= 5; seq++) {
      send(seq);
    }
    Await.until(Duration.ofSeconds(5), "five packets counted", () -> audio.packetsReceived() == 5);
    assertThat(reported).containsExactly(harness.clock.nanoTime()); // the test clock stands still
  }

  @Test
  void anObserverAddedAfterTheFirstPacketHearsOfItAtOnce() {
    send(1);
    send(2);
    Await.until(Duration.ofSeconds(5), "two packets counted", () -> audio.packetsReceived() == 2);
    List<Long> reported = new CopyOnWriteArrayList<>();
    audio.onFirstPacket(reported::add);
    assertThat(reported).containsExactly(harness.clock.nanoTime());
  }

  @Test
  void packetsOfOtherDurationsAreCutInto20msFrames() {
    byte[] all = new byte[160 * 3];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) (i % 200);
    }
    // 10 ms, 10 ms, 30 ms, 10 ms: Kurento does not promise 20 ms packets
    int[][] packets = {{0, 80}, {80, 80}, {160, 240}, {400, 80}};
    int seq = 7;
    for (int[] p : packets) {
      harness.kms.sendRtp(us, 0, seq++, 1000 + p[0], Arrays.copyOfRange(all, p[0], p[0] + p[1]));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(sink.next()).isEqualTo(Arrays.copyOfRange(all, 160 * i, 160 * (i + 1)));
    }
  }

  @Test
  void lostTimeIsMeasuredByTimestampsNotPacketCounts() {
    harness.kms.sendRtp(us, 0, 1, 0, AudioHarness.frame(1));
    // the next packet is 60 ms later on the media clock though only one sequence number later
    harness.kms.sendRtp(us, 0, 2, 480, AudioHarness.frame(2));
    assertThat(sink.next()).isEqualTo(AudioHarness.frame(1));
    assertThat(sink.next()).containsOnly(MuLaw.SILENCE);
    assertThat(sink.next()).containsOnly(MuLaw.SILENCE);
    assertThat(sink.next()).isEqualTo(AudioHarness.frame(2));
  }

  @Test
  void foreignPayloadTypesAndGarbageAreCountedAndDropped() {
    harness.kms.sendRtp(us, 101, 1, 0, new byte[4]); // telephone-event: not negotiated
    harness.kms.sendRawRtp(us, new byte[] {1, 2, 3});
    send(2);
    assertThat(sink.next()).isEqualTo(AudioHarness.frame(2));
    InboundStats stats = audio.stats().inbound();
    assertThat(stats.foreignPackets()).isEqualTo(1);
    assertThat(stats.invalidPackets()).isEqualTo(1);
    assertThat(stats.framesDelivered()).isEqualTo(1);
  }

  @Test
  void aFailingSinkDoesNotStopTheStream() {
    audio.attach((frame, off, len) -> {
      throw new IllegalStateException("bridge hiccup");
    });
    send(1);
    Await.until(Duration.ofSeconds(5), "the failure counted", () -> audio.stats().inbound().sinkFailures() == 1);
    audio.attach(sink);
    send(2);
    assertThat(sink.next()).isEqualTo(AudioHarness.frame(2));
  }

  @Test
  void closingEndsReceivingAndReturnsThePorts() {
    send(1);
    assertThat(sink.next()).isEqualTo(AudioHarness.frame(1));
    int before = harness.plane.openCalls();
    audio.close();
    audio.close();
    assertThat(harness.plane.openCalls()).isEqualTo(before - 1);
    assertThat(audio.isClosed()).isTrue();
    // the port is free again: another socket can bind it
    try (var socket = new java.net.DatagramSocket(us)) {
      assertThat(socket.isBound()).isTrue();
    } catch (java.net.SocketException e) {
      throw new AssertionError("port still held after close", e);
    }
  }
}
