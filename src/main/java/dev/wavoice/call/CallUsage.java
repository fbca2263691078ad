package dev.wavoice.call;

/** OpenAI Realtime tokens a call used, by kind, and their estimated cost from the configured prices. */
public record CallUsage(
    long inputTextTokens,
    long inputAudioTokens,
    long inputCachedTokens,
    long outputTextTokens,
    long outputAudioTokens,
    double estimatedCostUsd) {

  public static final CallUsage NONE = new CallUsage(0, 0, 0, 0, 0, 0);

  public long totalTokens() {
    return inputTextTokens + inputAudioTokens + outputTextTokens + outputAudioTokens;
  }
}
