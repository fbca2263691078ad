package dev.wavoice.bridge;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Keeps what a bridge told the call layer, in order, with an optional snapshot taken at the end request. */
final class RecordingBridgeListener implements BridgeListener {

  final List<String> endRequests = new CopyOnWriteArrayList<>();
  final List<String> failures = new CopyOnWriteArrayList<>();
  final List<String> problems = new CopyOnWriteArrayList<>();
  final List<Instant> firstBotAudio = new CopyOnWriteArrayList<>();
  final List<TranscriptLine> lines = new CopyOnWriteArrayList<>();
  final List<Object> atEndRequest = new CopyOnWriteArrayList<>();
  volatile Supplier<Object> snapshotOnEnd = () -> null;

  @Override
  public void endRequested(String detail) {
    atEndRequest.add(String.valueOf(snapshotOnEnd.get()));
    endRequests.add(detail);
  }

  @Override
  public void failed(String detail) {
    failures.add(detail);
  }

  @Override
  public void problem(String detail) {
    problems.add(detail);
  }

  @Override
  public void firstBotAudio(Instant at) {
    firstBotAudio.add(at);
  }

  @Override
  public void transcriptLine(TranscriptLine line) {
    lines.add(line);
  }
}
