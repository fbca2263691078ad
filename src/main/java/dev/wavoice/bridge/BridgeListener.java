package dev.wavoice.bridge;

import java.time.Instant;

/**
 * What a bridge tells the call layer. Called from the bridge's threads; implementations hand off
 * quickly and never block.
 */
public interface BridgeListener {

  /** The agent asked to end the call ({@code end_call}); its goodbye has been played out. */
  void endRequested(String detail);

  /** The OpenAI session failed or closed and could not be recovered; the call cannot go on. */
  void failed(String detail);

  /**
   * The first RTP packet from Kurento (the caller's side) reached the audio plane, at {@code at}; called
   * once, from the receive thread, possibly before {@link CallBridge#start()}.
   */
  default void firstCallerRtp(Instant at) {}

  /** The first frame of bot audio went out on RTP. */
  void firstBotAudio(Instant at);

  /** A transcript line is final (caller or bot); for the live console. */
  void transcriptLine(TranscriptLine line);

  /** Something went wrong that the call survives (e.g. a move to a fresh OpenAI session failed); for the record. */
  default void problem(String detail) {}
}
