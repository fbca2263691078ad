package dev.wavoice.bridge;

import dev.wavoice.RegisteredMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * How long the bridges hold audio, as histograms in microseconds at {@code /metrics} (see
 * {@code docs/bridge.md}): the caller's direction (the RTP packet that completed an append → the append
 * handed to the WebSocket), the bot's (the first delta of an answer that found the queue empty → its
 * first frame on RTP, which includes the wait for the next 20 ms tick), and barge-in
 * ({@code speech_started} → the call's queue flushed). Payara exports each as a summary whose quantiles
 * come from a sample weighted to the last few minutes.
 */
@ApplicationScoped
public class MicroProfileBridgeTimings implements BridgeTimings {

  static final String CALLER = "wavoice_bridge_caller_delay";
  static final String BOT = "wavoice_bridge_bot_delay";
  static final String BARGE_IN = "wavoice_bridge_barge_in_flush";

  private Histogram caller;
  private Histogram bot;
  private Histogram bargeIn;

  protected MicroProfileBridgeTimings() {}

  @Inject
  public MicroProfileBridgeTimings(RegisteredMetrics registry) {
    caller = histogram(registry, CALLER, "caller audio: RTP packet in → its input_audio_buffer.append handed to the WebSocket");
    bot = histogram(registry, BOT, "bot audio: first delta of an answer (queue empty) → its first frame on RTP, with the wait for the tick");
    bargeIn = histogram(registry, BARGE_IN, "barge-in: speech_started received → the call's bot audio flushed");
  }

  private static Histogram histogram(RegisteredMetrics registry, String name, String description) {
    return registry.histogram(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.MICROSECONDS).build());
  }

  @Override
  public void callerAudioSent(long firstArrivalNanos, long lastArrivalNanos, long sentNanos) {
    caller.update(micros(sentNanos - lastArrivalNanos));
  }

  @Override
  public void botAudioStarted(long deltaNanos, long queuedNanos, long onWireNanos) {
    bot.update(micros(onWireNanos - deltaNanos));
  }

  @Override
  public void bargeIn(long eventNanos, long flushedNanos) {
    bargeIn.update(micros(flushedNanos - eventNanos));
  }

  private static long micros(long nanos) {
    return Math.max(0, nanos / 1000);
  }
}
