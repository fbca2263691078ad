package dev.wavoice.media;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code kurento}: UP while at least one Kurento Media Server is connected. Readiness is
 * unauthenticated, so it carries no URLs and no problem texts: which server, in what state and why is in
 * the doctor's {@code kurento} check ({@code GET /api/doctor}, behind the admin token).
 */
@Readiness
@ApplicationScoped
public class KurentoReadinessCheck implements HealthCheck {

  private KurentoLifecycle lifecycle;

  protected KurentoReadinessCheck() {}

  @Inject
  public KurentoReadinessCheck(KurentoLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("kurento");
    if (lifecycle.configProblem() != null) {
      return response.down().build();
    }
    return response.status(lifecycle.status().stream().anyMatch(KmsStatus::connected)).build();
  }
}
