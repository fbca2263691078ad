package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.ErrorInfo;
import dev.wavoice.realtime.RealtimeWire.RateLimit;
import java.util.List;

/**
 * What a {@link RealtimeSession} tells the bridge. Calls come in the order OpenAI sent the events,
 * from the WebSocket's thread (tool results from a tool thread); implementations hand off quickly and
 * never block. Only {@link #audioDelta} and {@link #failed} must be implemented.
 */
public interface RealtimeListener {

  /** The caller started speaking (server VAD): the barge-in trigger. */
  default void speechStarted(int audioStartMs, String itemId) {}

  default void speechStopped(int audioEndMs, String itemId) {}

  /** A response began (requested by wavoice or created by OpenAI's turn detection). */
  default void responseStarted(String responseId) {}

  void audioDelta(AudioDelta delta);

  /** The last delta of an audio content part has been sent. */
  default void audioDone(String responseId, String itemId, int contentIndex) {}

  /** What the caller said, from the input transcription (may come before or after the response). */
  default void callerTranscript(String itemId, String text) {}

  default void callerTranscriptFailed(String itemId, String detail) {}

  /** What the bot said in an audio item (its full transcript). */
  default void botTranscript(String responseId, String itemId, String text) {}

  default void responseDone(ResponseSummary summary) {}

  /** OpenAI confirmed a {@code conversation.item.truncate}. */
  default void truncated(String itemId, int contentIndex, int audioEndMs) {}

  /** A tool call was run (or, when its response did not complete, not run). */
  default void toolCall(ToolResult result) {}

  /**
   * The agent called {@code end_call}: its goodbye is the audio of the response that has just
   * completed. The bridge ends the call once that audio has been played.
   */
  default void endCallRequested(String reason) {}

  default void rateLimits(List<RateLimit> limits) {}

  /** OpenAI reported an error the session survives (logged already). */
  default void errorReported(ErrorInfo error) {}

  /** The conversation moved to a fresh OpenAI session (before the 60-minute limit). */
  default void rolledOver(String newSessionId) {}

  /**
   * The connection broke ({@code lost} says how) and the conversation goes on on a fresh session, with a
   * recap; what the agent was saying when it broke is not finished.
   */
  default void reconnected(String newSessionId, RealtimeFailure lost) {}

  /** A fresh session could not be prepared; the current one goes on (and the move is tried again while there is time). */
  default void rolloverFailed(RealtimeFailure failure) {}

  /**
   * The session ended other than by {@link RealtimeSession#close()}: an error OpenAI reported as
   * fatal, or a close by the server or a broken connection that a fresh session could not replace.
   * Called at most once; nothing follows it.
   */
  void failed(RealtimeFailure failure);
}
