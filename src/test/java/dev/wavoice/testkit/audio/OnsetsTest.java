package dev.wavoice.testkit.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnsetsTest {

  private static final int RATE = 24_000;
  private static final int CHUNK = RATE * 40 / 1000; // 40 ms, as the app's appends
  private static final long T0 = 1_796_000_000_000_000_000L;

  @Test
  void findsEachSoundAfterSilenceInTheChunkThatCarriedItWithItsOffsetAndPitch() {
    // a sound at the very start (no silence before it: not an onset), 310 ms of silence, 1 s of 440 Hz,
    // a 60 ms gap (too short), 0.5 s more, 500 ms of silence, 1 s of 660 Hz
    short[] stream = concat(Tones.sine(440, RATE, 0, RATE / 10, 9800), new short[RATE * 310 / 1000],
        Tones.sine(440, RATE, 0, RATE, 9800), new short[RATE * 60 / 1000], Tones.sine(440, RATE, 0, RATE / 2, 9800),
        new short[RATE / 2], Tones.sine(660, RATE, 0, RATE, 9800));
    Onsets onsets = new Onsets(RATE, 100);
    for (int chunk = 0; chunk * CHUNK < stream.length; chunk++) {
      int length = Math.min(CHUNK, stream.length - chunk * CHUNK);
      onsets.add(stream, chunk * CHUNK, length, T0 + chunk * 40_000_000L);
    }

    List<Onsets.Onset> found = onsets.onsets();
    assertThat(found).hasSize(2);
    // the first tone begins at 410 ms: chunk 10 (400-440 ms), 10 ms in; a sine from phase 0 reaches the
    // threshold within a few samples
    Onsets.Onset first = found.get(0);
    assertThat(first.chunkArrivalNanos()).isEqualTo(T0 + 10 * 40_000_000L);
    assertThat(first.offsetNanos()).isCloseTo(10_000_000L, within(200_000L));
    assertThat(first.chunkNanos()).isEqualTo(40_000_000L);
    assertThat(first.hz()).isCloseTo(440, within(10.0));
    // the second at 410 + 1000 + 60 + 500 + 500 = 2470 ms: chunk 61 (2440-2480 ms), 30 ms in
    Onsets.Onset second = found.get(1);
    assertThat(second.chunkArrivalNanos()).isEqualTo(T0 + 61 * 40_000_000L);
    assertThat(second.offsetNanos()).isCloseTo(30_000_000L, within(200_000L));
    assertThat(second.hz()).isCloseTo(660, within(10.0));
  }

  @Test
  void aToneCutShortByTheEndOfTheStreamIsMeasuredOverWhatCame() {
    Onsets onsets = new Onsets(8_000, 100);
    short[] stream = concat(new short[800], Tones.sine(500, 8_000, 0, 400, 9800)); // 100 ms silence, 50 ms tone
    onsets.add(stream, 0, stream.length, T0);
    assertThat(onsets.onsets()).singleElement().satisfies(o -> {
      assertThat(o.chunkArrivalNanos()).isEqualTo(T0);
      assertThat(o.offsetNanos()).isCloseTo(100_000_000L, within(1_000_000L));
      assertThat(o.chunkNanos()).isEqualTo(150_000_000L);
      assertThat(o.hz()).isCloseTo(500, within(25.0));
    });
    assertThat(new Onsets(8_000, 100).onsets()).isEmpty();
  }

  private static short[] concat(short[]... parts) {
    int length = 0;
    for (short[] part : parts) {
      length += part.length;
    }
    short[] all = new short[length];
    int at = 0;
    for (short[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
