package dev.wavoice.bridge;

import dev.wavoice.RegisteredMetrics;
import dev.wavoice.realtime.RealtimeFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The bridge's metrics in the application's MicroProfile registry (exposed at {@code /metrics}, where
 * counters get the {@code _total} suffix). The untagged counters are registered once, here; the hot
 * paths only add to them.
 */
@ApplicationScoped
public class MicroProfileBridgeMetrics implements BridgeMetrics {

  static final String CALLER_FRAMES = "wavoice_bridge_caller_frames";
  static final String BOT_FRAMES = "wavoice_bridge_bot_frames";
  static final String SILENCE_FRAMES = "wavoice_bridge_silence_frames";
  static final String LOST_PACKETS = "wavoice_bridge_caller_packets_lost";
  static final String LATE_PACKETS = "wavoice_bridge_caller_packets_late";
  static final String OVERFLOW_FRAMES = "wavoice_bridge_bot_frames_dropped";
  static final String ENCODE_LATE = "wavoice_bridge_bot_frames_encode_late";
  static final String BARGE_INS = "wavoice_bridge_barge_ins";
  static final String TRUNCATIONS = "wavoice_bridge_truncations";
  static final String OPENAI_ERRORS = "wavoice_openai_errors";
  static final String FAILURES = "wavoice_bridge_failures";
  static final String TOOL_CALLS = "wavoice_bridge_tool_calls";
  static final String RECORDINGS = "wavoice_recordings";
  static final String RECORDING_FRAMES_DROPPED = "wavoice_recording_frames_dropped";
  static final String OPEN = "wavoice_bridges_open";

  private RegisteredMetrics registry;
  private Counter callerFrames;
  private Counter botFrames;
  private Counter silenceFrames;
  private Counter lostPackets;
  private Counter latePackets;
  private Counter overflowFrames;
  private Counter encodeLate;
  private Counter bargeIns;
  private Counter truncations;

  protected MicroProfileBridgeMetrics() {}

  @Inject
  public MicroProfileBridgeMetrics(RegisteredMetrics registry) {
    this.registry = registry;
    callerFrames = counter(CALLER_FRAMES, "caller audio frames (20 ms) received from Kurento and streamed to OpenAI");
    botFrames = counter(BOT_FRAMES, "bot audio frames (20 ms) sent to Kurento");
    silenceFrames = counter(SILENCE_FRAMES, "silence frames (20 ms) sent to Kurento while the bot was quiet");
    lostPackets = counter(LOST_PACKETS, "caller RTP packets given up as lost (their time was filled)");
    latePackets = counter(LATE_PACKETS, "caller RTP packets that arrived after their slot was given up (dropped)");
    overflowFrames = counter(OVERFLOW_FRAMES, "bot audio frames dropped because the call's queue was full");
    encodeLate = counter(ENCODE_LATE, "ticks that sent silence because the next bot frame was not encoded yet (Opus mode)");
    bargeIns = counter(BARGE_INS, "times the caller interrupted the bot");
    truncations = counter(TRUNCATIONS, "conversation.item.truncate events sent after a barge-in");
    // every kind exists from the start at 0, so a dashboard's increase() sees the first failure too
    for (RealtimeFailure.Kind kind : RealtimeFailure.Kind.values()) {
      failures(kind.name());
    }
  }

  private Counter counter(String name, String description) {
    return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
  }

  @Override
  public void openBridges(Supplier<Integer> count) {
    registry.gauge(Metadata.builder().withName(OPEN).withDescription("bridges open (calls with an OpenAI session and an RTP leg)")
        .build(), count);
  }

  @Override
  public void audio(AudioCounts delta) {
    add(callerFrames, delta.callerFrames());
    add(botFrames, delta.botFrames());
    add(silenceFrames, delta.silenceFrames());
    add(lostPackets, delta.lostPackets());
    add(latePackets, delta.latePackets());
    add(overflowFrames, delta.overflowFrames());
    add(encodeLate, delta.encodeLateTicks());
  }

  @Override
  public void bargeIn() {
    bargeIns.inc();
  }

  @Override
  public void truncation() {
    truncations.inc();
  }

  @Override
  public void openAiError(String code) {
    registry.counter(Metadata.builder().withName(OPENAI_ERRORS)
            .withDescription("errors OpenAI reported that the session survived, by error code").build(),
        new Tag("code", code == null || code.isBlank() ? "unknown" : code)).inc();
  }

  @Override
  public void failure(String kind) {
    failures(kind).inc();
  }

  private Counter failures(String kind) {
    return registry.counter(Metadata.builder().withName(FAILURES)
            .withDescription("calls whose OpenAI session ended under them, by kind").build(),
        new Tag("kind", kind));
  }

  @Override
  public void toolCall(String outcome) {
    registry.counter(Metadata.builder().withName(TOOL_CALLS)
            .withDescription("tool calls of the agent, by outcome (ok, error, skipped)").build(),
        new Tag("outcome", outcome)).inc();
  }

  @Override
  public void recording(String outcome) {
    registry.counter(Metadata.builder().withName(RECORDINGS)
            .withDescription("call recordings ended, by outcome (ok, failed)").build(),
        new Tag("outcome", outcome)).inc();
  }

  @Override
  public void recordingFramesDropped(long frames) {
    add(registry.counter(Metadata.builder().withName(RECORDING_FRAMES_DROPPED)
        .withDescription("20 ms frames not recorded because a call's recorder fell behind").build()), frames);
  }

  private static void add(Counter counter, long n) {
    if (n > 0) {
      counter.inc(n);
    }
  }
}
