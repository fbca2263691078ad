package dev.wavoice.testkit.kms;

import java.util.List;

/**
 * How the double's virtual callers talk in load runs: {@code talkMs} of their tone, then the next pause
 * of {@code pausesMs} (silent frames), over and over. Each caller starts at its own random point of the
 * cycle, so that calls do not all speak at once. Pauses of different lengths let some bot answers
 * finish and others be interrupted (barge-in).
 */
public record CallerSpeech(int talkMs, List<Integer> pausesMs) {

  static final int FRAME_MS = 20;

  public CallerSpeech {
    if (talkMs < FRAME_MS || pausesMs.isEmpty() || pausesMs.stream().anyMatch(p -> p < FRAME_MS)) {
      throw new IllegalArgumentException("talk and pauses must be at least one 20 ms frame: " + talkMs + " " + pausesMs);
    }
    pausesMs = List.copyOf(pausesMs);
  }

  /** From {@code talk/pause,pause...}, e.g. {@code 1000/3000,5000}. */
  public static CallerSpeech parse(String spec) {
    String[] parts = spec.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("caller speech is talkMs/pauseMs[,pauseMs...], got " + spec);
    }
    List<Integer> pauses = java.util.Arrays.stream(parts[1].split(",")).map(String::strip).map(Integer::parseInt).toList();
    return new CallerSpeech(Integer.parseInt(parts[0].strip()), pauses);
  }

  /** The length of one whole pattern (every pause once), in 20 ms frames. */
  public int cycleFrames() {
    int ms = 0;
    for (int pause : pausesMs) {
      ms += talkMs + pause;
    }
    return ms / FRAME_MS;
  }

  /** Whether the caller talks in this 20 ms frame of the cycle. */
  public boolean talking(long frame) {
    long at = Math.floorMod(frame, cycleFrames());
    int talkFrames = talkMs / FRAME_MS;
    for (int pause : pausesMs) {
      if (at < talkFrames) {
        return true;
      }
      at -= talkFrames + pause / FRAME_MS;
      if (at < 0) {
        return false;
      }
    }
    return false;
  }
}
