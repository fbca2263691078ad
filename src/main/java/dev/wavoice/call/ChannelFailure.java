package dev.wavoice.call;

/**
 * The other side of a call refused or failed a step: how the call ends because of it, and what its record
 * must show. Its cause is the other side's own error (e.g. Meta's).
 */
public final class ChannelFailure extends RuntimeException {

  private final EndReason reason;
  private final transient CallProblem problem;

  public ChannelFailure(EndReason reason, String detail, CallProblem problem, Throwable cause) {
    super(detail, cause);
    this.reason = reason;
    this.problem = problem;
  }

  public EndReason reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }

  public CallProblem problem() {
    return problem;
  }
}
