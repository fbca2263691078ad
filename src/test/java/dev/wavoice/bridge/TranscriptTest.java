package dev.wavoice.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The call's transcript from events in the orders the threads can deliver them: a bot line is final
 * once its text is known, its audio began to play and finished (or was cut), whichever comes last.
 */
class TranscriptTest {

  final Transcript transcript = new Transcript();
  final Instant t0 = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void aBotLineIsFinalWhenItsAudioHasPlayedAndItsTextCame() {
    transcript.botAudio("item-1");
    assertThat(transcript.botStarted("item-1", t0)).isEmpty();
    assertThat(transcript.botText("item-1", " Hello. ")).isEmpty();
    List<TranscriptLine> lines = transcript.botFinished("item-1");
    assertThat(lines).containsExactly(new TranscriptLine(TranscriptLine.BOT, t0, "Hello.", false));
    assertThat(transcript.close()).containsExactlyElementsOf(lines);
  }

  @Test
  void theTextMayComeAfterTheAudioFinished() {
    transcript.botAudio("item-1");
    transcript.botStarted("item-1", t0);
    assertThat(transcript.botFinished("item-1")).isEmpty();
    assertThat(transcript.botText("item-1", "Hello."))
        .containsExactly(new TranscriptLine(TranscriptLine.BOT, t0, "Hello.", false));
  }

  @Test
  void theFirstFrameMayGoOutBeforeTheBridgeToldThatItsAudioWasQueued() {
    // the pacer sends the first frame as soon as it is queued; the bridge's thread tells botAudio after
    assertThat(transcript.botStarted("item-1", t0)).isEmpty();
    transcript.botAudio("item-1");
    transcript.botText("item-1", "Hello from the agent.");
    assertThat(transcript.botFinished("item-1"))
        .containsExactly(new TranscriptLine(TranscriptLine.BOT, t0, "Hello from the agent.", false));
  }

  @Test
  void aCutLineIsMarkedInterruptedAndItemsThatNeverPlayedLeaveNone() {
    transcript.botAudio("item-1");
    transcript.botStarted("item-1", t0);
    transcript.botText("item-1", "Let me tell you");
    transcript.botAudio("item-2");
    transcript.botText("item-2", "never heard");
    assertThat(transcript.bargeIn("item-1"))
        .containsExactly(new TranscriptLine(TranscriptLine.BOT, t0, "Let me tell you", true));
    assertThat(transcript.botFinished("item-2")).isEmpty();
    assertThat(transcript.close()).extracting(TranscriptLine::text).containsExactly("Let me tell you");
  }

  @Test
  void callerLinesAreDatedWhenTheCallerBeganToSpeakAndAllLinesCloseInTimeOrder() {
    transcript.callerSpeechStarted("caller-1", t0);
    transcript.botAudio("item-1");
    transcript.botStarted("item-1", t0.plusSeconds(3));
    transcript.botText("item-1", "Still playing");
    assertThat(transcript.callerText("caller-1", "Hi", t0.plusSeconds(2)))
        .containsExactly(new TranscriptLine(TranscriptLine.CALLER, t0, "Hi", false));
    assertThat(transcript.close()).containsExactly(
        new TranscriptLine(TranscriptLine.CALLER, t0, "Hi", false),
        new TranscriptLine(TranscriptLine.BOT, t0.plusSeconds(3), "Still playing", true));
    assertThat(transcript.botStarted("item-9", t0)).as("nothing after close").isEmpty();
  }
}
