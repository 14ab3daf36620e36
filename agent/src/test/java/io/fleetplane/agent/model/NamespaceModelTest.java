package io.fleetplane.agent.model;

import static io.fleetplane.agent.model.TenantFixtures.CATALOGUE;
import static io.fleetplane.agent.model.TenantFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fleetplane.events.DatastoreMode;
import org.junit.jupiter.api.Test;

class NamespaceModelTest {

  @Test
  void aHighlyAvailableDedicatedEtcdMayClaimAVolumePerMember() {
    // medium: 8Gi; HA etcd has 3 members: 3 claims, 3 x 8Gi = 24Gi
    var hard =
        NamespaceModel.quota(spec("medium", DatastoreMode.DEDICATED_ETCD, true), CATALOGUE)
            .getSpec()
            .getHard();
    assertThat(hard.get("persistentvolumeclaims")).isEqualTo(new Quantity("3"));
    assertThat(hard.get("requests.storage")).isEqualTo(new Quantity("24Gi"));
  }

  @Test
  void sharedEtcdAndKineTenantsClaimNoVolume() {
    for (DatastoreMode mode : new DatastoreMode[] {DatastoreMode.SHARED_ETCD, DatastoreMode.KINE}) {
      var hard = NamespaceModel.quota(spec("medium", mode, false), CATALOGUE).getSpec().getHard();
      assertThat(hard.get("persistentvolumeclaims")).isEqualTo(new Quantity("0"));
      assertThat(hard.get("requests.storage")).isEqualTo(new Quantity("0Gi"));
    }
  }

  @Test
  void theNamespaceEnforcesBaselineAndWarnsOfRestricted() {
    var labels =
        NamespaceModel.namespace(spec("small", DatastoreMode.SHARED_ETCD, false))
            .getMetadata()
            .getLabels();
    assertThat(labels)
        .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted")
        .containsEntry("pod-security.kubernetes.io/audit", "restricted");
  }
}
