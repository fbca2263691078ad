package dev.wavoice.testkit.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Where sound begins after silence in a stream of samples that arrives in chunks (a caller's appends at the
 * OpenAI double, the packets a caller received), and when: each onset is the first sample at or above
 * {@link #LOUD} after at least {@code minSilenceMs} of samples below {@link #QUIET} (the samples between the
 * two, through which a sound rises, neither count as silence nor end it), found in the chunk that carried it. The start of the stream does not count as silence (a stream may begin in the middle of a
 * sound). The tone that follows is measured too (its frequency from the rising crossings of the next
 * {@link #TONE_MS}), so that load runs can tell whose audio it is when every caller talks at its own pitch.
 * Not thread-safe: one stream, one reader.
 */
public final class Onsets {

  /** At or above this (of 32767, about −30 dBFS at its peak) a sample is sound. */
  public static final int LOUD = 1000;
  /** Below this (about −40 dBFS) a sample is silence. */
  public static final int QUIET = 330;
  /** The tone after an onset is measured over this long. */
  public static final int TONE_MS = 200;

  /**
   * One onset: the chunk that carried it arrived at {@code chunkArrivalNanos} (the wall clock, nanoseconds
   * since the Unix epoch, as the caller of {@link #add} gave it), the onset lies {@code offsetNanos} of audio
   * into that chunk, which holds {@code chunkNanos} of audio; the tone after it is about {@code hz}.
   */
  public record Onset(long chunkArrivalNanos, long offsetNanos, long chunkNanos, double hz) {}

  private final int sampleRate;
  private final long minSilenceSamples;
  private final int toneSamples;
  private final List<Onset> onsets = new ArrayList<>();
  private long quietRun;
  // enough silence came: the next sample at or above LOUD is an onset
  private boolean armed;
  // the onset whose tone is being measured, or null
  private Onset measuring;
  private int measured;
  private int crossings;
  private boolean low;

  public Onsets(int sampleRate, int minSilenceMs) {
    this.sampleRate = sampleRate;
    this.minSilenceSamples = (long) sampleRate * minSilenceMs / 1000;
    this.toneSamples = sampleRate * TONE_MS / 1000;
  }

  /** The next {@code length} samples of the stream, which arrived together at {@code arrivalNanos}. */
  public void add(short[] samples, int from, int length, long arrivalNanos) {
    for (int i = 0; i < length; i++) {
      int sample = samples[from + i];
      int magnitude = Math.abs(sample);
      if (measuring != null) {
        measure(sample);
      }
      if (magnitude < QUIET) {
        armed |= ++quietRun >= minSilenceSamples;
        continue;
      }
      quietRun = 0;
      if (magnitude >= LOUD && armed) {
        if (measuring != null) {
          onsets.add(finished()); // a new sound before the last one's tone was measured whole
        }
        measuring = new Onset(arrivalNanos, nanos(i), nanos(length), Double.NaN);
        measured = 0;
        crossings = 0;
        low = sample < 0;
      }
      armed &= magnitude < LOUD; // a sound rises through the samples between QUIET and LOUD: they do not disarm
    }
  }

  /** The onsets found so far, each with its tone's frequency (measured over less if the stream ended sooner). */
  public List<Onset> onsets() {
    List<Onset> all = new ArrayList<>(onsets);
    if (measuring != null) {
      all.add(finished());
    }
    return all;
  }

  private void measure(int sample) {
    if (sample <= -QUIET) {
      low = true;
    } else if (sample >= QUIET && low) {
      low = false;
      crossings++;
    }
    if (++measured >= toneSamples) {
      onsets.add(finished());
      measuring = null;
    }
  }

  private Onset finished() {
    double hz = measured == 0 ? Double.NaN : crossings * (double) sampleRate / measured;
    return new Onset(measuring.chunkArrivalNanos(), measuring.offsetNanos(), measuring.chunkNanos(), hz);
  }

  private long nanos(int samples) {
    return samples * 1_000_000_000L / sampleRate;
  }
}
