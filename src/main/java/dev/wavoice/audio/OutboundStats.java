package dev.wavoice.audio;

/**
 * Counters of a call's send path since it started.
 *
 * @param framesQueued 20 ms frames of bot audio queued
 * @param overflowFrames frames refused because the queue was full (their audio is lost)
 * @param flushes barge-in flushes
 * @param audioFramesSent frames of bot audio sent
 * @param silenceFramesSent silence frames sent because the queue was empty
 * @param sendFailures frames the socket refused
 * @param queuedFrames frames waiting now
 * @param encodeLateTicks ticks that sent silence because the next bot frame was not encoded yet (the
 *     encoder threads were behind; the frame went out a tick later, nothing was lost)
 */
public record OutboundStats(long framesQueued, long overflowFrames, long flushes,
    long audioFramesSent, long silenceFramesSent, long sendFailures, long queuedFrames, long encodeLateTicks) {}
