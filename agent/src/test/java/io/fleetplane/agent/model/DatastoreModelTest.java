package io.fleetplane.agent.model;

import static io.fleetplane.agent.model.TenantFixtures.CATALOGUE;
import static io.fleetplane.agent.model.TenantFixtures.flag;
import static io.fleetplane.agent.model.TenantFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatastoreModelTest {

  static PersistentVolumeClaim dataClaim(StatefulSet etcd) {
    return etcd.getSpec().getVolumeClaimTemplates().get(0);
  }

  static Container etcdContainer(StatefulSet etcd) {
    return etcd.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void dedicatedEtcdGetsAVolumeOfTheRequestedSize() {
    StatefulSet requested =
        DatastoreModel.etcdStatefulSet(
            spec("medium", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC, false, 50), CATALOGUE);
    StatefulSet planDefault =
        DatastoreModel.etcdStatefulSet(
            spec("large", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC, false, null), CATALOGUE);

    assertThat(dataClaim(requested).getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("50Gi"));
    assertThat(dataClaim(requested).getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(dataClaim(planDefault).getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity(CATALOGUE.plan("large").get().storageGi() + "Gi"));

    Container etcd = etcdContainer(requested);
    String dataDir = flag(etcd.getArgs(), "--data-dir");
    assertThat(etcd.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo(dataClaim(requested).getMetadata().getName());
              assertThat(dataDir).startsWith(m.getMountPath() + "/");
            });
  }

  @Test
  void etcdStopsTakingWritesLongBeforeItsVolumeIsFull() {
    for (int gi : List.of(1, 2, 8, 100)) {
      StatefulSet etcd =
          DatastoreModel.etcdStatefulSet(
              spec("small", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC, false, gi), CATALOGUE);
      long quota = Long.parseLong(flag(etcdContainer(etcd).getArgs(), "--quota-backend-bytes"));
      assertThat(quota).isPositive().isLessThanOrEqualTo(((long) gi << 30) / 2);
    }
  }

  @Test
  void highlyAvailableEtcdHasThreeMembersThatFindEachOtherBeforeTheyAreReady() {
    TenantControlPlaneSpec spec = spec("medium", DatastoreMode.DEDICATED_ETCD, true);
    StatefulSet etcd = DatastoreModel.etcdStatefulSet(spec, CATALOGUE);
    Service peers = DatastoreModel.etcdHeadlessService(spec);

    assertThat(etcd.getSpec().getReplicas()).isEqualTo(3);
    assertThat(etcd.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(etcd.getSpec().getServiceName()).isEqualTo(peers.getMetadata().getName());
    assertThat(peers.getMetadata().getName()).isEqualTo("etcd-peers");
    assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(peers.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(peers.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(2379, 2380);

    List<String> args = etcdContainer(etcd).getArgs();
    assertThat(Arrays.asList(flag(args, "--initial-cluster").split(",")))
        .containsExactly(
            "etcd-0=http://etcd-0.etcd-peers.tenant-acme.svc:2380",
            "etcd-1=http://etcd-1.etcd-peers.tenant-acme.svc:2380",
            "etcd-2=http://etcd-2.etcd-peers.tenant-acme.svc:2380");
    assertThat(flag(args, "--initial-advertise-peer-urls"))
        .isEqualTo("http://$(POD_NAME).etcd-peers.tenant-acme.svc:2380");
    assertThat(flag(args, "--advertise-client-urls"))
        .isEqualTo("http://$(POD_NAME).etcd-peers.tenant-acme.svc:2379");
    assertThat(flag(args, "--name")).isEqualTo("$(POD_NAME)");
    assertThat(etcdContainer(etcd).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("POD_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            });

    assertThat(
            DatastoreModel.etcdStatefulSet(
                    spec("medium", DatastoreMode.DEDICATED_ETCD, false), CATALOGUE)
                .getSpec()
                .getReplicas())
        .isEqualTo(1);
  }

  @Test
  void theEtcdServiceIsWhatTheApiServerDials() {
    TenantControlPlaneSpec spec = TenantFixtures.dedicated();
    Service etcd = DatastoreModel.etcdService(spec);

    assertThat(DatastoreModel.etcdUrl(spec))
        .isEqualTo(
            "http://"
                + etcd.getMetadata().getName()
                + "."
                + etcd.getMetadata().getNamespace()
                + ".svc:"
                + etcd.getSpec().getPorts().get(0).getPort());
    assertThat(etcd.getSpec().getClusterIP()).isNull();
  }

  @Test
  void onlyATenantWithADedicatedEtcdGetsAnEtcdStatefulSet() {
    assertThatThrownBy(
            () ->
                DatastoreModel.etcdStatefulSet(
                    spec("medium", DatastoreMode.SHARED_ETCD, false), CATALOGUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shared-etcd");
  }

  @Test
  void theSharedEtcdBelongsToNoTenantAndIsWhatTenantsPoliciesAllow() {
    StatefulSet shared = DatastoreModel.sharedEtcdStatefulSet();
    Service client = DatastoreModel.sharedEtcdService();
    Service peers = DatastoreModel.sharedEtcdHeadlessService();

    assertThat(shared.getMetadata().getNamespace()).isEqualTo(TenantNames.SHARED_ETCD_NAMESPACE);
    assertThat(
            List.of(
                shared.getMetadata(),
                shared.getSpec().getTemplate().getMetadata(),
                client.getMetadata(),
                peers.getMetadata()))
        .allSatisfy(
            m ->
                assertThat(m.getLabels())
                    .doesNotContainKey(Labels.TENANT)
                    .containsAllEntriesOf(Labels.ours())
                    // NetworkPolicyModel lets API servers reach the pods of this component.
                    .containsEntry(Labels.COMPONENT, TenantNames.ETCD));
    assertThat(shared.getSpec().getTemplate().getSpec().getRuntimeClassName()).isNull();
    assertThat(shared.getSpec().getReplicas()).isEqualTo(3);
    assertThat(DatastoreModel.sharedEtcdUrl())
        .isEqualTo(
            "http://"
                + client.getMetadata().getName()
                + "."
                + client.getMetadata().getNamespace()
                + ".svc:2379");
    assertThat(client.getSpec().getSelector())
        .isEqualTo(shared.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(DatastoreModel.sharedEtcdNamespace().getMetadata().getName())
        .isEqualTo(TenantNames.SHARED_ETCD_NAMESPACE);
  }

  @Test
  void kineFindsItsDatabaseInTheSecretBuiltFromTheDatabaseRef() {
    TenantControlPlaneSpec spec = spec("medium", DatastoreMode.KINE, false);
    Secret secret = DatastoreModel.kineDatabaseSecret(spec, java.util.Optional.empty());
    var ref =
        TenantFixtures.Workload.of(ApiServerModel.apiserverDeployment(spec, CATALOGUE))
            .container(TenantNames.KINE)
            .getEnv()
            .stream()
            .filter(e -> e.getName().equals("KINE_ENDPOINT"))
            .findFirst()
            .get()
            .getValueFrom()
            .getSecretKeyRef();

    assertThat(secret.getMetadata().getName()).isEqualTo(ref.getName());
    assertThat(secret.getMetadata().getNamespace()).isEqualTo(TenantFixtures.NAMESPACE);
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(Labels.TENANT, TenantFixtures.TENANT);
    assertThat(
            new String(
                Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                StandardCharsets.UTF_8))
        .isEqualTo("postgres://kine@db.example:5432/kine")
        .isEqualTo(spec.getDatabaseRef());
  }

  @Test
  void onlyAKineTenantWithADatabaseGetsAKineSecret() {
    assertThatThrownBy(
            () ->
                DatastoreModel.kineDatabaseSecret(
                    TenantFixtures.dedicated(), java.util.Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not kine");
    TenantControlPlaneSpec noDatabase = spec("medium", DatastoreMode.KINE, false);
    noDatabase.setDatabaseRef(null);
    assertThatThrownBy(
            () -> DatastoreModel.kineDatabaseSecret(noDatabase, java.util.Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("databaseRef");
  }

  @Test
  void aCredentialFromThePlatformTeamsSecretGoesIntoTheEndpointEncoded() {
    var c = new DatastoreModel.DatabaseCredential(null, "p@ss:w/rd");
    assertThat(DatastoreModel.withCredential("postgres://kine@db:5432/t?sslmode=require", c))
        .isEqualTo("postgres://kine:p%40ss%3Aw%2Frd@db:5432/t?sslmode=require");
    var named = new DatastoreModel.DatabaseCredential("ops user", "x");
    assertThat(DatastoreModel.withCredential("postgres://db:5432/t", named))
        .isEqualTo("postgres://ops%20user:x@db:5432/t");
    assertThat(DatastoreModel.withCredential("mysql://kine@tcp(db:3306)/t", c))
        .isEqualTo("mysql://kine:p%40ss%3Aw%2Frd@tcp(db:3306)/t");
    assertThat(c.toString()).doesNotContain("p@ss");
  }
}
