package dev.wavoice.audio;

/**
 * How the shared pacer keeps time.
 *
 * @param streams calls it is sending for now
 * @param ticks ticks since it started
 * @param skippedTicks grid points missed because the thread woke a whole period late (never caught up)
 * @param latenessP50Micros median lateness of a tick behind its grid point (100 µs resolution)
 * @param latenessP99Micros 99th percentile of that lateness
 * @param maxLatenessMicros the worst lateness
 * @param streamFailures frames a stream failed to send (other streams are unaffected)
 */
public record PacerStats(int streams, long ticks, long skippedTicks, long latenessP50Micros, long latenessP99Micros,
    long maxLatenessMicros, long streamFailures) {}
