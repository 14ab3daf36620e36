package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantHealthTest {

  static final List<String> DEPLOYMENTS = List.of("kube-apiserver", "kube-controller-manager");
  static final List<String> ETCD = List.of("etcd");

  @Test
  void readyWhenEveryDeploymentIsAvailableAndEveryStatefulSetReady() {
    TenantHealth h =
        health(
            List.of(
                deployment("kube-apiserver", 3).available(3).build(),
                deployment("kube-controller-manager", 2).available(2).build()),
            List.of(etcd(3, 3)),
            List.of(),
            Map.of());

    assertThat(h.phase()).isEqualTo(TenantControlPlaneStatus.READY);
    assertThat(h.message()).isEqualTo("all 3 workloads available");
  }

  @Test
  void provisioningNamesEveryWorkloadItWaitsFor() {
    TenantHealth h =
        health(
            List.of(
                // 2 of 3 available: a rollout or a start that is not done
                deployment("kube-apiserver", 3).available(2).build()
                // kube-controller-manager: not created yet
                ),
            List.of(etcd(3, 1)),
            List.of(),
            Map.of("crossplane's token", "the tenant API server is not available yet"));

    assertThat(h.phase()).isEqualTo(TenantControlPlaneStatus.PROVISIONING);
    assertThat(h.message())
        .isEqualTo(
            "waiting for kube-apiserver, kube-controller-manager, etcd, crossplane's token (the"
                + " tenant API server is not available yet)");
  }

  @Test
  void enoughReplicasWithoutTheAvailableConditionAreNotAvailable() {
    Deployment noCondition = deployment("kube-apiserver", 1).available(1).build();
    noCondition.getStatus().setConditions(new ArrayList<>());
    Deployment conditionFalse = deployment("kube-apiserver", 1).available(1).build();
    conditionFalse.getStatus().getConditions().get(0).setStatus("False");

    assertThat(TenantHealth.available(noCondition)).isFalse();
    assertThat(TenantHealth.available(conditionFalse)).isFalse();
    assertThat(TenantHealth.available(deployment("kube-apiserver", 1).available(1).build()))
        .isTrue();
    assertThat(TenantHealth.available(deployment("kube-apiserver", 1).build())).isFalse();
    assertThat(TenantHealth.available(null)).isFalse();
  }

  @Test
  void failedWithEveryReasonWhenPodsAreRefusedOrStuck() {
    TenantHealth h =
        health(
            List.of(
                deployment("kube-apiserver", 1)
                    .replicaFailure(
                        "pods \"kube-apiserver-7d9\" is forbidden: exceeded quota: tenant-quota")
                    .build(),
                deployment("kube-controller-manager", 1).available(1).build()),
            List.of(etcd(1, 1)),
            List.of(
                pod("etcd-0", waiting("etcd", "CrashLoopBackOff", "back-off 5m0s restarting")),
                pod("kube-controller-manager-1", waiting("kcm", "ImagePullBackOff", null))),
            Map.of());

    assertThat(h.phase()).isEqualTo(TenantControlPlaneStatus.FAILED);
    assertThat(h.message())
        .isEqualTo(
            "kube-apiserver: FailedCreate: pods \"kube-apiserver-7d9\" is forbidden: exceeded"
                + " quota: tenant-quota; pod etcd-0: container etcd CrashLoopBackOff: back-off 5m0s"
                + " restarting; pod kube-controller-manager-1: container kcm ImagePullBackOff");
  }

  @Test
  void aStuckInitContainerOrAMissingSecretFailsTheTenantToo() {
    Pod initStuck =
        new PodBuilder(pod("kube-apiserver-1"))
            .editStatus()
            .withInitContainerStatuses(waiting("init", "ErrImagePull", "not found"))
            .endStatus()
            .build();
    Pod configError =
        pod(
            "kube-apiserver-2",
            waiting("kine", "CreateContainerConfigError", "secret \"kine-database\" not found"));

    assertThat(TenantHealth.stuck(initStuck))
        .containsExactly("pod kube-apiserver-1: container init ErrImagePull: not found");
    assertThat(TenantHealth.stuck(configError))
        .containsExactly(
            "pod kube-apiserver-2: container kine CreateContainerConfigError: secret"
                + " \"kine-database\" not found");
  }

  @Test
  void aContainerThatIsOnlyStartingIsNoFailure() {
    TenantHealth h =
        health(
            List.of(
                deployment("kube-apiserver", 1).build(),
                deployment("kube-controller-manager", 1).build()),
            List.of(),
            List.of(
                pod("kube-apiserver-1", waiting("kube-apiserver", "ContainerCreating", null)),
                pod("kube-controller-manager-1", waiting("kcm", "PodInitializing", null)),
                new PodBuilder().withNewMetadata().withName("new").endMetadata().build()),
            Map.of());

    assertThat(h.phase()).isEqualTo(TenantControlPlaneStatus.PROVISIONING);
  }

  @Test
  void aLongListOfFailuresIsCut() {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      pods.add(pod("kube-apiserver-" + i, waiting("kube-apiserver", "CrashLoopBackOff", "x")));
    }
    TenantHealth h = health(List.of(), List.of(), pods, Map.of());

    assertThat(h.phase()).isEqualTo(TenantControlPlaneStatus.FAILED);
    assertThat(h.message()).hasSize(TenantHealth.MAX_MESSAGE).endsWith("\u2026");
  }

  // ---- fixtures -------------------------------------------------------------------------------

  static TenantHealth health(
      List<Deployment> deployments,
      List<StatefulSet> statefulSets,
      List<Pod> pods,
      Map<String, String> pendingTokens) {
    Map<String, Deployment> d = new LinkedHashMap<>();
    deployments.forEach(x -> d.put(x.getMetadata().getName(), x));
    Map<String, StatefulSet> s = new LinkedHashMap<>();
    statefulSets.forEach(x -> s.put(x.getMetadata().getName(), x));
    return TenantHealth.of(
        DEPLOYMENTS, statefulSets.isEmpty() ? List.of() : ETCD, d, s, pods, pendingTokens);
  }

  static DeploymentFixture deployment(String name, int replicas) {
    return new DeploymentFixture(name, replicas);
  }

  /** A Deployment as the Deployment controller reports it. */
  static final class DeploymentFixture {
    private final DeploymentBuilder d;

    DeploymentFixture(String name, int replicas) {
      d =
          new DeploymentBuilder()
              .withNewMetadata()
              .withName(name)
              .endMetadata()
              .withNewSpec()
              .withReplicas(replicas)
              .endSpec()
              .withNewStatus()
              .endStatus();
    }

    DeploymentFixture available(int n) {
      d.editStatus()
          .withAvailableReplicas(n)
          .addToConditions(
              new DeploymentConditionBuilder()
                  .withType("Available")
                  .withStatus("True")
                  .withReason("MinimumReplicasAvailable")
                  .build())
          .endStatus();
      return this;
    }

    DeploymentFixture replicaFailure(String message) {
      d.editStatus()
          .addToConditions(
              new DeploymentConditionBuilder()
                  .withType("ReplicaFailure")
                  .withStatus("True")
                  .withReason("FailedCreate")
                  .withMessage(message)
                  .build())
          .endStatus();
      return this;
    }

    Deployment build() {
      return d.build();
    }
  }

  static StatefulSet etcd(int replicas, int ready) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("etcd")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .endSpec()
        .withNewStatus()
        .withReplicas(replicas)
        .withReadyReplicas(ready)
        .endStatus()
        .build();
  }

  static Pod pod(String name, ContainerStatus... containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withContainerStatuses(containers)
        .endStatus()
        .build();
  }

  static ContainerStatus waiting(String container, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }
}
