package dev.wavoice.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that moves only when the test sets or advances it (any thread may read it). */
public final class MovableClock extends Clock {

  private volatile Instant now;

  public MovableClock(Instant now) {
    this.now = now;
  }

  public void set(Instant at) {
    now = at;
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
