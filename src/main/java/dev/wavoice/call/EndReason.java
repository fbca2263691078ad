package dev.wavoice.call;

/** Why a call ended. Every end goes through the one end path with one of these. */
public enum EndReason {
  /** WhatsApp sent {@code terminate}: the user hung up, or Meta ended the call. */
  REMOTE_TERMINATE(CallOutcome.COMPLETED, false),
  /** The agent ended the call with the {@code end_call} tool. */
  AGENT_ENDED(CallOutcome.COMPLETED, true),
  /** An operator hung up through the admin API or the console. */
  OPERATOR_HANGUP(CallOutcome.COMPLETED, true),
  /** wavoice is shutting down. */
  SHUTDOWN(CallOutcome.COMPLETED, true),
  /** Over {@code wavoice.calls.max-active}. */
  OVER_CAPACITY(CallOutcome.REJECTED, true),
  /** Outside the configured business hours. */
  OUTSIDE_HOURS(CallOutcome.REJECTED, true),
  /** The caller's number is blocked. */
  BLOCKED_NUMBER(CallOutcome.REJECTED, true),
  /** No Kurento Media Server was available to build the media. */
  KMS_UNAVAILABLE(CallOutcome.REJECTED, true),
  /** The SDP could not be negotiated. */
  MEDIA_SETUP_FAILED(CallOutcome.REJECTED, true),
  /**
   * Media did not connect within {@code wavoice.calls.media-timeout-seconds}: Meta is told {@code reject}, or
   * {@code terminate} when the call had been accepted without media.
   */
  MEDIA_TIMEOUT(CallOutcome.REJECTED, true),
  /** OpenAI refused or failed to configure the session before the call was answered. */
  OPENAI_REFUSED(CallOutcome.REJECTED, true),
  /** Meta refused a call action (pre_accept/accept/connect), with its error code. */
  GRAPH_ERROR(CallOutcome.FAILED, true),
  /** The media failed after the call was up (ICE/DTLS failure, Kurento error). */
  MEDIA_FAILED(CallOutcome.FAILED, true),
  /** The Kurento Media Server restarted or was lost: every pipeline on it is gone. */
  KMS_RESTARTED(CallOutcome.FAILED, true),
  /** The OpenAI session failed or closed during the call. */
  OPENAI_FAILED(CallOutcome.FAILED, true),
  /** The call reached {@code wavoice.calls.max-duration-seconds} after it was accepted; Meta is told {@code terminate}. */
  MAX_DURATION(CallOutcome.COMPLETED, true),
  /**
   * No RTP from the caller for {@code wavoice.calls.inactivity-seconds} after media connected: the caller's
   * network is gone, or Meta's {@code terminate} was lost. Meta is told {@code terminate}.
   */
  MEDIA_INACTIVE(CallOutcome.FAILED, true),
  /** The user rejected an outgoing call (Meta's status {@code REJECTED}): Meta already knows. */
  NOT_ANSWERED(CallOutcome.NOT_ANSWERED, false),
  /**
   * An outgoing call had no answer within {@code wavoice.calls.outbound-answer-timeout-seconds}: Meta is
   * told {@code terminate}, so the user's phone stops ringing.
   */
  ANSWER_TIMEOUT(CallOutcome.NOT_ANSWERED, true),
  /** An unexpected error in wavoice. */
  INTERNAL_ERROR(CallOutcome.FAILED, true);

  private final CallOutcome outcome;
  private final boolean endedByUs;

  EndReason(CallOutcome outcome, boolean endedByUs) {
    this.outcome = outcome;
    this.endedByUs = endedByUs;
  }

  public CallOutcome outcome() {
    return outcome;
  }

  /** True when wavoice ends the call, so Meta must be told (reject before accept, terminate after). */
  public boolean endedByUs() {
    return endedByUs;
  }
}
