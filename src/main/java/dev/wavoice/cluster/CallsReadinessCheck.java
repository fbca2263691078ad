package dev.wavoice.cluster;

import dev.wavoice.call.CallOrchestrator;
import dev.wavoice.call.CallRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code calls}: how many calls this instance holds against its own
 * {@code wavoice.calls.max-active}, and, clustered, how many members the grid has and how many calls the
 * whole cluster holds. Always up: a full instance refuses calls itself, and a load balancer should keep
 * sending it the webhooks of the calls it holds.
 */
@Readiness
@ApplicationScoped
public class CallsReadinessCheck implements HealthCheck {

  private CallRegistry registry;
  private CallOrchestrator orchestrator;
  private LiveCalls live;
  private Grid grid;

  protected CallsReadinessCheck() {}

  @Inject
  public CallsReadinessCheck(CallRegistry registry, CallOrchestrator orchestrator, LiveCalls live, Grid grid) {
    this.registry = registry;
    this.orchestrator = orchestrator;
    this.live = live;
    this.grid = grid;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("calls").up()
        .withData("here", registry.count())
        .withData("maxActive", orchestrator.settings().maxActive())
        .withData("clustered", grid.clustered());
    grid.hazelcast().ifPresent(hz -> response
        .withData("member", grid.localMember())
        .withData("members", hz.getCluster().getMembers().size())
        .withData("cluster", live.clusterCount()));
    return response.build();
  }
}
