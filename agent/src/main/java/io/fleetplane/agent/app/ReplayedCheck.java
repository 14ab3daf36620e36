package io.fleetplane.agent.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the start-up replay has made the cluster hold the whole desired set; a replica
 * standing by for the lease is ready at once.
 */
@Readiness
@ApplicationScoped
public class ReplayedCheck implements HealthCheck {

  private final AgentRuntime runtime;

  ReplayedCheck(AgentRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("placements-replayed").status(runtime.ready()).build();
  }
}
