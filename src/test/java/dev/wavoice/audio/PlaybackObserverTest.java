package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The playback notices the bridge relies on, over real loopback UDP with a hand-ticked pacer. */
class PlaybackObserverTest {

  final AudioHarness harness = new AudioHarness();
  final List<String> notices = new CopyOnWriteArrayList<>();
  final PlaybackObserver observer = new PlaybackObserver() {
    @Override
    public void started(String itemId) {
      notices.add("started " + itemId);
    }

    @Override
    public void finished(String itemId) {
      notices.add("finished " + itemId);
    }
  };

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void anItemIsStartedWithItsFirstFrameOnTheWireAndFinishedWithItsLast() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.outbound().observe(observer);
    harness.tick(); // silence: no notice
    assertThat(notices).isEmpty();
    audio.outbound().enqueue("item_A", PacerTest.pattern(400, 1)); // 2 frames + 80 bytes
    audio.outbound().end("item_A");
    harness.tick();
    assertThat(notices).containsExactly("started item_A");
    harness.tick();
    assertThat(notices).containsExactly("started item_A");
    harness.tick(); // the padded last frame
    assertThat(notices).containsExactly("started item_A", "finished item_A");
    harness.tick();
    assertThat(notices).hasSize(2);
  }

  @Test
  void anItemAllSentBeforeItEndedIsFinishedWhenItEnds() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.outbound().observe(observer);
    audio.outbound().enqueue("item_B", PacerTest.pattern(320, 2)); // exactly two frames, no remainder
    harness.tick();
    harness.tick();
    assertThat(notices).containsExactly("started item_B");
    audio.outbound().end("item_B");
    assertThat(notices).containsExactly("started item_B", "finished item_B");
  }

  @Test
  void aFlushedItemNeverFinishes() {
    CallAudio audio = harness.call(AudioCodec.PCMU);
    audio.outbound().observe(observer);
    audio.outbound().enqueue("item_C", PacerTest.pattern(1600, 3));
    audio.outbound().end("item_C");
    harness.tick();
    harness.tick();
    assertThat(audio.outbound().flush()).contains(new Playhead("item_C", 2));
    harness.tick();
    harness.tick();
    assertThat(notices).containsExactly("started item_C");
  }
}
