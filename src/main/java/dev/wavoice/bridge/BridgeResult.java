package dev.wavoice.bridge;

import java.util.List;

/** What a bridge leaves for the call record when it closes. */
public record BridgeResult(
    long inputTextTokens,
    long inputAudioTokens,
    long inputCachedTokens,
    long outputTextTokens,
    long outputAudioTokens,
    double estimatedCostUsd,
    int bargeIns,
    List<TranscriptLine> transcript) {

  public static final BridgeResult EMPTY = new BridgeResult(0, 0, 0, 0, 0, 0, 0, List.of());

  public BridgeResult {
    transcript = transcript == null ? List.of() : List.copyOf(transcript);
  }
}
