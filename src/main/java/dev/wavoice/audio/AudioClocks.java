package dev.wavoice.audio;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/** Produces the monotonic clock of the audio plane (tests construct the classes with their own). */
@ApplicationScoped
public class AudioClocks {

  @Produces
  @Dependent
  MonotonicClock monotonicClock() {
    return MonotonicClock.system();
  }
}
