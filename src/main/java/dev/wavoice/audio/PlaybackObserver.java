package dev.wavoice.audio;

/**
 * Told when bot audio really reaches the wire, per OpenAI item: the bridge uses it for the call's first
 * bot audio and for transcript lines (what the caller heard and when). Called on the pacer thread right
 * after the send (or, for {@link #finished}, on the thread that ended the item when all of it had
 * already been sent): implementations must return at once and never block.
 */
public interface PlaybackObserver {

  /** The first frame of the item went out on RTP. */
  void started(String itemId);

  /** The item played completely: it had ended and its last frame went out. Not called for a flushed item. */
  void finished(String itemId);

  PlaybackObserver NONE = new PlaybackObserver() {
    @Override
    public void started(String itemId) {}

    @Override
    public void finished(String itemId) {}
  };
}
