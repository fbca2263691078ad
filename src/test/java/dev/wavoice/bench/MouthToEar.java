package dev.wavoice.bench;

import dev.wavoice.testkit.audio.Onsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Latency each way through wavoice and Kurento, from times taken in different processes of this machine on
 * the wall clock they share (nanoseconds since the Unix epoch):
 *
 * <ul>
 *   <li><b>caller → OpenAI</b>: a caller's packet that begins a talk turn leaves its WhatsApp peer → the
 *       {@code input_audio_buffer.append} that carries the turn's first sound is read by the OpenAI double.
 *       It holds the app's batching: an append goes out once it is full, so when the turn's first packet opens
 *       a batch, the append also waits for the packets after it ({@link Figures#batchWaitNanos});
 *   <li><b>OpenAI → caller</b>: the OpenAI double hands a response's first audio delta to its socket → the
 *       packet whose decoded audio holds the response's first sound reaches the caller's peer (decoding it
 *       takes microseconds; the phone's own playout buffer is the phone's, not counted).
 * </ul>
 *
 * Every caller talks at its own pitch ({@code baseHz + i * stepHz}), so the double's session of a call is
 * the one whose caller sounds are at that pitch. Each event pairs with the first one on the other side after
 * it, before the next event of its own kind (a turn or response that left nothing behind pairs with nothing).
 */
final class MouthToEar {

  /** What caller {@code i}'s peer recorded: its talk turns' send times and the arrivals of the sounds it heard. */
  record Caller(List<Long> talkOnsets, List<Long> heardOnsets) {}

  /** What the double recorded for one session: where the caller's sounds began, when each response's audio went out. */
  record Session(List<Onsets.Onset> callerOnsets, List<Long> responseStarts) {}

  /** The pairs found, each way (nanoseconds), and how many sessions could be told apart by their caller's pitch. */
  record Figures(long[] upNanos, long[] batchWaitNanos, long[] downNanos, int sessions, int matched) {

    long[] upWithoutBatchingNanos() {
      long[] without = new long[upNanos.length];
      for (int i = 0; i < without.length; i++) {
        without[i] = upNanos[i] - batchWaitNanos[i];
      }
      return without;
    }
  }

  /** How far from a caller's pitch a session's may be and still be its (half the step, less a margin). */
  static final double PITCH_TOLERANCE = 0.4;
  /** A pair further apart than this is not one (nothing left the first event). */
  static final long MAX_PAIR_NANOS = 2_000_000_000L;
  static final long FRAME_NANOS = 20_000_000L;

  private MouthToEar() {}

  /** The latencies of the events whose first side happened in {@code [fromNanos, toNanos)}. */
  static Figures measure(List<Caller> callers, List<Session> sessions, double baseHz, double stepHz, long fromNanos, long toNanos) {
    List<Long> up = new ArrayList<>();
    List<Long> wait = new ArrayList<>();
    List<Long> down = new ArrayList<>();
    int matched = 0;
    for (Session session : sessions) {
      int caller = callerOf(session, callers.size(), baseHz, stepHz);
      if (caller < 0) {
        continue;
      }
      matched++;
      List<Long> turns = callers.get(caller).talkOnsets();
      for (int t = 0; t < turns.size(); t++) {
        long sent = turns.get(t);
        if (sent < fromNanos || sent >= toNanos) {
          continue;
        }
        long next = t + 1 < turns.size() ? turns.get(t + 1) : Long.MAX_VALUE;
        for (Onsets.Onset onset : session.callerOnsets()) {
          long at = onset.chunkArrivalNanos();
          if (at >= sent && at < next && at - sent < MAX_PAIR_NANOS) {
            up.add(at - sent);
            // the packets of the same append after the one that carried the sound: what the batch waited for
            long packetEnd = (onset.offsetNanos() / FRAME_NANOS + 1) * FRAME_NANOS;
            wait.add(Math.max(0, onset.chunkNanos() - packetEnd));
            break;
          }
        }
      }
      List<Long> responses = session.responseStarts();
      for (int r = 0; r < responses.size(); r++) {
        long sent = responses.get(r);
        if (sent < fromNanos || sent >= toNanos) {
          continue;
        }
        long next = r + 1 < responses.size() ? responses.get(r + 1) : Long.MAX_VALUE;
        for (long heard : callers.get(caller).heardOnsets()) {
          if (heard >= sent && heard < next && heard - sent < MAX_PAIR_NANOS) {
            down.add(heard - sent);
            break;
          }
        }
      }
    }
    return new Figures(longs(up), longs(wait), longs(down), sessions.size(), matched);
  }

  /** The caller whose pitch the session's caller sounds have (their median), or -1 when none is near enough. */
  static int callerOf(Session session, int callers, double baseHz, double stepHz) {
    double[] pitches = session.callerOnsets().stream().mapToDouble(Onsets.Onset::hz).filter(hz -> !Double.isNaN(hz) && hz > 0)
        .sorted().toArray();
    if (pitches.length == 0) {
      return -1;
    }
    double median = pitches[pitches.length / 2];
    double index = (median - baseHz) / stepHz;
    long nearest = Math.round(index);
    return nearest >= 0 && nearest < callers && Math.abs(index - nearest) <= PITCH_TOLERANCE ? (int) nearest : -1;
  }

  /** The heard onsets of a peer's recording: the arrival of each packet whose decoded audio holds a sound after silence. */
  static List<Long> heardOnsets(short[] pcm, int sampleRate, int[] packetStarts, long[] arrivalNanos) {
    Onsets onsets = new Onsets(sampleRate, 100);
    for (int k = 0; k < packetStarts.length; k++) {
      int end = k + 1 < packetStarts.length ? packetStarts[k + 1] : pcm.length;
      onsets.add(pcm, packetStarts[k], end - packetStarts[k], arrivalNanos[k]);
    }
    return onsets.onsets().stream().map(Onsets.Onset::chunkArrivalNanos).toList();
  }

  /** p50 / p99 in ms, or "-" when there is nothing. */
  static String millis(long[] nanos) {
    if (nanos.length == 0) {
      return "-";
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format("%.1f / %.1f", CallLoadBenchmark.percentile(sorted, 50) / 1e6, CallLoadBenchmark.percentile(sorted, 99) / 1e6);
  }

  private static long[] longs(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }
}
