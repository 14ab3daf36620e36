package io.fleetplane.events.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlanCatalogueTest {

  private final PlanCatalogue catalogue = PlanCatalogue.defaults();

  @Test
  void loadsTheBuiltInPlans() {
    assertThat(catalogue.plans().keySet())
        .containsExactly("crossplane-medium", "large", "medium", "small");
  }

  @Test
  void addsDatastoreOverheadToThePlan() {
    // small: apiserver 250m/512Mi + controller-manager 100m/256Mi, one pod each
    //      + dedicated etcd 150m/256Mi/1 pod = 500m / 1024 MiB / 3 pods, and its one 2 GiB volume
    assertThat(catalogue.demand("small", DatastoreMode.DEDICATED_ETCD, false))
        .isEqualTo(new Resources(500, 1024, 3).with(Dimension.STORAGE, 2));
    // shared etcd: a prefix, no pod of its own: 350+10 / 768+32 / 2
    assertThat(catalogue.demand("small", DatastoreMode.SHARED_ETCD, false))
        .isEqualTo(new Resources(360, 800, 2));
  }

  @Test
  void scalesReplicasForHighAvailability() {
    // medium HA: apiserver 3 x 500m/1024Mi + cm 2 x 200m/512Mi + etcd 3 x 150m/256Mi
    //          = 1500+400+450 = 2350m, 3072+1024+768 = 4864 MiB, 3+2+3 = 8 pods,
    //            and one 8 GiB volume per etcd member = 24 GiB
    assertThat(catalogue.demand("medium", DatastoreMode.DEDICATED_ETCD, true))
        .isEqualTo(new Resources(2350, 4864, 8).with(Dimension.STORAGE, 24));
  }

  @Test
  void storageIsTheDedicatedEtcdsVolumesOnly() {
    // A request's own volume size wins over the plan's: 3 members x 50 GiB.
    assertThat(catalogue.demand("medium", DatastoreMode.DEDICATED_ETCD, true, 50).storageGiB())
        .isEqualTo(150);
    assertThat(catalogue.storageGi("large", DatastoreMode.DEDICATED_ETCD, false, null))
        .isEqualTo(20);
    // A shared etcd and kine keep their data elsewhere: the tenant claims no volume.
    assertThat(catalogue.demand("medium", DatastoreMode.SHARED_ETCD, true, 50).storageGiB())
        .isZero();
    assertThat(catalogue.demand("large", DatastoreMode.KINE, false).storageGiB()).isZero();
  }

  @Test
  void addsThePlansHostedOperators() {
    // crossplane-medium with kine: 500+200 + kine 100 + crossplane 300 = 1100m;
    // 1024+512+128+768 = 2432 MiB; pods 1+1+0+2 = 4
    assertThat(catalogue.demand("crossplane-medium", DatastoreMode.KINE, false))
        .isEqualTo(new Resources(1100, 2432, 4));
  }

  @Test
  void reportsEveryProblemOfABadCatalogue() {
    String json =
        """
        {"v":1,
         "plans":{"Tiny":{"components":{"api":{"cpuMillis":-1,"memoryMiB":10000000,"replicas":1,"haReplicas":3}},
                          "operators":["argo"],"storageGi":0}},
         "datastores":{"dedicated-etcd":{"cpuMillis":1,"memoryMiB":1,"replicas":1,"haReplicas":1}},
         "operators":{}}
        """;
    assertThatThrownBy(
            () -> PlanCatalogue.parse("test.json", json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            CatalogueException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "datastores: no entry for shared-etcd",
                        "datastores: no entry for kine",
                        "plans.Tiny: the name must be a DNS-1123 label",
                        "plans.Tiny.components.api.cpuMillis: must be a whole number between 0 and 64000, got -1",
                        "plans.Tiny.components.api.memoryMiB: must be a whole number between 0 and 262144, got 10000000",
                        "plans.Tiny.operators: unknown operator 'argo'",
                        "plans.Tiny.storageGi: must be between 1 and 4096"));
  }

  @Test
  void refusesAnUnknownPlanWhenAskedForItsDemand() {
    assertThatThrownBy(() -> catalogue.demand("huge", DatastoreMode.KINE, false))
        .hasMessageContaining("unknown plan 'huge'");
  }
}
