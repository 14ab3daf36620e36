package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * The controller's reconciles for Prometheus: {@code fleet_agent_reconciles_total{outcome}}, where
 * outcome is {@code succeeded} or {@code failed} (every failed attempt, retried or not: a tenant
 * the API server refuses, an API error). The reason of a failure is in the tenant's status.
 */
public final class ReconcileMetrics implements Metrics {

  private final Counter succeeded;
  private final Counter failed;

  public ReconcileMetrics(MeterRegistry registry) {
    this.succeeded =
        Counter.builder("fleet.agent.reconciles")
            .description("Reconciles of tenant control planes, by outcome")
            .tag("outcome", "succeeded")
            .register(registry);
    this.failed =
        Counter.builder("fleet.agent.reconciles")
            .description("Reconciles of tenant control planes, by outcome")
            .tag("outcome", "failed")
            .register(registry);
  }

  @Override
  public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
    succeeded.increment();
  }

  @Override
  public void reconciliationFailed(
      HasMetadata resource, RetryInfo retry, Exception exception, Map<String, Object> metadata) {
    failed.increment();
  }
}
