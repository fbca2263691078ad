package dev.wavoice.ops;

import dev.wavoice.call.CallRecordStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the call record database answers and writes go through: DOWN while it is away, while
 * writes fail, or while a write hangs (a lock held); calls are still answered meanwhile, their writes wait.
 */
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
    Optional<String> problem = store.databaseProblem();
    HealthCheckResponseBuilder response = HealthCheckResponse.named("database").status(problem.isEmpty())
        .withData("pendingWrites", store.pendingWrites());
    problem.ifPresent(p -> response.withData("problem", p));
    return response.build();
  }
}
