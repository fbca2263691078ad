package dev.wavoice.whatsapp;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When Meta last verified the webhook and last delivered a correctly signed body. "Never" is the
 * classic sign of a missing {@code calls} subscription, so the doctor and the console show it.
 *
 * <p>Refused deliveries come in two kinds: signed ones whose signature does not match (Meta signs with
 * another app's secret: a real fault) and unsigned ones (Meta always signs, so these are anyone's POSTs
 * to a public URL). Only the first may fail the doctor; the second is only counted.
 */
@ApplicationScoped
public class WebhookTraffic {

  private final AtomicReference<Instant> lastVerified = new AtomicReference<>();
  private final AtomicReference<Instant> lastSignedDelivery = new AtomicReference<>();
  private final AtomicReference<Instant> lastRefused = new AtomicReference<>();
  private final AtomicReference<Instant> lastUnsigned = new AtomicReference<>();
  private final AtomicLong unsigned = new AtomicLong();

  void verified(Instant at) {
    lastVerified.set(at);
  }

  void signedDelivery(Instant at) {
    lastSignedDelivery.set(at);
  }

  /** A delivery with a signature header that was refused (wrong signature, or too large). */
  void refused(Instant at) {
    lastRefused.set(at);
  }

  /** A delivery without a signature header was refused: not from Meta. */
  void unsigned(Instant at) {
    unsigned.incrementAndGet();
    lastUnsigned.set(at);
  }

  public Optional<Instant> lastVerified() {
    return Optional.ofNullable(lastVerified.get());
  }

  public Optional<Instant> lastSignedDelivery() {
    return Optional.ofNullable(lastSignedDelivery.get());
  }

  /** The last refused delivery that carried a signature. */
  public Optional<Instant> lastRefused() {
    return Optional.ofNullable(lastRefused.get());
  }

  /** How many unsigned deliveries were refused since start-up. */
  public long unsignedRefused() {
    return unsigned.get();
  }

  public Optional<Instant> lastUnsigned() {
    return Optional.ofNullable(lastUnsigned.get());
  }
}
