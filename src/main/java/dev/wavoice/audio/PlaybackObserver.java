package dev.wavoice.audio;

/**
 * Told when bot audio really reaches the wire, per tag: the bridge uses it for the call's first bot
 * audio and for transcript lines (what the caller heard and when). Called on the pacer thread right
 * after the send (or, for {@link #finished}, on the thread that ended the tag's audio when all of it had
 * already been sent): implementations must return at once and never block.
 */
public interface PlaybackObserver {

  /** The first frame queued under the tag went out on RTP. */
  void started(String tag);

  /** The tag's audio played completely: it had ended and its last frame went out. Not called for flushed audio. */
  void finished(String tag);

  PlaybackObserver NONE = new PlaybackObserver() {
    @Override
    public void started(String tag) {}

    @Override
    public void finished(String tag) {}
  };
}
