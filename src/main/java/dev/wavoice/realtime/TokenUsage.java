package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.Usage;

/**
 * Tokens by kind, from {@code response.done} usage. Input text and audio counts include their cached
 * part ({@code inputCachedText}, {@code inputCachedAudio}), as OpenAI reports them.
 */
public record TokenUsage(
    long inputText, long inputAudio, long inputCachedText, long inputCachedAudio, long outputText, long outputAudio) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0, 0);

  /**
   * Reads one response's usage. When OpenAI gives {@code cached_tokens} without the per-kind details,
   * the cached tokens are counted as text first (instructions and history are the usual cached prefix),
   * the rest as audio.
   */
  public static TokenUsage of(Usage usage) {
    if (usage == null) {
      return NONE;
    }
    long text = 0;
    long audio = 0;
    long cachedText = 0;
    long cachedAudio = 0;
    var in = usage.inputTokenDetails();
    if (in != null) {
      text = n(in.textTokens());
      audio = n(in.audioTokens());
      long cached = n(in.cachedTokens());
      var details = in.cachedTokensDetails();
      if (details != null) {
        cachedText = n(details.textTokens());
        cachedAudio = n(details.audioTokens());
      } else if (cached > 0) {
        cachedText = Math.min(cached, text);
        cachedAudio = Math.min(cached - cachedText, audio);
      }
    } else {
      text = n(usage.inputTokens());
    }
    long outText = 0;
    long outAudio = 0;
    var out = usage.outputTokenDetails();
    if (out != null) {
      outText = n(out.textTokens());
      outAudio = n(out.audioTokens());
    } else {
      outText = n(usage.outputTokens());
    }
    return new TokenUsage(text, audio, cachedText, cachedAudio, outText, outAudio);
  }

  private static long n(Integer value) {
    return value == null ? 0 : value;
  }

  public long inputCached() {
    return inputCachedText + inputCachedAudio;
  }

  public long total() {
    return inputText + inputAudio + outputText + outputAudio;
  }

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        inputText + other.inputText,
        inputAudio + other.inputAudio,
        inputCachedText + other.inputCachedText,
        inputCachedAudio + other.inputCachedAudio,
        outputText + other.outputText,
        outputAudio + other.outputAudio);
  }
}
