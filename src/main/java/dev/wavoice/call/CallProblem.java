package dev.wavoice.call;

import java.util.List;

/**
 * What went wrong with a call, for its record: error lines, and the other side's own error when it
 * gave one (Meta's code, subcode and details).
 */
public record CallProblem(List<String> errors, RemoteError remoteError) {

  /** The other side's error as it reported it. */
  public record RemoteError(long code, Long subcode, String details) {}

  public CallProblem {
    errors = List.copyOf(errors);
  }

  public static CallProblem of(String error) {
    return new CallProblem(List.of(error), null);
  }

  public boolean isEmpty() {
    return errors.isEmpty() && remoteError == null;
  }
}
