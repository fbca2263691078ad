package dev.wavoice.whatsapp;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When Meta last verified the webhook and last delivered a correctly signed body. "Never" is the
 * classic sign of a missing {@code calls} subscription, so the doctor and the console show it.
 */
@ApplicationScoped
public class WebhookTraffic {

  private final AtomicReference<Instant> lastVerified = new AtomicReference<>();
  private final AtomicReference<Instant> lastSignedDelivery = new AtomicReference<>();
  private final AtomicReference<Instant> lastRefused = new AtomicReference<>();

  void verified(Instant at) {
    lastVerified.set(at);
  }

  void signedDelivery(Instant at) {
    lastSignedDelivery.set(at);
  }

  void refused(Instant at) {
    lastRefused.set(at);
  }

  public Optional<Instant> lastVerified() {
    return Optional.ofNullable(lastVerified.get());
  }

  public Optional<Instant> lastSignedDelivery() {
    return Optional.ofNullable(lastSignedDelivery.get());
  }

  public Optional<Instant> lastRefused() {
    return Optional.ofNullable(lastRefused.get());
  }
}
