package dev.wavoice.doctor;

/** How a doctor check came out. */
public enum CheckStatus {
  /** The prerequisite is met. */
  PASS,
  /** Met, but something will go wrong soon or in some cases (e.g. a token expiring within a week). */
  WARN,
  /** Not met: calls will not work until it is fixed. */
  FAIL,
  /** Could not be checked (a read failed or timed out, or a setting it needs is missing); the summary says why. */
  UNKNOWN
}
