package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.tenant.TenantApiServer;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule of {@code OwnerReferencesPermissionEnforcement} (an admission plugin the mock does not
 * run; deploy/README.md): it checks owner references only where a request changes them, and {@code
 * blockOwnerDeletion: true} needs {@code update} on the owner's finalizers. The agent sets its
 * owner references at create, never with {@code blockOwnerDeletion: true}, and its updates keep the
 * object's owner references as they are, so its RBAC suffices where the plugin runs.
 */
class OwnerReferencesPolicyIT {

  @Test
  void ownerReferencesAreSetAtCreateWithoutBlockingAndNeverChangedByAnUpdate() throws Exception {
    KubernetesMockServer server = Fixtures.crudApiServer();
    KubernetesClient admin = server.createClient();
    Fixtures.installCrd(admin);
    TenantApiServer tenantApi = new TenantApiServer();
    Operator operator = Controllers.operator(admin, tenantApi.api());
    operator.start();
    try {
      String ns = TenantNames.namespace("own");
      new KubernetesHostCluster(admin)
          .apply(
              TenantControlPlaneSpec.of(
                  Fixtures.placement(
                      "eu-h1", "own", "medium", 1, DatastoreMode.DEDICATED_ETCD, Isolation.RUNC)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.apps().deployments().inNamespace(ns).list().getItems().size() >= 2);

      // The mock keeps what it is sent: the objects as the agent created them.
      List<io.fabric8.kubernetes.api.model.HasMetadata> created = new ArrayList<>();
      created.addAll(admin.apps().deployments().inNamespace(ns).list().getItems());
      created.addAll(admin.apps().statefulSets().inNamespace(ns).list().getItems());
      created.addAll(admin.services().inNamespace(ns).list().getItems());
      created.addAll(admin.secrets().inNamespace(ns).list().getItems());
      created.addAll(admin.resourceQuotas().inNamespace(ns).list().getItems());
      created.addAll(admin.limitRanges().inNamespace(ns).list().getItems());
      created.addAll(admin.network().v1().networkPolicies().inNamespace(ns).list().getItems());
      assertThat(created).hasSizeGreaterThan(10);
      for (var o : created) {
        assertThat(o.getMetadata().getOwnerReferences())
            .as("%s %s is owned by its tenant", o.getKind(), o.getMetadata().getName())
            .singleElement()
            .satisfies(
                ref -> {
                  assertThat(ref.getKind()).isEqualTo("TenantControlPlane");
                  assertThat(ref.getBlockOwnerDeletion()).isNotEqualTo(Boolean.TRUE);
                });
      }

      // Someone adds an owner reference and edits the image: the agent puts the image back and
      // leaves the owner references as it finds them.
      OwnerReference extra =
          new OwnerReferenceBuilder()
              .withApiVersion("v1")
              .withKind("ConfigMap")
              .withName("someone-elses")
              .withUid("0000-1111")
              .build();
      List<OwnerReference> before = new ArrayList<>();
      admin
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName(TenantNames.APISERVER)
          .edit(
              d -> {
                d.getMetadata().getOwnerReferences().add(extra);
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:1");
                before.addAll(d.getMetadata().getOwnerReferences());
                return d;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  !"evil:1"
                      .equals(
                          admin
                              .apps()
                              .deployments()
                              .inNamespace(ns)
                              .withName(TenantNames.APISERVER)
                              .get()
                              .getSpec()
                              .getTemplate()
                              .getSpec()
                              .getContainers()
                              .get(0)
                              .getImage()));
      assertThat(
              admin
                  .apps()
                  .deployments()
                  .inNamespace(ns)
                  .withName(TenantNames.APISERVER)
                  .get()
                  .getMetadata()
                  .getOwnerReferences())
          .as("the update kept the owner references as it found them")
          .containsExactlyElementsOf(before);
    } finally {
      operator.stop();
      tenantApi.close();
      server.destroy();
    }
  }
}
