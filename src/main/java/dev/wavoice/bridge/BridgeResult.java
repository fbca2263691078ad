package dev.wavoice.bridge;

import java.util.List;

/**
 * What a bridge leaves for the call record when it closes; {@code recordingProblem} says why a recorded
 * call has no recording (null when it has one, or was not recorded).
 */
public record BridgeResult(
    long inputTextTokens,
    long inputAudioTokens,
    long inputCachedTokens,
    long outputTextTokens,
    long outputAudioTokens,
    double estimatedCostUsd,
    int bargeIns,
    List<TranscriptLine> transcript,
    String recordingProblem) {

  public static final BridgeResult EMPTY = new BridgeResult(0, 0, 0, 0, 0, 0, 0, List.of());

  /** A result without a recording problem. */
  public BridgeResult(long inputTextTokens, long inputAudioTokens, long inputCachedTokens, long outputTextTokens,
      long outputAudioTokens, double estimatedCostUsd, int bargeIns, List<TranscriptLine> transcript) {
    this(inputTextTokens, inputAudioTokens, inputCachedTokens, outputTextTokens, outputAudioTokens, estimatedCostUsd,
        bargeIns, transcript, null);
  }

  public BridgeResult {
    transcript = transcript == null ? List.of() : List.copyOf(transcript);
  }
}
