package dev.wavoice.bridge;

/**
 * Where the bridge says how long it held audio (monotonic nanoseconds): the metrics
 * ({@link MicroProfileBridgeTimings}), a benchmark's recorders, or nobody ({@link #NONE}). Called on
 * the bridge's hot threads (RTP receive, WebSocket, pacer): implementations record and return.
 */
public interface BridgeTimings {

  /**
   * Caller audio went to OpenAI: the RTP packets of the batch's first and last frame arrived at
   * {@code firstArrivalNanos} and {@code lastArrivalNanos}; the {@code input_audio_buffer.append} was
   * handed to the session's WebSocket at {@code sentNanos}.
   */
  void callerAudioSent(long firstArrivalNanos, long lastArrivalNanos, long sentNanos);

  /**
   * A bot item began while nothing was queued: its first delta reached the bridge at {@code deltaNanos},
   * its first frame was queued at {@code queuedNanos} and went out on RTP at {@code onWireNanos}.
   */
  void botAudioStarted(long deltaNanos, long queuedNanos, long onWireNanos);

  /** {@code speech_started} reached the bridge at {@code eventNanos}; the call's queue was flushed at {@code flushedNanos}. */
  void bargeIn(long eventNanos, long flushedNanos);

  /** Records nothing. */
  BridgeTimings NONE = new BridgeTimings() {
    @Override
    public void callerAudioSent(long firstArrivalNanos, long lastArrivalNanos, long sentNanos) {}

    @Override
    public void botAudioStarted(long deltaNanos, long queuedNanos, long onWireNanos) {}

    @Override
    public void bargeIn(long eventNanos, long flushedNanos) {}
  };
}
