package dev.wavoice.ops;

import dev.wavoice.doctor.Doctor;
import dev.wavoice.doctor.DoctorFixes;
import dev.wavoice.doctor.DoctorReport;
import dev.wavoice.doctor.DoctorService;
import dev.wavoice.whatsapp.CallingSettingsRules;
import dev.wavoice.whatsapp.GraphApiException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code GET /api/doctor}: the setup examined now. {@code POST /api/doctor/fix/{id}}: applies the
 * automatic fix of one check (only ever on this explicit request), then examines again.
 */
@Path("doctor")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DoctorResource {

  /** The reply to a fix: which check, what was sent to Meta, and the doctor's report afterwards. */
  public record FixReply(String fix, String request, jakarta.json.JsonObject body, DoctorReport report) {}

  private static final List<String> CHECKS = List.of(Doctor.CONFIG, Doctor.TOKEN, Doctor.PHONE_NUMBER, Doctor.MESSAGING_LIMIT,
      Doctor.WABA_SUBSCRIPTION, Doctor.CALLS_WEBHOOK_FIELD, Doctor.CALLING_ENABLED, Doctor.SIP_DISABLED, Doctor.WEBHOOK_TRAFFIC,
      Doctor.KURENTO, Doctor.OPENAI, Doctor.MEDIA_PATH);

  private DoctorService doctor;
  private DoctorFixes fixes;

  protected DoctorResource() {}

  @Inject
  public DoctorResource(DoctorService doctor, DoctorFixes fixes) {
    this.doctor = doctor;
    this.fixes = fixes;
  }

  @GET
  public DoctorReport examine() {
    return doctor.examine();
  }

  @POST
  @Path("fix/{id}")
  public Response fix(@PathParam("id") String id) {
    if (!CHECKS.contains(id)) {
      return ApiErrors.response(Response.Status.NOT_FOUND, "not_found", "no check '" + id + "'; checks: " + CHECKS);
    }
    DoctorFixes.Applied applied;
    try {
      applied = fixes.apply(id);
    } catch (DoctorFixes.NotApplicable e) {
      return ApiErrors.response(Response.Status.CONFLICT, "no_automatic_fix", e.getMessage() + " (automatic fixes: "
          + DoctorFixes.fixable() + ")");
    } catch (CallingSettingsRules.Invalid e) {
      return ApiErrors.response(Response.Status.CONFLICT, "invalid_configuration", "the configured calling settings "
          + "(wavoice.calls.business-hours, wavoice.calls.time-zone, wavoice.whatsapp.calling.*) break Meta's rules: " + e.getMessage());
    } catch (GraphApiException e) {
      return ApiErrors.graph(e);
    }
    return Response.ok(new FixReply(id, applied.request(), applied.body(), doctor.examine())).build();
  }
}
