package dev.wavoice.whatsapp;

import java.time.Instant;

/** Marks webhook traffic as the webhook resource does, for tests outside this package. */
public final class TrafficSignals {

  private TrafficSignals() {}

  public static void signedDelivery(WebhookTraffic traffic, Instant at) {
    traffic.signedDelivery(at);
  }

  public static void verified(WebhookTraffic traffic, Instant at) {
    traffic.verified(at);
  }

  /** A signed delivery whose signature did not match. */
  public static void refused(WebhookTraffic traffic, Instant at) {
    traffic.refused(at);
  }

  /** A delivery without a signature. */
  public static void unsigned(WebhookTraffic traffic, Instant at) {
    traffic.unsigned(at);
  }
}
