package dev.wavoice.testkit.kms;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What wavoice's outbound RTP brought to the double's RtpEndpoints, timed at arrival (monotonic
 * nanoseconds), for load runs. Per call: a bot turn is a run of audible frames; the gap between two
 * consecutive frames of a turn gives the pacing jitter |gap − 20 ms|; 4 or more frames each under 5 ms
 * after the previous are a burst; a gap of 40 ms or more is a late frame (a whole period missed);
 * sequence numbers skipped are lost frames. When a caller starts talking while the bot's audio is
 * arriving, the time until the first silent frame arrives is the barge-in as the caller hears it.
 */
public final class BotAudioArrivals {

  static final long FRAME_NANOS = 20_000_000L;
  static final long BURST_GAP_NANOS = 5_000_000L;
  static final long LATE_GAP_NANOS = 2 * FRAME_NANOS;
  /** Bot audio counts as playing when its last frame arrived at most this long ago. */
  static final long PLAYING_NANOS = 3 * FRAME_NANOS;

  private static final class Stream {
    long lastArrival;
    long lastAudible;
    int lastSequence = -1;
    boolean lastWasAudible;
    int closeGaps;
    long bargeInStart;
  }

  private final Map<PipelineDouble, Stream> streams = new IdentityHashMap<>();
  private final Map<String, Long> firstAudio = new HashMap<>();
  private final Histogram jitterMicros = new Histogram(1, 60_000_000, 3);
  private final Histogram bargeInMicros = new Histogram(1, 60_000_000, 3);
  private long packets;
  private long audibleFrames;
  private long turns;
  private long bursts;
  private long late;
  private long lost;

  /** One RTP packet from wavoice for this pipeline's call arrived at {@code nanos}. */
  synchronized void arrived(PipelineDouble pipeline, String callId, int sequence, boolean audible, long nanos) {
    Stream s = streams.computeIfAbsent(pipeline, p -> new Stream());
    packets++;
    if (s.lastSequence >= 0) {
      int skipped = ((sequence - s.lastSequence) & 0xFFFF) - 1;
      if (skipped > 0 && skipped < 1000) {
        lost += skipped;
      }
    }
    if (audible) {
      audibleFrames++;
      if (callId != null && !firstAudio.containsKey(callId)) {
        firstAudio.put(callId, nanos);
      }
      if (s.lastWasAudible) {
        long gap = nanos - s.lastArrival;
        jitterMicros.recordValue(Math.max(1, Math.abs(gap - FRAME_NANOS) / 1000));
        if (gap >= LATE_GAP_NANOS) {
          late++;
        }
        if (gap < BURST_GAP_NANOS) {
          if (++s.closeGaps == 3) {
            bursts++; // the 4th frame in a row, each under 5 ms after the one before
          }
        } else {
          s.closeGaps = 0;
        }
      } else {
        turns++;
        s.closeGaps = 0;
      }
      s.lastAudible = nanos;
    } else if (s.bargeInStart != 0) {
      bargeInMicros.recordValue(Math.max(1, (nanos - s.bargeInStart) / 1000));
      s.bargeInStart = 0;
    }
    s.lastWasAudible = audible;
    s.lastSequence = sequence;
    s.lastArrival = nanos;
  }

  /** The caller of this pipeline started a talk spurt at {@code nanos}: a barge-in if the bot is playing. */
  synchronized void callerTalks(PipelineDouble pipeline, long nanos) {
    Stream s = streams.get(pipeline);
    if (s != null && s.lastWasAudible && nanos - s.lastAudible <= PLAYING_NANOS) {
      s.bargeInStart = nanos;
    }
  }

  synchronized void released(PipelineDouble pipeline) {
    streams.remove(pipeline);
  }

  /** Clears the figures (not the first-audio times). */
  public synchronized void reset() {
    jitterMicros.reset();
    bargeInMicros.reset();
    packets = 0;
    audibleFrames = 0;
    turns = 0;
    bursts = 0;
    late = 0;
    lost = 0;
    for (Stream s : streams.values()) {
      s.lastWasAudible = false; // a gap across the reset is not measured
      s.bargeInStart = 0;
      s.closeGaps = 0;
    }
  }

  /** The arrival time of each call's first audible frame since the last call to this method (and forgets them). */
  public synchronized Map<String, Long> takeFirstAudio() {
    Map<String, Long> taken = new LinkedHashMap<>(firstAudio);
    firstAudio.clear();
    return taken;
  }

  /** The figures since the last reset: counts, jitter and barge-in percentiles in µs. */
  public synchronized Map<String, Long> figures() {
    Map<String, Long> f = new LinkedHashMap<>();
    f.put("packets", packets);
    f.put("audibleFrames", audibleFrames);
    f.put("turns", turns);
    f.put("bursts", bursts);
    f.put("late", late);
    f.put("lost", lost);
    f.put("gaps", jitterMicros.getTotalCount());
    f.put("jitterP50us", jitterMicros.getValueAtPercentile(50));
    f.put("jitterP99us", jitterMicros.getValueAtPercentile(99));
    f.put("jitterMaxUs", jitterMicros.getMaxValue());
    f.put("bargeIns", bargeInMicros.getTotalCount());
    f.put("bargeInP50us", bargeInMicros.getValueAtPercentile(50));
    f.put("bargeInP99us", bargeInMicros.getValueAtPercentile(99));
    f.put("bargeInMaxUs", bargeInMicros.getMaxValue());
    return f;
  }
}
