package dev.wavoice.audio;

/** A stream the {@link Pacer} drives: it sends exactly one 20 ms frame per call of {@link #sendFrame}. */
public interface PacedStream {

  /** Sends the next frame (audio, or silence when nothing is queued). Runs on the pacer thread. */
  void sendFrame(long nowNanos);
}
