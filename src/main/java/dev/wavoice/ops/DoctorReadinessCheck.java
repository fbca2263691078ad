package dev.wavoice.ops;

import dev.wavoice.doctor.DoctorCheck;
import dev.wavoice.doctor.DoctorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code doctor}: always UP — a missing prerequisite on Meta's side is not something a
 * restart or a load balancer can fix — but its data shows the last doctor report: when it ran, whether
 * the number is ready for calls, and the id and status of each failing check. Readiness is
 * unauthenticated, so the summaries (account ids, the number, token facts) stay in {@code GET /api/doctor}.
 */
@Readiness
@ApplicationScoped
public class DoctorReadinessCheck implements HealthCheck {

  private DoctorService doctor;

  protected DoctorReadinessCheck() {}

  @Inject
  public DoctorReadinessCheck(DoctorService doctor) {
    this.doctor = doctor;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("doctor").up();
    doctor.last().ifPresentOrElse(report -> {
      response.withData("checkedAt", report.checkedAt().toString()).withData("ready", report.ready());
      for (DoctorCheck check : report.failing()) {
        response.withData(check.id(), check.status().name());
      }
    }, () -> response.withData("checkedAt", "not yet (the start-up examination runs in the background)"));
    return response.build();
  }
}
