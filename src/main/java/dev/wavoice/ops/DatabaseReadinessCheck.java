package dev.wavoice.ops;

import dev.wavoice.call.CallRecordStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the call record database answers. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

  private CallRecordStore store;

  protected DatabaseReadinessCheck() {}

  @Inject
  public DatabaseReadinessCheck(CallRecordStore store) {
    this.store = store;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("database").status(store.reachable()).build();
  }
}
