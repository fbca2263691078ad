package dev.wavoice.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Call webhooks for a phone number other than ours ({@code wavoice.whatsapp.phone-number-id}): another
 * number of the same WhatsApp Business Account, or an app subscribed to more than one. They are
 * acknowledged, counted and never answered; the log says so at most once a minute, with how many more
 * came meanwhile, so a flood of them never floods the log.
 */
final class OtherNumberCalls {

  private static final Logger LOG = Logger.getLogger(OtherNumberCalls.class.getName());
  static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

  private final String ours;
  private final Runnable count;
  private final Clock clock;
  private Instant lastLogged;
  private long unlogged;

  OtherNumberCalls(String ours, Runnable count, Clock clock) {
    this.ours = ours;
    this.count = count;
    this.clock = clock;
  }

  /** True when a calls webhook with this {@code metadata.phone_number_id} is for another number (it is then counted). */
  boolean ignore(String phoneNumberId, String callId) {
    if (ours.isEmpty() || Objects.equals(ours, phoneNumberId)) {
      return false; // without our number configured nothing is answered anyway; the readiness check says why
    }
    count.run();
    log(phoneNumberId, callId);
    return true;
  }

  private synchronized void log(String phoneNumberId, String callId) {
    Instant now = clock.instant();
    if (lastLogged != null && now.isBefore(lastLogged.plus(LOG_INTERVAL))) {
      unlogged++;
      return;
    }
    long before = unlogged;
    lastLogged = now;
    unlogged = 0;
    LOG.warning(() -> "call " + callId + " is for phone number id " + phoneNumberId + ", not this server's ("
        + ours + "): acknowledged and not answered"
        + (before > 0 ? "; " + before + " more such webhooks since the last notice" : "")
        + " (wavoice_webhook_other_number_calls counts them)");
  }
}
