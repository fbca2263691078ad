package dev.wavoice.bridge;

import java.util.function.Supplier;

/**
 * What the bridges count for the operators (see {@code docs/bridge.md} for the metric names). The
 * production implementation is {@link MicroProfileBridgeMetrics}; every method is cheap and never
 * blocks.
 */
public interface BridgeMetrics {

  /** The number of open bridges, read when the metrics are scraped. */
  void openBridges(Supplier<Integer> count);

  /** Audio counters of one call since the last report (added, never set). */
  void audio(AudioCounts delta);

  /** The caller interrupted the bot. */
  void bargeIn();

  /** A {@code conversation.item.truncate} was sent. */
  void truncation();

  /** OpenAI reported an error the session survived ({@code code} as OpenAI gave it, or {@code unknown}). */
  void openAiError(String code);

  /** A call's OpenAI session ended under it ({@code kind} of {@code RealtimeFailure}). */
  void failure(String kind);

  /** A tool call: {@code ok}, {@code error} or {@code skipped} (its response did not complete). */
  void toolCall(String outcome);

  /** A call's recording ended: {@code ok} or {@code failed}. */
  default void recording(String outcome) {}

  /** Frames a call's recorder dropped because its writer fell behind. */
  default void recordingFramesDropped(long frames) {}

  /**
   * Audio counters of a call.
   *
   * @param callerFrames caller 20 ms frames delivered to the bridge
   * @param botFrames bot audio frames sent on RTP
   * @param silenceFrames silence frames sent because the bot was quiet
   * @param lostPackets caller RTP packets given up as lost (their time filled)
   * @param latePackets caller RTP packets that came after their slot was given up (dropped)
   * @param overflowFrames bot frames dropped because the queue was full
   * @param encodeLateTicks ticks that sent silence because the next bot frame was not encoded yet (Opus mode)
   */
  record AudioCounts(long callerFrames, long botFrames, long silenceFrames, long lostPackets, long latePackets,
      long overflowFrames, long encodeLateTicks) {

    public static final AudioCounts ZERO = new AudioCounts(0, 0, 0, 0, 0, 0, 0);

    AudioCounts minus(AudioCounts o) {
      return new AudioCounts(callerFrames - o.callerFrames, botFrames - o.botFrames, silenceFrames - o.silenceFrames,
          lostPackets - o.lostPackets, latePackets - o.latePackets, overflowFrames - o.overflowFrames,
          encodeLateTicks - o.encodeLateTicks);
    }

    AudioCounts plus(AudioCounts o) {
      return new AudioCounts(callerFrames + o.callerFrames, botFrames + o.botFrames, silenceFrames + o.silenceFrames,
          lostPackets + o.lostPackets, latePackets + o.latePackets, overflowFrames + o.overflowFrames,
          encodeLateTicks + o.encodeLateTicks);
    }
  }

  /** Counts nothing. */
  BridgeMetrics NONE = new BridgeMetrics() {
    @Override
    public void openBridges(Supplier<Integer> count) {}

    @Override
    public void audio(AudioCounts delta) {}

    @Override
    public void bargeIn() {}

    @Override
    public void truncation() {}

    @Override
    public void openAiError(String code) {}

    @Override
    public void failure(String kind) {}

    @Override
    public void toolCall(String outcome) {}
  };
}
