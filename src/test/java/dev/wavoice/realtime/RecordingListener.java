package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.ErrorInfo;
import dev.wavoice.realtime.RealtimeWire.RateLimit;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every callback of a {@link RealtimeSession}, in order, for assertions. */
final class RecordingListener implements RealtimeListener {

  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<AudioDelta> deltas = new CopyOnWriteArrayList<>();
  final List<ResponseSummary> responses = new CopyOnWriteArrayList<>();
  final List<ToolResult> tools = new CopyOnWriteArrayList<>();
  final List<String> endCalls = new CopyOnWriteArrayList<>();
  final List<ErrorInfo> errors = new CopyOnWriteArrayList<>();
  final List<RealtimeFailure> failures = new CopyOnWriteArrayList<>();
  final List<String> callerLines = new CopyOnWriteArrayList<>();
  final List<String> botLines = new CopyOnWriteArrayList<>();
  final List<String> rollovers = new CopyOnWriteArrayList<>();
  final List<RealtimeFailure> rolloverFailures = new CopyOnWriteArrayList<>();
  final List<RealtimeFailure> reconnects = new CopyOnWriteArrayList<>();
  final List<List<RateLimit>> rateLimits = new CopyOnWriteArrayList<>();
  final List<String> truncations = new CopyOnWriteArrayList<>();

  @Override
  public void speechStarted(int audioStartMs, String itemId) {
    calls.add("speechStarted " + audioStartMs);
  }

  @Override
  public void speechStopped(int audioEndMs, String itemId) {
    calls.add("speechStopped " + audioEndMs);
  }

  @Override
  public void responseStarted(String responseId) {
    calls.add("responseStarted " + responseId);
  }

  @Override
  public void audioDelta(AudioDelta delta) {
    deltas.add(delta);
  }

  @Override
  public void audioDone(String responseId, String itemId, int contentIndex) {
    calls.add("audioDone " + itemId);
  }

  @Override
  public void callerTranscript(String itemId, String text) {
    callerLines.add(text);
  }

  @Override
  public void botTranscript(String responseId, String itemId, String text) {
    botLines.add(text);
  }

  @Override
  public void responseDone(ResponseSummary summary) {
    responses.add(summary);
    calls.add("responseDone " + summary.responseId() + " " + summary.status());
  }

  @Override
  public void truncated(String itemId, int contentIndex, int audioEndMs) {
    truncations.add(itemId + "@" + audioEndMs);
  }

  @Override
  public void toolCall(ToolResult result) {
    tools.add(result);
  }

  @Override
  public void endCallRequested(String reason) {
    endCalls.add(reason);
  }

  @Override
  public void rateLimits(List<RateLimit> limits) {
    rateLimits.add(limits);
  }

  @Override
  public void errorReported(ErrorInfo error) {
    errors.add(error);
  }

  @Override
  public void rolledOver(String newSessionId) {
    rollovers.add(newSessionId);
  }

  @Override
  public void reconnected(String newSessionId, RealtimeFailure lost) {
    reconnects.add(lost);
  }

  @Override
  public void rolloverFailed(RealtimeFailure failure) {
    rolloverFailures.add(failure);
  }

  @Override
  public void failed(RealtimeFailure failure) {
    failures.add(failure);
  }

  /** The bot audio of one item, in order. */
  byte[] audioOf(String itemId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    deltas.stream().filter(d -> d.itemId().equals(itemId)).forEach(d -> out.writeBytes(d.audio()));
    return out.toByteArray();
  }
}
