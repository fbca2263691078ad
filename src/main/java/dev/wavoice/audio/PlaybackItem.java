package dev.wavoice.audio;

/**
 * Playback accounting of one OpenAI output item (its {@code item_id} and {@code content_index}): how
 * much audio was received for it and how much of it went on the wire. Guarded by the
 * {@link OutboundFrameQueue}'s monitor.
 */
final class PlaybackItem {

  final String itemId;
  final int contentIndex;
  private final int bytesPerMs;

  long receivedBytes;
  long sentFrames;
  int queuedFrames;
  /** No more audio will come for it (its last partial frame was padded and queued). */
  boolean ended;
  /** Some of its frames were dropped by a flush (barge-in): it will never play completely. */
  boolean flushed;

  PlaybackItem(String itemId, int contentIndex, int bytesPerMs) {
    this.itemId = itemId;
    this.contentIndex = contentIndex;
    this.bytesPerMs = bytesPerMs;
  }

  long receivedMs() {
    return receivedBytes / bytesPerMs;
  }

  long sentMs() {
    return sentFrames * AudioCodec.FRAME_MS;
  }

  /** Started on the wire and not finished: some of it was sent, and frames are queued or still coming. */
  boolean partlyPlayed() {
    return sentFrames > 0 && (queuedFrames > 0 || !ended);
  }

  PlaybackSnapshot snapshot() {
    return new PlaybackSnapshot(itemId, contentIndex, receivedMs(), sentMs(), queuedFrames * (long) AudioCodec.FRAME_MS, ended);
  }
}
