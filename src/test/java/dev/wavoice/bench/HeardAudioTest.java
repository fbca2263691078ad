package dev.wavoice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.testkit.kms.CallerSpeech;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real-Kurento benchmark's reading of a caller's recording: turns, dropouts and audible time. */
class HeardAudioTest {

  static final int RATE = 48_000;
  static final int FRAME_SAMPLES = RATE / 50;

  @TempDir Path dir;

  @Test
  void turnsAreSplitByLongSilenceAndShortGapsInsideATurnAreDropouts() throws Exception {
    // silence, a turn with a 60 ms hole, 300 ms of silence, a second turn, a quiet tail (comfort noise level)
    Path wav = write(new int[][] {{0, 10}, {1, 50}, {0, 3}, {1, 20}, {0, 15}, {1, 30}, {2, 25}});
    HeardAudio heard = HeardAudio.of(wav);
    assertThat(heard).isEqualTo(new HeardAudio((50 + 20 + 30) * 20, 2, 1, 60));
  }

  @Test
  void silenceJustShortOfTheTurnGapIsStillADropout() throws Exception {
    Path wav = write(new int[][] {{1, 5}, {0, HeardAudio.TURN_GAP_FRAMES - 1}, {1, 5}, {0, HeardAudio.TURN_GAP_FRAMES}, {1, 5}});
    assertThat(HeardAudio.of(wav)).isEqualTo(new HeardAudio(15 * 20, 2, 1, (HeardAudio.TURN_GAP_FRAMES - 1) * 20L));
  }

  @Test
  void theSpeechItWritesForTheCallersIsReadBackAsItsTalkRuns() {
    CallerSpeech speech = new CallerSpeech(1000, List.of(3000, 5000));
    Path wav = dir.resolve("speech.wav");
    HeardAudio.writeSpeech(wav, speech, 440, 0);
    assertThat(HeardAudio.of(wav)).isEqualTo(new HeardAudio(2000, 2, 0, 0));
  }

  @Test
  void aRecordingInAnotherFormatIsRefused() throws Exception {
    Path wav = dir.resolve("stereo.wav");
    AudioFormat stereo = new AudioFormat(RATE, 16, 2, true, false);
    byte[] pcm = new byte[4 * FRAME_SAMPLES];
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), stereo, FRAME_SAMPLES)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
    }
    assertThatThrownBy(() -> HeardAudio.of(wav)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mono");
  }

  /** Runs of {kind, frames}: 0 digital silence, 1 a loud tone, 2 low noise (below the audible level). */
  private Path write(int[][] runs) throws Exception {
    int frames = 0;
    for (int[] run : runs) {
      frames += run[1];
    }
    byte[] pcm = new byte[2 * frames * FRAME_SAMPLES];
    int n = 0;
    for (int[] run : runs) {
      for (int i = 0; i < run[1] * FRAME_SAMPLES; i++, n++) {
        double amplitude = run[0] == 1 ? 10_000 : run[0] == 2 ? 100 : 0;
        short sample = (short) Math.round(amplitude * Math.sin(2 * Math.PI * 660 * n / RATE));
        pcm[2 * n] = (byte) sample;
        pcm[2 * n + 1] = (byte) (sample >> 8);
      }
    }
    Path wav = dir.resolve("heard-" + System.nanoTime() + ".wav");
    AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, (long) frames * FRAME_SAMPLES)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
    }
    return wav;
  }
}
