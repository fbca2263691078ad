package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceptionStatisticsTest {

  static final long FRAME_NANOS = 20_000_000L;

  @Test
  void countsLossAndFractionPerInterval() {
    ReceptionStatistics stats = new ReceptionStatistics(8000);
    assertThat(stats.reportBlock(0)).isNull();
    for (int i = 0; i < 100; i++) {
      if (i % 10 != 3) { // every tenth lost
        stats.onPacket(0xABCL, 1000 + i, 160L * i, i * FRAME_NANOS);
      }
    }
    ReportBlock first = stats.reportBlock(0);
    assertThat(first.ssrc()).isEqualTo(0xABCL);
    assertThat(first.extendedHighestSequence()).isEqualTo(1099);
    assertThat(first.cumulativeLost()).isEqualTo(10);
    assertThat(first.fractionLost()).isEqualTo(10 * 256 / 100);
    assertThat(first.jitter()).isZero(); // perfectly regular arrival
    assertThat(first.lastSenderReport()).isZero();

    for (int i = 100; i < 150; i++) {
      stats.onPacket(0xABCL, 1000 + i, 160L * i, i * FRAME_NANOS);
    }
    ReportBlock second = stats.reportBlock(0);
    assertThat(second.fractionLost()).isZero(); // nothing lost in this interval
    assertThat(second.cumulativeLost()).isEqualTo(10);
  }

  @Test
  void extendsTheSequenceNumberAcrossTheWrap() {
    ReceptionStatistics stats = new ReceptionStatistics(8000);
    for (int i = 0; i < 10; i++) {
      stats.onPacket(1, (65530 + i) & 0xFFFF, 160L * i, i * FRAME_NANOS);
    }
    ReportBlock block = stats.reportBlock(0);
    assertThat(block.extendedHighestSequence()).isEqualTo(65536 + 3);
    assertThat(block.cumulativeLost()).isZero();
  }

  @Test
  void measuresJitterInTimestampUnits() {
    ReceptionStatistics stats = new ReceptionStatistics(8000);
    // every other packet 5 ms late: |D| = 40 samples each time after the first
    for (int i = 0; i < 2000; i++) {
      long arrival = i * FRAME_NANOS + (i % 2 == 1 ? 5_000_000 : 0);
      stats.onPacket(1, i, 160L * i, arrival);
    }
    // J converges to the mean |D| = 40
    assertThat(stats.reportBlock(0).jitter()).isBetween(37L, 40L);
  }

  @Test
  void reportsLsrAndDlsrFromTheLastSenderReport() {
    ReceptionStatistics stats = new ReceptionStatistics(8000);
    stats.onPacket(1, 5, 0, 0);
    stats.onSenderReport(1, 0x12345678L, 0x9ABCDEF0L, 1_000_000_000L);
    ReportBlock block = stats.reportBlock(1_500_000_000L);
    assertThat(block.lastSenderReport()).isEqualTo(0x56789ABCL);
    assertThat(block.delaySinceLastSenderReport()).isEqualTo(65536 / 2);
  }

  @Test
  void aSenderReportReadBeforeTheFirstPacketStillCountsButOnlyForItsSource() {
    ReceptionStatistics stats = new ReceptionStatistics(8000);
    stats.onSenderReport(7, 0x0001_0002L, 0x0003_0000L, 0);
    stats.onPacket(7, 1, 0, 0);
    assertThat(stats.reportBlock(0).lastSenderReport()).isEqualTo(0x0002_0003L);

    stats.onPacket(8, 1, 0, 0); // another source: its block has no LSR
    assertThat(stats.reportBlock(0).lastSenderReport()).isZero();
  }
}
