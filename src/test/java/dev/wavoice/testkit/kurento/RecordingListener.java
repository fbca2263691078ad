package dev.wavoice.testkit.kurento;

import dev.wavoice.media.MediaEvent;
import dev.wavoice.media.MediaFailure;
import dev.wavoice.media.MediaListener;
import dev.wavoice.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A media listener that records what it was told, for tests. */
public class RecordingListener implements MediaListener {

  private final AtomicInteger connected = new AtomicInteger();
  private final List<MediaFailure> failures = new CopyOnWriteArrayList<>();
  private final List<MediaEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void mediaConnected() {
    connected.incrementAndGet();
  }

  @Override
  public void mediaFailed(MediaFailure failure) {
    failures.add(failure);
  }

  @Override
  public void mediaEvent(MediaEvent event) {
    events.add(event);
  }

  public int connectedCount() {
    return connected.get();
  }

  public List<MediaFailure> failures() {
    return List.copyOf(failures);
  }

  public List<MediaEvent> events() {
    return List.copyOf(events);
  }

  public boolean saw(MediaEvent.Leg leg, MediaEvent.Kind kind, String state) {
    return events.stream().anyMatch(e -> e.leg() == leg && e.kind() == kind && e.state().equals(state));
  }

  public void awaitConnected(Duration deadline) {
    try {
      Await.until(deadline, "mediaConnected", () -> {
        if (!failures.isEmpty()) {
          throw new AssertionError("media failed instead: " + failures + "; events " + events);
        }
        return connected.get() > 0;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; events so far " + events, e);
    }
  }

  public MediaFailure awaitFailure(Duration deadline) {
    try {
      return Await.value(deadline, "mediaFailed", () -> failures.isEmpty() ? null : failures.get(0));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; events so far " + events, e);
    }
  }

  public void awaitEvent(Duration deadline, MediaEvent.Leg leg, MediaEvent.Kind kind, String state) {
    try {
      Await.until(deadline, leg + " " + kind + " " + state, () -> saw(leg, kind, state));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; events so far " + events, e);
    }
  }
}
