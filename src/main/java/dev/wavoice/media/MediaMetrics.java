package dev.wavoice.media;

/** What the media plane counts; the app wires it to MicroProfile Metrics. */
public interface MediaMetrics {

  MediaMetrics NONE = count -> {};

  /** Leak reconciliation released {@code count} pipelines of this wavoice that belonged to no open call. */
  void leakedPipelinesReleased(int count);

  /** kurento-client reconnected after the link dropped; {@code kmsRestarted}: every pipeline on it was lost. */
  default void reconnected(boolean kmsRestarted) {}
}
