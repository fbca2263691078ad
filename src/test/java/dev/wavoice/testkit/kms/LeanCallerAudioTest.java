package dev.wavoice.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.audio.Tones;
import io.github.jaredmdobson.concentus.OpusDecoder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lean double's pre-encoded caller audio: real Opus that a decoder turns back into the tone, and silence. */
class LeanCallerAudioTest {

  private final LeanCallerAudio audio = LeanCallerAudio.forCallers(440, new CallerSpeech(1000, List.of(3000, 5000)));

  @Test
  void aTalkTurnDecodesToTheToneAndSilenceToSilence() throws Exception {
    OpusDecoder decoder = new OpusDecoder(48_000, 1);
    short[] pcm = new short[DoubleAudio.SAMPLES_48K_PER_FRAME];
    short[] turn = new short[50 * pcm.length];
    for (int i = 0; i < 50; i++) {
      byte[] packet = audio.opusPacket(audio.toneFrame(i));
      assertThat(packet).as("frame %d has its packet", i).isNotNull();
      assertThat(decoder.decode(packet, 0, packet.length, pcm, 0, pcm.length, false)).isEqualTo(pcm.length);
      System.arraycopy(pcm, 0, turn, i * pcm.length, pcm.length);
    }
    short[] settled = Arrays.copyOfRange(turn, 10 * pcm.length, turn.length); // past the encoder's start
    assertThat(Tones.rmsDbfs(settled)).isGreaterThan(-20);
    assertThat(Tones.dominantHz(settled, 48_000)).isBetween(430.0, 450.0);
    assertThat(Tones.power(settled, 440, 48_000)).isGreaterThan(100 * Tones.power(settled, 880, 48_000));

    byte[] silence = audio.opusPacket(audio.silence());
    for (int i = 0; i < 20; i++) { // the tone fades out through the decoder's state, then silence stays silent
      decoder.decode(silence, 0, silence.length, pcm, 0, pcm.length, false);
    }
    assertThat(Tones.rmsDbfs(pcm)).isLessThan(-60);
  }

  @Test
  void aTurnIsAsLongAsTheTalkAndRepeatsOnlyPastIt() {
    assertThat(audio.toneFrame(0)).isSameAs(audio.toneFrame(50));
    assertThat(audio.toneFrame(49)).isNotSameAs(audio.toneFrame(0));
    assertThat(audio.opusPacket(new short[DoubleAudio.SAMPLES_48K_PER_FRAME])).as("only the shared frames, by identity")
        .isNull();
  }
}
