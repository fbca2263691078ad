package dev.wavoice.media;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code kurento}: UP while at least one Kurento Media Server is connected. Its data
 * names each KMS (URL without user info) with its state and, when down, the last problem.
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
    HealthCheckResponseBuilder response = HealthCheckResponse.named("kurento");
    String problem = lifecycle.configProblem();
    if (problem != null) {
      return response.down().withData("config", problem).build();
    }
    boolean up = false;
    for (KmsStatus kms : lifecycle.status()) {
      up |= kms.connected();
      response.withData(kms.url(), kms.problem().isEmpty() ? kms.state() : kms.state() + ": " + kms.problem());
    }
    return response.status(up).build();
  }
}
