package io.fleetplane.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.fleetplane.events.TenantEvent;
import org.junit.jupiter.api.Test;

class StatusReporterTest {

  @Test
  void everyPhaseTheControllerWritesIsALifecycleEvent() {
    assertThat(StatusReporter.typeOf(TenantControlPlaneStatus.PROVISIONING))
        .isEqualTo(TenantEvent.Type.PROVISIONING);
    assertThat(StatusReporter.typeOf(TenantControlPlaneStatus.READY))
        .isEqualTo(TenantEvent.Type.READY);
    assertThat(StatusReporter.typeOf(TenantControlPlaneStatus.FAILED))
        .isEqualTo(TenantEvent.Type.FAILED);
    assertThat(StatusReporter.typeOf("Deleting")).isNull();
    assertThat(StatusReporter.typeOf(null)).isNull();
  }
}
