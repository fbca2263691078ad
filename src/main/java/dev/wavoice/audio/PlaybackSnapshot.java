package dev.wavoice.audio;

/**
 * The audio being played on a call, as of now.
 *
 * @param tag the tag it was queued under
 * @param sentMs audio of it put on the wire so far (whole 20 ms frames; the last may be padded)
 * @param queuedMs audio of it waiting in the queue
 * @param ended whether all of its audio has been queued
 */
public record PlaybackSnapshot(String tag, long sentMs, long queuedMs, boolean ended) {}
