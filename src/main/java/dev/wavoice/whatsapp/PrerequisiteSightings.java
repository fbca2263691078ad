package dev.wavoice.whatsapp;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meta's own word that a prerequisite is missing: the last Graph error naming it (see
 * {@link Prerequisite}), with when and where it was seen. The call layer and the settings writes report
 * here; the doctor marks the check FAIL while a sighting stands. A sighting stands until something later
 * proves the prerequisite is met again (a call action Meta took, a {@code calls} webhook that arrived,
 * calling enabled successfully): {@link #confirmed} clears the sightings older than that proof.
 */
@ApplicationScoped
public class PrerequisiteSightings {

  /** One error naming a prerequisite: Meta's code, the operation and call (or request) it came from, its message. */
  public record Sighting(Prerequisite prerequisite, long code, String operation, String context, String message, Instant at) {}

  private final Map<Prerequisite, Sighting> latest = new ConcurrentHashMap<>();

  /**
   * Records the error if its code names a prerequisite; returns that prerequisite. {@code context} says
   * where it happened (a call id, "doctor fix").
   */
  public Optional<Prerequisite> failed(GraphApiException error, String context, Instant at) {
    Optional<Prerequisite> prerequisite = Prerequisite.ofCode(error.code());
    prerequisite.ifPresent(p -> latest.put(p, new Sighting(p, error.code(), error.operation(), context,
        error.error().map(GraphError::message).orElse(error.getMessage()), at)));
    return prerequisite;
  }

  /** Proof at {@code at} that these prerequisites are met: older sightings of them no longer stand. */
  public void confirmed(Instant at, Prerequisite... met) {
    for (Prerequisite p : met) {
      latest.computeIfPresent(p, (k, s) -> s.at().isAfter(at) ? s : null);
    }
  }

  public Optional<Sighting> latest(Prerequisite prerequisite) {
    return Optional.ofNullable(latest.get(prerequisite));
  }
}
