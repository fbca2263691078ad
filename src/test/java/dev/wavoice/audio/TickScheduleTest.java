package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TickScheduleTest {

  static final long MS = 1_000_000L;
  final TickSchedule schedule = new TickSchedule(20 * MS);

  @Test
  void onTimeTicksFollowTheGrid() {
    schedule.restart(1000 * MS);
    for (int i = 0; i < 5; i++) {
      assertThat(schedule.deadline()).isEqualTo((1000 + 20 * i) * MS);
      assertThat(schedule.onWake(schedule.deadline())).isZero();
    }
    assertThat(schedule.ticks()).isEqualTo(5);
    assertThat(schedule.skipped()).isZero();
  }

  @Test
  void aLateWakeUpKeepsTheGridAndDoesNotCatchUp() {
    schedule.restart(0);
    schedule.onWake(0);
    assertThat(schedule.onWake(27 * MS)).isEqualTo(7 * MS); // due at 20, woke at 27
    assertThat(schedule.deadline()).isEqualTo(40 * MS); // back on the grid, not 47
    assertThat(schedule.skipped()).isZero();

    // woke 45 ms late: the grid points at 60 and 80 are already past; skip them, do not burst
    assertThat(schedule.onWake(85 * MS)).isEqualTo(45 * MS);
    assertThat(schedule.deadline()).isEqualTo(100 * MS);
    assertThat(schedule.skipped()).isEqualTo(2);
    assertThat(schedule.maxLatenessNanos()).isEqualTo(45 * MS);
  }

  @Test
  void latenessQuantilesComeFromTheHistogram() {
    schedule.restart(0);
    for (int i = 0; i < 100; i++) {
      long due = schedule.deadline();
      schedule.onWake(due + (i == 99 ? 3 * MS : 50_000)); // 99 ticks 50 µs late, one 3 ms late
    }
    assertThat(schedule.latenessQuantileNanos(0.5)).isEqualTo(100_000);
    assertThat(schedule.latenessQuantileNanos(0.99)).isEqualTo(100_000);
    assertThat(schedule.latenessQuantileNanos(1.0)).isEqualTo(3_100_000);
  }
}
