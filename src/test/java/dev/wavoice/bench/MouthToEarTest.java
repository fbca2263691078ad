package dev.wavoice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.audio.Onsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MouthToEarTest {

  private static final long T = 1_796_000_000_000_000_000L;
  private static final long MS = 1_000_000L;

  @Test
  void pairsEachCallersTurnsAndResponsesWithItsOwnSessionFoundByPitch() {
    // caller 0 talks at 440 Hz, caller 1 at 460 Hz; the double saw caller 1's session first
    MouthToEar.Caller zero = new MouthToEar.Caller(List.of(T, T + 5000 * MS, T + 10_000 * MS), List.of(T + 1300 * MS, T + 6250 * MS));
    MouthToEar.Caller one = new MouthToEar.Caller(List.of(T + 100 * MS, T + 5100 * MS), List.of(T + 1500 * MS));
    MouthToEar.Session ofOne = new MouthToEar.Session(
        List.of(onset(T + 140 * MS, 25, 461), onset(T + 5150 * MS, 5, 459)), List.of(T + 1450 * MS));
    MouthToEar.Session ofZero = new MouthToEar.Session(
        // turn 1 left nothing at OpenAI (its next sound came after turn 2 began); an unmeasured pitch is ignored
        List.of(onset(T + 30 * MS, 15, 440), onset(T + 10_045 * MS, 35, Double.NaN)),
        List.of(T + 1250 * MS, T + 6200 * MS));
    MouthToEar.Session nobodys = new MouthToEar.Session(List.of(onset(T + 70 * MS, 0, 450)), List.of(T + 1300 * MS));

    MouthToEar.Figures all = MouthToEar.measure(List.of(zero, one), List.of(ofOne, ofZero, nobodys), 440, 20, T, T + 20_000 * MS);
    assertThat(all.sessions()).isEqualTo(3);
    assertThat(all.matched()).isEqualTo(2);
    // caller 1: 40 ms (sound 25 ms into its append: the batch's second packet, no wait) and 50 ms (5 ms in:
    // the first packet, the append waited 20 ms for the second); caller 0: 30 ms (first packet) and 45 ms
    assertThat(all.upNanos()).containsExactly(40 * MS, 50 * MS, 30 * MS, 45 * MS);
    assertThat(all.batchWaitNanos()).containsExactly(0, 20 * MS, 20 * MS, 0);
    assertThat(all.upWithoutBatchingNanos()).containsExactly(40 * MS, 30 * MS, 10 * MS, 45 * MS);
    assertThat(all.downNanos()).containsExactly(50 * MS, 50 * MS, 50 * MS);

    // only what began in the window counts
    MouthToEar.Figures late = MouthToEar.measure(List.of(zero, one), List.of(ofOne, ofZero), 440, 20, T + 5000 * MS, T + 20_000 * MS);
    assertThat(late.upNanos()).containsExactly(50 * MS, 45 * MS);
    assertThat(late.downNanos()).containsExactly(50 * MS);
  }

  @Test
  void aSessionIsTheCallersOnlyWhenItsPitchIsNearEnough() {
    MouthToEar.Session at450 = new MouthToEar.Session(List.of(onset(T, 0, 450)), List.of());
    MouthToEar.Session at478 = new MouthToEar.Session(List.of(onset(T, 0, 478), onset(T, 0, 481), onset(T, 0, 300)), List.of());
    assertThat(MouthToEar.callerOf(at450, 3, 440, 20)).isEqualTo(-1);
    assertThat(MouthToEar.callerOf(at478, 3, 440, 20)).isEqualTo(2);
    assertThat(MouthToEar.callerOf(at478, 2, 440, 20)).isEqualTo(-1);
    assertThat(MouthToEar.callerOf(new MouthToEar.Session(List.of(), List.of()), 3, 440, 20)).isEqualTo(-1);
  }

  @Test
  void aRecordingsOnsetsAreTheArrivalsOfThePacketsThatCarriedThem() {
    int rate = 48_000;
    int frame = 960;
    short[] pcm = new short[frame * 20];
    // silence, then a tone from 8.5 packets in to the end of packet 10, 100 ms of silence, a tone from packet 16 on
    short[] tone = dev.wavoice.testkit.audio.Tones.sine(440, rate, 0, frame * 4, 9800);
    System.arraycopy(tone, 0, pcm, frame * 8 + frame / 2, frame * 2 + frame / 2);
    System.arraycopy(tone, 0, pcm, frame * 16, frame * 4);
    int[] starts = new int[20];
    long[] arrivals = new long[20];
    for (int k = 0; k < 20; k++) {
      starts[k] = k * frame;
      arrivals[k] = T + k * 20 * MS + 3 * MS;
    }
    assertThat(MouthToEar.heardOnsets(pcm, rate, starts, arrivals)).containsExactly(arrivals[8], arrivals[16]);
  }

  private static Onsets.Onset onset(long at, long offsetMs, double hz) {
    return new Onsets.Onset(at, offsetMs * MS, 40 * MS, hz);
  }
}
