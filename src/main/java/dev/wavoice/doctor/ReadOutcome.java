package dev.wavoice.doctor;

import dev.wavoice.whatsapp.GraphApiException;
import java.util.Optional;

/**
 * The outcome of one read of the doctor: the value, or why there is none (the read failed, timed out,
 * or could not be made because a setting is missing).
 */
record ReadOutcome<T>(T value, String problem, Throwable failure) {

  static <T> ReadOutcome<T> of(T value) {
    return new ReadOutcome<>(value, null, null);
  }

  static <T> ReadOutcome<T> failed(String problem, Throwable failure) {
    return new ReadOutcome<>(null, problem, failure);
  }

  static <T> ReadOutcome<T> skipped(String why) {
    return new ReadOutcome<>(null, why, null);
  }

  boolean ok() {
    return problem == null;
  }

  /** The Graph error, when the read failed with one. */
  Optional<GraphApiException> graphError() {
    return failure instanceof GraphApiException e ? Optional.of(e) : Optional.empty();
  }
}
