package dev.wavoice.audio;

/**
 * The item being played on a call, as of now.
 *
 * @param itemId OpenAI's {@code item_id} of the audio
 * @param contentIndex OpenAI's {@code content_index}
 * @param receivedMs audio received from OpenAI for it so far
 * @param sentMs audio of it put on the wire so far (whole 20 ms frames; the last may be padded)
 * @param queuedMs audio of it waiting in the queue
 * @param ended whether all of its audio has been received
 */
public record PlaybackSnapshot(String itemId, int contentIndex, long receivedMs, long sentMs, long queuedMs, boolean ended) {}
