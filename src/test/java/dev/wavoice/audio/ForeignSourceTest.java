package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Over real loopback UDP: a call hears only its RtpEndpoint. Another socket (even on the same host) and
 * another SSRC from the RtpEndpoint's own port are dropped and counted; nothing of them reaches the sink.
 */
class ForeignSourceTest {

  static final Duration WAIT = Duration.ofSeconds(5);

  final AudioHarness harness = new AudioHarness();
  final AudioHarness.CollectingSink sink = new AudioHarness.CollectingSink();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void rtpFromAnotherSocketOrWithAnotherSsrcNeverReachesTheCall() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.attach(sink);
    InetSocketAddress us = audio.localAddress();
    try (FakeKms stranger = new FakeKms()) {
      harness.kms.sendRtp(us, 0, 100, 16_000, AudioHarness.frame(1)); // Kurento's first packet latches its SSRC
      for (int i = 0; i < 5; i++) {
        stranger.sendRtp(us, 0, 101 + i, 16_160 + 160L * i, AudioHarness.frame(0x55));
        harness.kms.sendRawRtp(us, RtpPacket.build(0, 101 + i, 16_160 + 160L * i, 0xBAD5L, AudioHarness.frame(0x66)));
      }
      stranger.sendRtcp(new InetSocketAddress(us.getAddress(), us.getPort() + 1), new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1});
      for (int seq = 101; seq <= 104; seq++) {
        harness.kms.sendRtp(us, 0, seq, 160L * seq, AudioHarness.frame(seq));
      }
      Await.until(WAIT, "11 foreign datagrams dropped", () -> harness.foreignDrops.size() == 11);
      assertThat(harness.foreignDrops).filteredOn(r -> r == ForeignPackets.Reason.RTP_SOURCE).hasSize(5);
      assertThat(harness.foreignDrops).filteredOn(r -> r == ForeignPackets.Reason.RTP_SSRC).hasSize(5);
      assertThat(harness.foreignDrops).filteredOn(r -> r == ForeignPackets.Reason.RTCP_SOURCE).hasSize(1);
      assertThat(audio.foreignPacketsDropped()).isEqualTo(11);

      assertThat(sink.next()).isEqualTo(AudioHarness.frame(1));
      for (int seq = 101; seq <= 104; seq++) {
        assertThat(sink.next()).as("Kurento's frame " + seq).isEqualTo(AudioHarness.frame(seq));
      }
      InboundStats stats = audio.stats().inbound();
      assertThat(stats.packets()).as("only Kurento's datagrams reach the receive path").isEqualTo(5);
      assertThat(stats.resyncs()).isZero();
      assertThat(audio.stats().rtcp().compoundsReceived() + audio.stats().rtcp().malformedReceived()).as("the stranger's RTCP was not read").isZero();
    }
  }

  @Test
  void beforeKurentosEndIsKnownNothingIsHeard() {
    CallAudio audio = harness.plane.open(new dev.wavoice.CallId("wacid.early"), AudioCodec.PCMU);
    try {
      audio.attach(sink);
      harness.kms.sendRtp(audio.localAddress(), 0, 1, 0, AudioHarness.frame(1));
      Await.until(WAIT, "the early datagram dropped", () -> harness.foreignDrops.contains(ForeignPackets.Reason.EARLY));
      assertThat(audio.stats().inbound().packets()).isZero();
      audio.start(harness.kms.rtpTarget());
      harness.kms.sendRtp(audio.localAddress(), 0, 2, 160, AudioHarness.frame(2));
      assertThat(sink.next()).isEqualTo(AudioHarness.frame(2));
    } finally {
      audio.close();
    }
  }
}
