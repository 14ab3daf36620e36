package io.fleetplane.agent.model;

import static io.fleetplane.agent.model.TenantFixtures.CATALOGUE;
import static io.fleetplane.agent.model.TenantFixtures.flag;
import static io.fleetplane.agent.model.TenantFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.TenantFixtures.SecretFile;
import io.fleetplane.agent.model.TenantFixtures.Workload;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.plan.Component;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiServerModelTest {

  static List<String> args(TenantControlPlaneSpec spec) {
    return Workload.of(ApiServerModel.apiserverDeployment(spec, CATALOGUE))
        .container(TenantNames.APISERVER)
        .getArgs();
  }

  @Test
  void apiserverFlagsPointAtTheDatastoreOfEachMode() {
    List<String> dedicated = args(spec("medium", DatastoreMode.DEDICATED_ETCD, false));
    assertThat(flag(dedicated, "--etcd-servers")).isEqualTo("http://etcd.tenant-acme.svc:2379");
    assertThat(dedicated).noneMatch(a -> a.startsWith("--etcd-prefix"));

    List<String> shared = args(spec("medium", DatastoreMode.SHARED_ETCD, false));
    assertThat(flag(shared, "--etcd-servers"))
        .isEqualTo("http://etcd.fleetplane-shared-etcd.svc:2379");
    assertThat(flag(shared, "--etcd-prefix")).isEqualTo("/tenants/acme");

    List<String> kine = args(spec("medium", DatastoreMode.KINE, false));
    assertThat(flag(kine, "--etcd-servers")).isEqualTo("http://127.0.0.1:2379");
    assertThat(kine).noneMatch(a -> a.startsWith("--etcd-prefix"));
  }

  @Test
  void everyFileTheApiServerReadsIsATenantSecretKeyMountedReadOnly() {
    Workload apiserver =
        Workload.of(ApiServerModel.apiserverDeployment(TenantFixtures.dedicated(), CATALOGUE));
    Container c = apiserver.container(TenantNames.APISERVER);
    List<String> args = c.getArgs();

    assertThat(apiserver.secretFile(c, flag(args, "--tls-cert-file")))
        .contains(new SecretFile(TenantNames.APISERVER_CERT_SECRET, PkiModel.TLS_CRT, true));
    assertThat(apiserver.secretFile(c, flag(args, "--tls-private-key-file")))
        .contains(new SecretFile(TenantNames.APISERVER_CERT_SECRET, PkiModel.TLS_KEY, true));
    assertThat(apiserver.secretFile(c, flag(args, "--client-ca-file")))
        .contains(new SecretFile(TenantNames.CA_SECRET, PkiModel.CA_CRT, true));
    assertThat(apiserver.secretFile(c, flag(args, "--service-account-key-file")))
        .contains(new SecretFile(TenantNames.SERVICE_ACCOUNT_KEY_SECRET, PkiModel.SA_PUB, true));
    assertThat(apiserver.secretFile(c, flag(args, "--service-account-signing-key-file")))
        .contains(new SecretFile(TenantNames.SERVICE_ACCOUNT_KEY_SECRET, PkiModel.SA_KEY, true));
    assertThat(c.getVolumeMounts())
        .allMatch(m -> m.getMountPath().startsWith("/etc/kubernetes/pki/"));
  }

  @Test
  void theApiServerAuthorisesByRbacAloneAndIssuesTokensAsItsOwnService() {
    List<String> args = args(TenantFixtures.dedicated());

    assertThat(flag(args, "--authorization-mode")).isEqualTo("RBAC");
    assertThat(flag(args, "--secure-port")).isEqualTo("6443");
    assertThat(flag(args, "--service-account-issuer"))
        .isEqualTo("https://kube-apiserver.tenant-acme.svc:6443");
    assertThat(flag(args, "--enable-admission-plugins").split(","))
        .contains("NamespaceLifecycle", "ServiceAccount")
        .doesNotContain("NodeRestriction");
    assertThat(flag(args, "--service-cluster-ip-range")).isNotBlank();
  }

  @Test
  void theCaPrivateKeyIsNeverMounted() {
    for (Workload w :
        TenantFixtures.workloadsOf(spec("crossplane-medium", DatastoreMode.KINE, true))) {
      assertThat(w.template().getSpec().getVolumes())
          .filteredOn(v -> v.getSecret() != null)
          .filteredOn(v -> v.getSecret().getSecretName().equals(TenantNames.CA_SECRET))
          .allSatisfy(
              v ->
                  assertThat(v.getSecret().getItems())
                      .extracting(i -> i.getKey())
                      .containsExactly(PkiModel.CA_CRT));
    }
  }

  @Test
  void kineRunsBesideTheApiServerWithItsEndpointFromASecret() {
    TenantControlPlaneSpec spec = spec("medium", DatastoreMode.KINE, false);
    Workload apiserver = Workload.of(ApiServerModel.apiserverDeployment(spec, CATALOGUE));
    Container kine = apiserver.container(TenantNames.KINE);

    assertThat(kine.getImage()).isEqualTo(Images.KINE);
    assertThat(kine.getArgs())
        .contains("--endpoint=$(KINE_ENDPOINT)", "--listen-address=127.0.0.1:2379");
    EnvVar endpoint =
        kine.getEnv().stream().filter(e -> e.getName().equals("KINE_ENDPOINT")).findFirst().get();
    assertThat(endpoint.getValue()).isNull();
    assertThat(endpoint.getValueFrom().getSecretKeyRef().getName())
        .isEqualTo(TenantNames.KINE_DATABASE_SECRET);
    assertThat(endpoint.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("endpoint");
    // The database address never appears in the Deployment itself.
    assertThat(kine.toString()).doesNotContain("postgres://");

    assertThat(
            Workload.of(ApiServerModel.apiserverDeployment(TenantFixtures.dedicated(), CATALOGUE))
                .template()
                .getSpec()
                .getContainers())
        .extracting(Container::getName)
        .containsExactly(TenantNames.APISERVER);
  }

  @Test
  void kineSidecarsTogetherTakeWhatTheCatalogueGivesKine() {
    TenantControlPlaneSpec spec = spec("large", DatastoreMode.KINE, true);
    Workload apiserver = Workload.of(ApiServerModel.apiserverDeployment(spec, CATALOGUE));
    Container kine = apiserver.container(TenantNames.KINE);
    Component catalogued = CATALOGUE.datastore(DatastoreMode.KINE);

    long cpu = TenantFixtures.cpuMillis(kine.getResources().getLimits().get("cpu"));
    assertThat(apiserver.replicas()).isEqualTo(3);
    assertThat(cpu * apiserver.replicas()).isBetween(1L, catalogued.total(true).cpuMillis());
  }

  @Test
  void theServiceSendsPort6443ToTheApiServerPods() {
    TenantControlPlaneSpec spec = TenantFixtures.dedicated();
    var service = ApiServerModel.apiserverService(spec);
    Workload apiserver = Workload.of(ApiServerModel.apiserverDeployment(spec, CATALOGUE));

    assertThat(service.getMetadata().getName()).isEqualTo("kube-apiserver");
    assertThat(service.getMetadata().getNamespace()).isEqualTo("tenant-acme");
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(6443);
              assertThat(p.getTargetPort().getIntVal()).isEqualTo(6443);
            });
    assertThat(apiserver.container(TenantNames.APISERVER).getPorts())
        .anyMatch(p -> p.getContainerPort() == 6443);
  }
}
