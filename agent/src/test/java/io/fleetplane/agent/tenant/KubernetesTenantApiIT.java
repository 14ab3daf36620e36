package io.fleetplane.agent.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's client of a tenant's API server, against fabric8's mock in CRUD mode. */
class KubernetesTenantApiIT {

  static final TenantControlPlaneSpec SPEC =
      TenantControlPlaneSpec.of(
          Fixtures.placement(
              "eu-h1", "acme", "crossplane-medium", 1, DatastoreMode.SHARED_ETCD, Isolation.RUNC));

  private final TenantApiServer tenant = new TenantApiServer();

  @AfterEach
  void stop() {
    tenant.close();
  }

  @Test
  void theTokenIsEmptyUntilTheTenantsControllerManagerIssuesIt() throws Exception {
    TenantApi api = tenant.api();

    assertThat(api.serviceAccountToken(SPEC, "crossplane-system", "crossplane")).isEmpty();
    Secret unissued =
        tenant.client.secrets().inNamespace("crossplane-system").withName("crossplane-token").get();
    assertThat(unissued.getType()).isEqualTo(TenantApiServer.TOKEN_TYPE);
    assertThat(unissued.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/service-account.name", "crossplane");
    assertThat(
            tenant
                .client
                .resources(ServiceAccount.class)
                .inNamespace("crossplane-system")
                .withName("crossplane")
                .get())
        .isNotNull();
    ClusterRoleBinding binding =
        tenant.client.resources(ClusterRoleBinding.class).list().getItems().get(0);
    assertThat(binding.getRoleRef().getName()).isEqualTo("cluster-admin");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getNamespace()).isEqualTo("crossplane-system");
              assertThat(s.getName()).isEqualTo("crossplane");
            });

    // Asked again before the token is issued: what exists is answered 409 and left alone.
    tenant.drain();
    assertThat(api.serviceAccountToken(SPEC, "crossplane-system", "crossplane")).isEmpty();
    List<String> again = tenant.drain();
    assertThat(again).noneMatch(r -> r.startsWith("PUT ") || r.startsWith("PATCH "));

    tenant.issueTokens("s3cr3t");
    assertThat(api.serviceAccountToken(SPEC, "crossplane-system", "crossplane")).contains("s3cr3t");
  }
}
