package dev.wavoice.bridge;

import java.time.Instant;

/** One final line of the conversation: {@code speaker} is {@code caller} or {@code bot}. */
public record TranscriptLine(String speaker, Instant at, String text) {

  public static final String CALLER = "caller";
  public static final String BOT = "bot";
}
