package dev.wavoice.whatsapp;

import dev.wavoice.whatsapp.GraphMessages.CallingSettings;
import dev.wavoice.whatsapp.GraphMessages.PhoneSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;

/**
 * Reads and writes the phone number's calling settings on Meta ({@code GET|POST /<phone-number-id>/settings}).
 * A write is checked against {@link CallingSettingsRules} before it is sent. An error naming a missing
 * prerequisite (138015, 138018, ...) is reported to {@link PrerequisiteSightings}; calling enabled
 * successfully proves those prerequisites met.
 */
@ApplicationScoped
public class CallingSettingsService {

  private GraphApi graph;
  private PrerequisiteSightings sightings;
  private Clock clock;

  protected CallingSettingsService() {}

  @Inject
  public CallingSettingsService(GraphApi graph, PrerequisiteSightings sightings, Clock clock) {
    this.graph = graph;
    this.sightings = sightings;
    this.clock = clock;
  }

  /** The number's calling settings as Meta has them now. */
  public CallingSettings read() {
    PhoneSettings settings = graph.callingSettings();
    return settings == null || settings.calling() == null ? new CallingSettings(null, null, null, null, null) : settings.calling();
  }

  /**
   * Sends these settings (Meta changes the fields given; a {@code call_hours} without
   * {@code holiday_schedule} clears the holidays) and returns the settings as Meta has them afterwards.
   *
   * @throws CallingSettingsRules.Invalid before anything is sent, naming every wrong field
   * @throws GraphApiException when Meta refuses them
   */
  public CallingSettings write(CallingSettings wanted) {
    CallingSettingsRules.check(wanted);
    try {
      graph.updateCallingSettings(new PhoneSettings(wanted));
    } catch (GraphApiException refused) {
      sightings.failed(refused, "calling settings update", clock.instant());
      throw refused;
    }
    if ("ENABLED".equals(wanted.status())) {
      Instant now = clock.instant();
      // Meta enables calling only when these are met (else 138015, 138018)
      sightings.confirmed(now, Prerequisite.CALLING_ENABLED, Prerequisite.MESSAGING_LIMIT, Prerequisite.CALLS_WEBHOOK_FIELD);
    }
    return read();
  }
}
