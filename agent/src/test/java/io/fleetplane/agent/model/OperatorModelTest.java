package io.fleetplane.agent.model;

import static io.fleetplane.agent.model.TenantFixtures.CATALOGUE;
import static io.fleetplane.agent.model.TenantFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.TenantFixtures.Workload;
import io.fleetplane.events.DatastoreMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OperatorModelTest {

  static final TenantControlPlaneSpec CROSSPLANE_TENANT =
      spec("crossplane-medium", DatastoreMode.DEDICATED_ETCD, false);

  @Test
  void aHostedOperatorTalksToTheTenantApiServerNotTheHosts() {
    Workload crossplane =
        Workload.of(OperatorModel.operatorDeployment(CROSSPLANE_TENANT, CATALOGUE, "crossplane"));
    PodSpec pod = crossplane.template().getSpec();
    Container c = crossplane.container("crossplane");

    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Map<String, String> env =
        c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry("KUBERNETES_SERVICE_HOST", "kube-apiserver.tenant-acme.svc")
        .containsEntry("KUBERNETES_SERVICE_PORT", "6443");
    // The API server's certificate must name the host the operator dials.
    assertThat(TenantNames.apiserverDnsNames("acme")).contains(env.get("KUBERNETES_SERVICE_HOST"));

    assertThat(c.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/var/run/secrets/kubernetes.io/serviceaccount"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getReadOnly()).isTrue();
              Volume v =
                  pod.getVolumes().stream()
                      .filter(vol -> vol.getName().equals(m.getName()))
                      .findFirst()
                      .get();
              assertThat(v.getSecret().getSecretName()).isEqualTo("crossplane-token");
              assertThat(v.getSecret().getItems())
                  .extracting(i -> i.getKey())
                  .containsExactlyInAnyOrder("token", "ca.crt", "namespace");
            });
    assertThat(c.getImage()).isEqualTo("xpkg.crossplane.io/crossplane/crossplane:v1.18.0");
    assertThat(WorkloadNames.operatorTokenSecret("crossplane")).isEqualTo("crossplane-token");
  }

  @Test
  void anOperatorIsSizedByTheCatalogue() {
    Workload crossplane =
        Workload.of(OperatorModel.operatorDeployment(CROSSPLANE_TENANT, CATALOGUE, "crossplane"));
    var sized = CATALOGUE.operators().get("crossplane").perReplica();
    var limits = crossplane.container("crossplane").getResources().getLimits();

    assertThat(TenantFixtures.cpuMillis(limits.get("cpu"))).isEqualTo(sized.cpuMillis());
    assertThat(TenantFixtures.memoryMiB(limits.get("memory"))).isEqualTo(sized.memoryMiB());
  }

  @Test
  void anOperatorOutsideTheTenantsPlanIsRefused() {
    assertThatThrownBy(
            () ->
                OperatorModel.operatorDeployment(
                    TenantFixtures.dedicated(), CATALOGUE, "crossplane"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no operator crossplane");
  }

  @Test
  void theTokenSecretHoldsWhatTheOperatorsPodMountsAsItsServiceAccount() {
    Workload crossplane =
        Workload.of(OperatorModel.operatorDeployment(CROSSPLANE_TENANT, CATALOGUE, "crossplane"));
    Volume mounted =
        crossplane.template().getSpec().getVolumes().stream()
            .filter(v -> v.getSecret() != null)
            .findFirst()
            .get();
    Secret secret = OperatorModel.tokenSecret(CROSSPLANE_TENANT, "crossplane", "t0ken", "Y2E=");

    assertThat(secret.getMetadata().getName()).isEqualTo(mounted.getSecret().getSecretName());
    assertThat(secret.getMetadata().getNamespace()).isEqualTo(TenantFixtures.NAMESPACE);
    assertThat(secret.getData()).containsOnlyKeys(OperatorModel.TOKEN_KEYS);
    assertThat(decode(secret.getData().get("token"))).isEqualTo("t0ken");
    assertThat(secret.getData().get("ca.crt")).isEqualTo("Y2E=");
    assertThat(decode(secret.getData().get("namespace")))
        .isEqualTo(OperatorModel.tenantNamespace("crossplane"))
        .isEqualTo(OperatorModel.CROSSPLANE_NAMESPACE);

    // The service account whose token it is, is the one the operator says it runs as.
    Map<String, String> env =
        crossplane.container("crossplane").getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry("POD_SERVICE_ACCOUNT", OperatorModel.tenantServiceAccount("crossplane"))
        .containsEntry("POD_NAMESPACE", OperatorModel.tenantNamespace("crossplane"))
        .containsEntry("WEBHOOK_ENABLED", "false");
  }

  @Test
  void anOperatorTheAgentCannotRunHasNoTenantIdentity() {
    assertThatThrownBy(() -> OperatorModel.tenantServiceAccount("argo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot run operator argo");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
