package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.agent.crd.TenantControlPlane;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileMetricsTest {

  @Test
  void countsReconcilesByOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReconcileMetrics metrics = new ReconcileMetrics(registry);
    TenantControlPlane t = new TenantControlPlane();

    metrics.reconciliationFailed(t, null, new IllegalStateException("422"), Map.of());
    metrics.reconciliationFailed(t, null, new IllegalStateException("500"), Map.of());
    metrics.reconciliationSucceeded(t, Map.of());

    assertThat(registry.get("fleet.agent.reconciles").tag("outcome", "failed").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("fleet.agent.reconciles").tag("outcome", "succeeded").counter().count())
        .isEqualTo(1);
  }
}
