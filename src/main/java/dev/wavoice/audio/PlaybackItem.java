package dev.wavoice.audio;

/**
 * Playback accounting of the audio queued under one tag (the bridge's choice; opaque here): how many
 * of its frames wait and how many went on the wire. Guarded by the {@link OutboundFrameQueue}'s monitor.
 */
final class PlaybackItem {

  final String tag;

  long sentFrames;
  int queuedFrames;
  /** No more audio will come for it (its last partial frame was padded and queued). */
  boolean ended;
  /** Some of its frames were dropped by a flush (barge-in): it will never play completely. */
  boolean flushed;

  PlaybackItem(String tag) {
    this.tag = tag;
  }

  long sentMs() {
    return sentFrames * AudioCodec.FRAME_MS;
  }

  /** Started on the wire and not finished: some of it was sent, and frames are queued or still coming. */
  boolean partlyPlayed() {
    return sentFrames > 0 && (queuedFrames > 0 || !ended);
  }

  PlaybackSnapshot snapshot() {
    return new PlaybackSnapshot(tag, sentMs(), queuedFrames * (long) AudioCodec.FRAME_MS, ended);
  }
}
