package dev.wavoice.doctor;

import dev.wavoice.call.BusinessHours;
import dev.wavoice.call.CallSettings;
import dev.wavoice.whatsapp.CallingSettingsService;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphMessages.CallHours;
import dev.wavoice.whatsapp.GraphMessages.CallingSettings;
import dev.wavoice.whatsapp.GraphMessages.HolidayClosure;
import dev.wavoice.whatsapp.GraphMessages.WeeklyHours;
import dev.wavoice.whatsapp.WhatsAppConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import java.io.StringReader;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The fixes the doctor can apply itself, only when an operator asks for one: subscribing the app to
 * the WhatsApp Business Account, and enabling calling with the configured call hours, call icon
 * visibility and callback permission. Nothing else changes Meta's settings.
 */
@ApplicationScoped
public class DoctorFixes {

  /** What was sent to Meta: the request line and its JSON body as sent (null when it had none). */
  public record Applied(String request, JsonObject body) {}

  /** The check has no automatic fix, or it cannot be applied with this configuration. */
  public static final class NotApplicable extends RuntimeException {
    public NotApplicable(String message) {
      super(message);
    }
  }

  private static final Logger LOG = Logger.getLogger(DoctorFixes.class.getName());
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");

  private WhatsAppConfig whatsapp;
  private GraphApi graph;
  private CallingSettingsService callingSettings;
  private Config config;
  private Jsonb wire;

  protected DoctorFixes() {}

  @Inject
  public DoctorFixes(WhatsAppConfig whatsapp, GraphApi graph, CallingSettingsService callingSettings, Config config, Jsonb wire) {
    this.whatsapp = whatsapp;
    this.graph = graph;
    this.callingSettings = callingSettings;
    this.config = config;
    this.wire = wire;
  }

  /** The ids of the checks that have an automatic fix. */
  public static List<String> fixable() {
    return List.of(Doctor.WABA_SUBSCRIPTION, Doctor.CALLING_ENABLED);
  }

  /**
   * Applies the fix of check {@code id}.
   *
   * @throws NotApplicable when the check has no automatic fix or a setting it needs is missing
   * @throws dev.wavoice.whatsapp.GraphApiException when Meta refuses it
   * @throws dev.wavoice.whatsapp.CallingSettingsRules.Invalid when the configured call hours break Meta's rules
   */
  public Applied apply(String id) {
    return switch (id) {
      case Doctor.WABA_SUBSCRIPTION -> subscribeApp();
      case Doctor.CALLING_ENABLED -> enableCalling();
      default -> throw new NotApplicable("check " + id + " has no automatic fix; its fix in GET /api/doctor says what to do");
    };
  }

  private Applied subscribeApp() {
    String waba = whatsapp.wabaId().orElseThrow(() -> new NotApplicable(WhatsAppConfig.WABA_ID + " is not set"));
    graph.subscribeApp(waba);
    LOG.info(() -> "doctor fix: subscribed the app to WABA " + waba);
    return new Applied("POST /" + graph.settings().version() + "/" + waba + "/subscribed_apps", null);
  }

  private Applied enableCalling() {
    CallingSettings wanted = new CallingSettings("ENABLED", whatsapp.callIconVisibility(), whatsapp.callbackPermission(),
        configuredCallHours().orElse(null), null);
    callingSettings.write(wanted);
    LOG.info(() -> "doctor fix: calling enabled on " + graph.settings().phoneNumberId());
    // the body exactly as the Graph client sends it (Meta's snake_case names)
    String sent = wire.toJson(new dev.wavoice.whatsapp.GraphMessages.PhoneSettings(wanted));
    try (var reader = Json.createReader(new StringReader(sent))) {
      return new Applied("POST /" + graph.settings().version() + "/" + graph.settings().phoneNumberId() + "/settings",
          reader.readObject());
    }
  }

  /**
   * Meta's call hours from {@code wavoice.calls.business-hours} in {@code wavoice.calls.time-zone} — the
   * hours wavoice answers in — keeping the holiday closures Meta has now (a {@code call_hours} without
   * them would delete them). Empty when no business hours are configured: Meta's call hours stay as they are.
   */
  Optional<CallHours> configuredCallHours() {
    Optional<BusinessHours> hours = CallSettings.from(config).businessHours();
    if (hours.isEmpty()) {
      return Optional.empty();
    }
    List<WeeklyHours> weekly = hours.get().dailyWindows().stream()
        .map(w -> new WeeklyHours(w.day().name(), w.open().format(HHMM), w.close().format(HHMM)))
        .toList();
    CallHours current = callingSettings.read().callHours();
    List<HolidayClosure> holidays = current == null ? null : current.holidaySchedule();
    return Optional.of(new CallHours("ENABLED", hours.get().zone().getId(), weekly, holidays));
  }
}
