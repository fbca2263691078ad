package dev.wavoice.ops;

import dev.wavoice.RequiredSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every required configuration key is set; the response names the missing ones. */
@Readiness
@ApplicationScoped
public class ConfigReadinessCheck implements HealthCheck {

  private final Instance<RequiredSettings> parts;

  @Inject
  public ConfigReadinessCheck(@Any Instance<RequiredSettings> parts) {
    this.parts = parts;
  }

  @Override
  public HealthCheckResponse call() {
    List<String> missing = RequiredSettings.missingIn(parts);
    var response = HealthCheckResponse.named("config");
    if (missing.isEmpty()) {
      return response.up().build();
    }
    return response.down().withData("missing", String.join(",", missing)).build();
  }
}
