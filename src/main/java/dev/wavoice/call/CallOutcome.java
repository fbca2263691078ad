package dev.wavoice.call;

/** How a call ended, at a glance; {@link EndReason} says why. */
public enum CallOutcome {
  /** Still going. */
  IN_PROGRESS,
  /** Connected and ended normally (either side hung up, or the agent ended it). */
  COMPLETED,
  /** Refused by wavoice before it was answered (capacity, hours, blocked number, setup failure). */
  REJECTED,
  /** Ended by a fault (media, OpenAI, Kurento, Meta). */
  FAILED,
  /** An outgoing call the user did not pick up: rejected, or no answer in time. */
  NOT_ANSWERED
}
