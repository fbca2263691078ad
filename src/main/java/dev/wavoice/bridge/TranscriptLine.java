package dev.wavoice.bridge;

import java.time.Instant;
import java.util.Objects;

/**
 * One final line of the conversation: {@code speaker} is {@code caller} or {@code bot}; {@code at} is
 * when the caller began to speak, or when the bot's line began to play on the call. A bot line the
 * caller cut short (barge-in) or that the end of the call cut off is {@code interrupted}: its text is
 * what the model generated, of which the caller heard only the start (OpenAI deletes the transcript of
 * a truncated item, so the part actually heard is not known as text).
 */
public record TranscriptLine(String speaker, Instant at, String text, boolean interrupted) {

  public static final String CALLER = "caller";
  public static final String BOT = "bot";

  public TranscriptLine {
    Objects.requireNonNull(speaker, "speaker");
    Objects.requireNonNull(at, "at");
    text = text == null ? "" : text;
  }

  public TranscriptLine(String speaker, Instant at, String text) {
    this(speaker, at, text, false);
  }
}
