package io.fleetplane.agent.model;

import static io.fleetplane.agent.model.TenantFixtures.CATALOGUE;
import static io.fleetplane.agent.model.TenantFixtures.flag;
import static io.fleetplane.agent.model.TenantFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.TenantFixtures.SecretFile;
import io.fleetplane.agent.model.TenantFixtures.Workload;
import io.fleetplane.events.DatastoreMode;
import org.junit.jupiter.api.Test;

class ControllerManagerModelTest {

  static Workload controllerManager(TenantControlPlaneSpec spec) {
    return Workload.of(ControllerManagerModel.controllerManagerDeployment(spec, CATALOGUE));
  }

  @Test
  void controllerManagerRunsOnlyTheFiveControllers() {
    Container c =
        controllerManager(TenantFixtures.dedicated()).container(TenantNames.CONTROLLER_MANAGER);

    assertThat(flag(c.getArgs(), "--controllers").split(","))
        .containsExactlyInAnyOrder(
            "clusterrole-aggregation",
            "garbagecollector",
            "namespace",
            "serviceaccount",
            "serviceaccount-token");
  }

  @Test
  void controllerManagerReachesTheTenantWithTheAdminKubeconfigAndSignsWithTheTenantKey() {
    Workload cm = controllerManager(TenantFixtures.dedicated());
    Container c = cm.container(TenantNames.CONTROLLER_MANAGER);

    assertThat(cm.secretFile(c, flag(c.getArgs(), "--kubeconfig")))
        .contains(new SecretFile(TenantNames.ADMIN_KUBECONFIG_SECRET, PkiModel.KUBECONFIG, true));
    assertThat(cm.secretFile(c, flag(c.getArgs(), "--service-account-private-key-file")))
        .contains(new SecretFile(TenantNames.SERVICE_ACCOUNT_KEY_SECRET, PkiModel.SA_KEY, true));
    assertThat(cm.secretFile(c, flag(c.getArgs(), "--root-ca-file")))
        .contains(new SecretFile(TenantNames.CA_SECRET, PkiModel.CA_CRT, true));
    assertThat(flag(c.getArgs(), "--use-service-account-credentials")).isEqualTo("true");
  }

  @Test
  void controllerManagerElectsALeaderOnlyWhenThereAreSeveral() {
    Workload single = controllerManager(spec("medium", DatastoreMode.DEDICATED_ETCD, false));
    Workload ha = controllerManager(spec("medium", DatastoreMode.DEDICATED_ETCD, true));

    assertThat(single.replicas()).isEqualTo(1);
    assertThat(flag(single.container(TenantNames.CONTROLLER_MANAGER).getArgs(), "--leader-elect"))
        .isEqualTo("false");
    assertThat(ha.replicas()).isEqualTo(2);
    assertThat(flag(ha.container(TenantNames.CONTROLLER_MANAGER).getArgs(), "--leader-elect"))
        .isEqualTo("true");
  }

  @Test
  void controllerManagerIsProbedOnItsSecureHealthz() {
    Container c =
        controllerManager(TenantFixtures.dedicated()).container(TenantNames.CONTROLLER_MANAGER);

    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(10257);
  }
}
