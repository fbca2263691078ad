package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.ErrorInfo;
import dev.wavoice.realtime.RealtimeWire.RateLimit;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Calls the bridge's listener so that an exception in it is logged and never stops the session. */
final class GuardedListener implements RealtimeListener {

  private static final Logger LOG = Logger.getLogger(GuardedListener.class.getName());

  private final RealtimeListener delegate;
  private final String label;

  GuardedListener(RealtimeListener delegate, String label) {
    this.delegate = delegate;
    this.label = label;
  }

  private void guard(String what, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException bug) {
      LOG.log(Level.WARNING, label + ": the listener failed in " + what, bug);
    }
  }

  @Override
  public void speechStarted(int audioStartMs, String itemId) {
    guard("speechStarted", () -> delegate.speechStarted(audioStartMs, itemId));
  }

  @Override
  public void speechStopped(int audioEndMs, String itemId) {
    guard("speechStopped", () -> delegate.speechStopped(audioEndMs, itemId));
  }

  @Override
  public void responseStarted(String responseId) {
    guard("responseStarted", () -> delegate.responseStarted(responseId));
  }

  @Override
  public void audioDelta(AudioDelta delta) {
    guard("audioDelta", () -> delegate.audioDelta(delta));
  }

  @Override
  public void audioDone(String responseId, String itemId, int contentIndex) {
    guard("audioDone", () -> delegate.audioDone(responseId, itemId, contentIndex));
  }

  @Override
  public void callerTranscript(String itemId, String text) {
    guard("callerTranscript", () -> delegate.callerTranscript(itemId, text));
  }

  @Override
  public void callerTranscriptFailed(String itemId, String detail) {
    guard("callerTranscriptFailed", () -> delegate.callerTranscriptFailed(itemId, detail));
  }

  @Override
  public void botTranscript(String responseId, String itemId, String text) {
    guard("botTranscript", () -> delegate.botTranscript(responseId, itemId, text));
  }

  @Override
  public void responseDone(ResponseSummary summary) {
    guard("responseDone", () -> delegate.responseDone(summary));
  }

  @Override
  public void truncated(String itemId, int contentIndex, int audioEndMs) {
    guard("truncated", () -> delegate.truncated(itemId, contentIndex, audioEndMs));
  }

  @Override
  public void toolCall(ToolResult result) {
    guard("toolCall", () -> delegate.toolCall(result));
  }

  @Override
  public void endCallRequested(String reason) {
    guard("endCallRequested", () -> delegate.endCallRequested(reason));
  }

  @Override
  public void rateLimits(List<RateLimit> limits) {
    guard("rateLimits", () -> delegate.rateLimits(limits));
  }

  @Override
  public void errorReported(ErrorInfo error) {
    guard("errorReported", () -> delegate.errorReported(error));
  }

  @Override
  public void rolledOver(String newSessionId) {
    guard("rolledOver", () -> delegate.rolledOver(newSessionId));
  }

  @Override
  public void reconnected(String newSessionId, RealtimeFailure lost) {
    guard("reconnected", () -> delegate.reconnected(newSessionId, lost));
  }

  @Override
  public void rolloverFailed(RealtimeFailure failure) {
    guard("rolloverFailed", () -> delegate.rolloverFailed(failure));
  }

  @Override
  public void failed(RealtimeFailure failure) {
    guard("failed", () -> delegate.failed(failure));
  }
}
