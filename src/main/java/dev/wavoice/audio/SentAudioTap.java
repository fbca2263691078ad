package dev.wavoice.audio;

/**
 * Told, on the pacer thread, what each tick put on the call's RTP leg, in the bridge's format (µ-law in
 * PCMU mode, 24 kHz PCM in Opus mode, as queued: before Opus encoding): the frame that went out, or
 * silence. Audio a barge-in flushed never went out, so it never comes here. Used to record the call as
 * the caller heard the agent. Implementations copy the frame and return at once: no I/O, no waiting.
 */
public interface SentAudioTap {

  /** A bot frame went out; {@code frame} is reused after this returns. */
  void sent(byte[] frame, int off, int len);

  /** The tick sent silence (nothing queued, or the next frame was not encoded yet). */
  void silence();

  SentAudioTap NONE = new SentAudioTap() {
    @Override
    public void sent(byte[] frame, int off, int len) {}

    @Override
    public void silence() {}
  };
}
