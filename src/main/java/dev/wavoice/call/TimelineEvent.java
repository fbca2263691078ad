package dev.wavoice.call;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One step of a call's set-up or end, in milliseconds since the call started (the connect webhook's arrival). */
@Embeddable
public class TimelineEvent {

  @Column(name = "event_name", length = 32, nullable = false)
  private String event;

  @Column(name = "at_ms", nullable = false)
  private long atMs;

  protected TimelineEvent() {}

  public TimelineEvent(String event, long atMs) {
    this.event = event;
    this.atMs = atMs;
  }

  public String event() {
    return event;
  }

  public long atMs() {
    return atMs;
  }
}
