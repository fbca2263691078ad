package dev.wavoice.realtime;

/** A Realtime session could not be opened; {@link #failure()} says why. */
public final class RealtimeException extends RuntimeException {

  private final RealtimeFailure failure;

  public RealtimeException(RealtimeFailure failure) {
    super(failure.toString());
    this.failure = failure;
  }

  public RealtimeFailure failure() {
    return failure;
  }
}
