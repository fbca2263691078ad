package dev.wavoice.bridge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Keeps what the bridges counted. */
final class RecordingMetrics implements BridgeMetrics {

  final List<String> events = new CopyOnWriteArrayList<>();
  final AtomicReference<AudioCounts> audio = new AtomicReference<>(AudioCounts.ZERO);
  volatile Supplier<Integer> open;

  @Override
  public void openBridges(Supplier<Integer> count) {
    open = count;
  }

  @Override
  public void audio(AudioCounts delta) {
    audio.accumulateAndGet(delta, AudioCounts::plus);
  }

  @Override
  public void bargeIn() {
    events.add("barge-in");
  }

  @Override
  public void truncation() {
    events.add("truncation");
  }

  @Override
  public void openAiError(String code) {
    events.add("openai-error " + code);
  }

  @Override
  public void failure(String kind) {
    events.add("failure " + kind);
  }

  @Override
  public void toolCall(String outcome) {
    events.add("tool " + outcome);
  }

  @Override
  public void recording(String outcome) {
    events.add("recording " + outcome);
  }

  @Override
  public void recordingFramesDropped(long frames) {
    events.add("recording dropped " + frames);
  }
}
