package dev.wavoice.bridge;

import dev.wavoice.audio.AudioFormats;
import dev.wavoice.audio.CallAudio;
import dev.wavoice.audio.InboundAudioSink;
import dev.wavoice.audio.MonotonicClock;
import dev.wavoice.realtime.RealtimeSession;

/**
 * The caller's side of one call: the audio plane's 20 ms frames (µ-law in PCMU mode, 24 kHz PCM in
 * Opus mode: already OpenAI's {@code audio/pcmu} and {@code audio/pcm}) batched into one
 * {@code input_audio_buffer.append} per {@code appendBatchMs}. Runs on the call's RTP receive thread;
 * the batch buffer is reused (the session encodes it before {@code appendAudio} returns). Attached to the
 * call's audio only once the call is accepted, so the caller is never heard before.
 */
final class CallerAudioBatcher implements InboundAudioSink {

  private final CallAudio audio;
  private final MonotonicClock clock;
  private final BridgeTimings timings;
  private final byte[] batch;
  private volatile RealtimeSession session;
  private volatile CallRecorder recorder;
  private int filled;
  private long firstArrivalNanos;

  CallerAudioBatcher(CallAudio audio, int appendBatchMs, MonotonicClock clock, BridgeTimings timings) {
    this.audio = audio;
    this.clock = clock;
    this.timings = timings;
    this.batch = new byte[AudioFormats.bridgeBytesPerMs(audio.codec()) * appendBatchMs];
  }

  /** Where the audio goes (null: nowhere, frames are dropped). */
  void streamTo(RealtimeSession realtime) {
    this.session = realtime;
  }

  /** Who records the caller's frames as well (null: nobody). */
  void recordTo(CallRecorder callRecorder) {
    this.recorder = callRecorder;
  }

  @Override
  public void onFrame(byte[] frame, int off, int len) {
    CallRecorder r = recorder;
    if (r != null) {
      r.caller(frame, off, len); // a copy into a pooled slot: the writer is on its own thread
    }
    RealtimeSession s = session;
    if (s == null) {
      return; // the OpenAI session is not ready yet
    }
    if (filled + len > batch.length) {
      send(s); // not expected: frames are 20 ms and the batch a whole number of them
    }
    if (filled == 0 && timings != BridgeTimings.NONE) {
      firstArrivalNanos = audio.packetArrivalNanos();
    }
    System.arraycopy(frame, off, batch, filled, Math.min(len, batch.length));
    filled += Math.min(len, batch.length);
    if (filled == batch.length) {
      send(s);
    }
  }

  private void send(RealtimeSession s) {
    s.appendAudio(batch, 0, filled);
    filled = 0;
    if (timings != BridgeTimings.NONE) {
      timings.callerAudioSent(firstArrivalNanos, audio.packetArrivalNanos(), clock.nanoTime());
    }
  }
}
