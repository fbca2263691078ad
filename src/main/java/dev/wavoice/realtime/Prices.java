package dev.wavoice.realtime;

/**
 * OpenAI Realtime prices in USD per 1M tokens, for the cost estimate of a call. Cached input is billed
 * at {@code cachedIn} instead of its text or audio rate.
 */
public record Prices(double audioIn, double audioOut, double cachedIn, double textIn, double textOut) {

  /** gpt-realtime list prices (USD per 1M tokens): audio 32 in / 64 out, cached input 0.40, text 4 in / 16 out. */
  public static final Prices GPT_REALTIME = new Prices(32, 64, 0.40, 4, 16);

  private static final double PER_TOKEN = 1e-6;

  public Prices {
    for (double price : new double[] {audioIn, audioOut, cachedIn, textIn, textOut}) {
      if (!(price >= 0) || Double.isInfinite(price)) {
        throw new IllegalArgumentException("prices must be finite and not negative: " + price);
      }
    }
  }

  public double costUsd(TokenUsage usage) {
    double uncachedText = Math.max(0, usage.inputText() - usage.inputCachedText());
    double uncachedAudio = Math.max(0, usage.inputAudio() - usage.inputCachedAudio());
    return PER_TOKEN
        * (uncachedText * textIn
            + uncachedAudio * audioIn
            + usage.inputCached() * cachedIn
            + usage.outputText() * textOut
            + usage.outputAudio() * audioOut);
  }
}
