package dev.wavoice.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The load figures the KMS double derives from arrival times, and the callers' talk pattern. */
class BotAudioArrivalsTest {

  private static final long MS = 1_000_000L;

  private final BotAudioArrivals arrivals = new BotAudioArrivals();
  private final PipelineDouble pipeline = new PipelineDouble(null, "p1", "s1");
  private int sequence;

  private void arrive(boolean audible, long atMs) {
    arrivals.arrived(pipeline, "call-1", sequence++, audible, atMs * MS);
  }

  @Test
  void evenlyPacedTurnsHaveNoJitterBurstOrLateFrame() {
    for (int i = 0; i < 10; i++) {
      arrive(i >= 2 && i < 8, 1000 + 20L * i);
    }
    Map<String, Long> f = arrivals.figures();
    assertThat(f.get("turns")).isEqualTo(1);
    assertThat(f.get("audibleFrames")).isEqualTo(6);
    assertThat(f.get("gaps")).isEqualTo(5);
    assertThat(f.get("jitterMaxUs")).isLessThanOrEqualTo(1);
    assertThat(f.get("bursts")).isZero();
    assertThat(f.get("late")).isZero();
    assertThat(f.get("lost")).isZero();
    assertThat(arrivals.takeFirstAudio()).containsEntry("call-1", 1040 * MS);
    assertThat(arrivals.takeFirstAudio()).isEmpty();
  }

  @Test
  void framesBackToBackAreABurstAndAMissedPeriodIsLate() {
    arrive(true, 0);
    arrive(true, 1);
    arrive(true, 2);
    arrive(true, 3); // 4th frame, each under 5 ms after the previous
    arrive(true, 45); // 42 ms gap: late
    Map<String, Long> f = arrivals.figures();
    assertThat(f.get("bursts")).isEqualTo(1);
    assertThat(f.get("late")).isEqualTo(1);
    assertThat(f.get("jitterMaxUs")).isBetween(21_900L, 22_100L);
  }

  @Test
  void skippedSequenceNumbersAreLost() {
    arrive(true, 0);
    sequence += 2;
    arrive(true, 60);
    assertThat(arrivals.figures().get("lost")).isEqualTo(2);
  }

  @Test
  void aCallerTalkingOverTheBotIsTimedUntilTheFirstSilentFrame() {
    arrive(true, 0);
    arrive(true, 20);
    arrivals.callerTalks(pipeline, 30 * MS);
    arrive(true, 40);
    arrive(false, 60);
    arrivals.callerTalks(pipeline, 200 * MS); // the bot is silent: no barge-in
    arrive(false, 220);
    Map<String, Long> f = arrivals.figures();
    assertThat(f.get("bargeIns")).isEqualTo(1);
    assertThat(f.get("bargeInMaxUs")).isBetween(29_900L, 30_100L);
  }

  @Test
  void callersTalkThenPauseByTurns() {
    CallerSpeech speech = CallerSpeech.parse("100/60,100");
    assertThat(speech.cycleFrames()).isEqualTo(18); // (100 + 60 + 100 + 100) / 20
    assertThat(List.of(0L, 4L, 5L, 7L, 8L, 12L, 13L, 17L, 18L).stream().map(speech::talking).toList())
        .containsExactly(true, true, false, false, true, true, false, false, true);
    assertThatThrownBy(() -> CallerSpeech.parse("1000")).isInstanceOf(IllegalArgumentException.class);
  }
}
