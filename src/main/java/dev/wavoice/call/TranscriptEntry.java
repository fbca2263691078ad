package dev.wavoice.call;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/** One line of a call's transcript: who spoke ({@code caller} or {@code bot}), when, and what. */
@Embeddable
public class TranscriptEntry {

  @Column(name = "speaker", length = 16, nullable = false)
  private String speaker;

  @Column(name = "spoken_at", nullable = false)
  private Instant at;

  @Column(name = "text", length = 8000)
  private String text;

  protected TranscriptEntry() {}

  public TranscriptEntry(String speaker, Instant at, String text) {
    this.speaker = speaker;
    this.at = at;
    this.text = text == null ? "" : text.length() > 8000 ? text.substring(0, 8000) : text;
  }

  public String speaker() {
    return speaker;
  }

  public Instant at() {
    return at;
  }

  public String text() {
    return text;
  }
}
