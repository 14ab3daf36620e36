package io.fleetplane.agent.model;

import static io.fleetplane.agent.model.TenantFixtures.CATALOGUE;
import static io.fleetplane.agent.model.TenantFixtures.cpuMillis;
import static io.fleetplane.agent.model.TenantFixtures.memoryMiB;
import static io.fleetplane.agent.model.TenantFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.ControlPlaneModel.Workloads;
import io.fleetplane.agent.model.TenantFixtures.Workload;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.plan.Component;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ControlPlaneModelTest {

  /** Every combination the scheduler can place: plan x datastore x HA x isolation. */
  static Stream<TenantControlPlaneSpec> everyKindOfTenant() {
    List<TenantControlPlaneSpec> out = new ArrayList<>();
    for (String plan : CATALOGUE.plans().keySet()) {
      for (DatastoreMode mode : DatastoreMode.values()) {
        for (boolean ha : List.of(false, true)) {
          for (Isolation isolation : Isolation.values()) {
            out.add(spec(plan, mode, isolation, ha, null));
          }
        }
      }
    }
    return out.stream();
  }

  static Stream<Workload> everyWorkload() {
    return everyKindOfTenant().flatMap(s -> TenantFixtures.workloadsOf(s).stream());
  }

  @Test
  void gvisorTenantsPodsUseTheGvisorRuntimeClassAndRuncTenantsDoNot() {
    everyKindOfTenant()
        .forEach(
            spec -> {
              String expected =
                  spec.getIsolation().equals("gvisor") ? TenantNames.GVISOR_RUNTIME_CLASS : null;
              assertThat(TenantFixtures.workloadsOf(spec))
                  .isNotEmpty()
                  .allSatisfy(
                      w ->
                          assertThat(w.template().getSpec().getRuntimeClassName())
                              .as("%s of a %s tenant", w.name(), spec.getIsolation())
                              .isEqualTo(expected));
            });
  }

  @Test
  void anIsolationTheAgentDoesNotKnowIsRefusedRatherThanRunLessIsolated() {
    TenantControlPlaneSpec spec = TenantFixtures.dedicated();
    spec.setIsolation("kata");

    assertThatThrownBy(() -> ApiServerModel.apiserverDeployment(spec, CATALOGUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kata");
  }

  @Test
  void resourcesComeFromThePlanAndHaRaisesReplicas() {
    for (String plan : CATALOGUE.plans().keySet()) {
      for (boolean ha : List.of(false, true)) {
        TenantControlPlaneSpec spec = spec(plan, DatastoreMode.DEDICATED_ETCD, ha);
        for (Workload w : TenantFixtures.workloadsOf(spec)) {
          Component component =
              CATALOGUE.plan(plan).get().components().stream()
                  .filter(c -> c.name().equals(w.name()))
                  .findFirst()
                  .orElseGet(
                      () ->
                          w.name().equals(TenantNames.ETCD)
                              ? CATALOGUE.datastore(DatastoreMode.DEDICATED_ETCD)
                              : CATALOGUE.operators().get(w.name()));
          Container c = w.container(w.name());
          assertThat(w.replicas())
              .as("%s of plan %s, ha %s", w.name(), plan, ha)
              .isEqualTo(ha ? component.haReplicas() : component.replicas());
          assertThat(c.getResources().getRequests()).isEqualTo(c.getResources().getLimits());
          assertThat(cpuMillis(c.getResources().getLimits().get("cpu")))
              .isEqualTo(component.perReplica().cpuMillis());
          assertThat(memoryMiB(c.getResources().getLimits().get("memory")))
              .isEqualTo(component.perReplica().memoryMiB());
        }
      }
    }
    TenantControlPlaneSpec small = spec("small", DatastoreMode.SHARED_ETCD, false);
    assertThat(ApiServerModel.apiserverDeployment(small, CATALOGUE).getSpec().getReplicas())
        .isEqualTo(1);
    TenantControlPlaneSpec smallHa = spec("small", DatastoreMode.SHARED_ETCD, true);
    assertThat(ApiServerModel.apiserverDeployment(smallHa, CATALOGUE).getSpec().getReplicas())
        .isEqualTo(3);
  }

  /** The namespace quota is the scheduler's demand; pods beyond it would never be admitted. */
  @Test
  void aTenantsPodsFitTheQuotaTheSchedulerCommitted() {
    everyKindOfTenant()
        .forEach(
            spec -> {
              long cpu = 0;
              long memory = 0;
              long pods = 0;
              for (Workload w : TenantFixtures.workloadsOf(spec)) {
                pods += w.replicas();
                for (Container c : w.template().getSpec().getContainers()) {
                  cpu += w.replicas() * cpuMillis(c.getResources().getRequests().get("cpu"));
                  memory += w.replicas() * memoryMiB(c.getResources().getRequests().get("memory"));
                }
              }
              String tenant =
                  spec.getPlan() + "/" + spec.getDatastore() + "/ha=" + spec.isHighAvailability();
              assertThat(cpu).as("cpu of %s", tenant).isLessThanOrEqualTo(spec.getCpuMillis());
              assertThat(memory)
                  .as("memory of %s", tenant)
                  .isLessThanOrEqualTo(spec.getMemoryMiB());
              assertThat(pods).as("pods of %s", tenant).isLessThanOrEqualTo(spec.getPods());
            });
  }

  @Test
  void rolloutsNeverNeedASurgePodTheQuotaHasNoRoomFor() {
    TenantControlPlaneSpec spec = TenantFixtures.dedicated();
    assertThat(
            List.of(
                ApiServerModel.apiserverDeployment(spec, CATALOGUE),
                ControllerManagerModel.controllerManagerDeployment(spec, CATALOGUE)))
        .allSatisfy(
            d ->
                assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal())
                    .isZero());
  }

  @Test
  void everyPodIsHardenedAndCarriesTheTenantLabels() {
    everyWorkload()
        .forEach(
            w -> {
              PodSpec pod = w.template().getSpec();
              Map<String, String> labels = w.template().getMetadata().getLabels();
              assertThat(labels)
                  .as(w.name())
                  .containsAllEntriesOf(Labels.ofTenant(TenantFixtures.TENANT))
                  .containsEntry(Labels.COMPONENT, w.name());
              assertThat(pod.getAutomountServiceAccountToken()).as(w.name()).isFalse();
              assertThat(pod.getPriorityClassName()).isEqualTo(WorkloadNames.PRIORITY_CLASS);
              assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
              assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
              assertThat(pod.getSecurityContext().getSeccompProfile().getType())
                  .isEqualTo("RuntimeDefault");
              assertThat(pod.getContainers())
                  .allSatisfy(
                      c -> {
                        var sc = c.getSecurityContext();
                        assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
                        assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
                        assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
                        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
                        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
                        assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
                      });
              assertThat(pod.getVolumes())
                  .filteredOn(v -> v.getSecret() != null)
                  .allSatisfy(v -> assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440));
              assertThat(pod.getContainers().stream().flatMap(c -> c.getVolumeMounts().stream()))
                  .filteredOn(
                      m ->
                          pod.getVolumes().stream()
                              .anyMatch(
                                  v -> v.getName().equals(m.getName()) && v.getSecret() != null))
                  .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
            });
  }

  @Test
  void probesAreSetOnEveryContainerThatServes() {
    everyWorkload()
        .flatMap(w -> w.template().getSpec().getContainers().stream())
        .filter(c -> c.getPorts() != null && !c.getPorts().isEmpty())
        .forEach(
            c -> {
              List<Integer> ports =
                  c.getPorts().stream().map(ContainerPort::getContainerPort).toList();
              for (Probe p :
                  new Probe[] {c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()}) {
                assertThat(p).as(c.getName()).isNotNull();
                assertThat(ports).as(c.getName()).contains(p.getHttpGet().getPort().getIntVal());
              }
            });
    // The API server's readiness is the one that takes it out of its Service.
    Container apiserver =
        Workload.of(ApiServerModel.apiserverDeployment(TenantFixtures.dedicated(), CATALOGUE))
            .container(TenantNames.APISERVER);
    assertThat(apiserver.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(apiserver.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(apiserver.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
  }

  @Test
  void servicesSelectTheirComponentsPods() {
    TenantControlPlaneSpec spec = TenantFixtures.dedicated();
    Map<Service, Map<String, String>> servicesAndPods =
        Map.of(
            ApiServerModel.apiserverService(spec),
            ApiServerModel.apiserverDeployment(spec, CATALOGUE)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels(),
            DatastoreModel.etcdService(spec),
            DatastoreModel.etcdStatefulSet(spec, CATALOGUE)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels(),
            DatastoreModel.etcdHeadlessService(spec),
            DatastoreModel.etcdStatefulSet(spec, CATALOGUE)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels());

    servicesAndPods.forEach(
        (service, podLabels) -> {
          assertThat(service.getMetadata().getNamespace()).isEqualTo(TenantFixtures.NAMESPACE);
          assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
          // Selecting by tenant and component: no other tenant's or component's pods.
          assertThat(service.getSpec().getSelector())
              .containsEntry(Labels.TENANT, TenantFixtures.TENANT)
              .containsEntry(Labels.COMPONENT, podLabels.get(Labels.COMPONENT));
        });
    assertThat(ApiServerModel.apiserverService(spec).getSpec().getSelector())
        .doesNotContainEntry(Labels.COMPONENT, TenantNames.ETCD);
  }

  @Test
  void workloadsFollowTheDatastoreModeAndThePlan() {
    assertThat(
            ControlPlaneModel.workloadsOf(
                spec("medium", DatastoreMode.DEDICATED_ETCD, false), CATALOGUE))
        .isEqualTo(new Workloads(true, false, false, List.of()));
    assertThat(
            ControlPlaneModel.workloadsOf(
                spec("medium", DatastoreMode.SHARED_ETCD, false), CATALOGUE))
        .isEqualTo(new Workloads(false, true, false, List.of()));
    assertThat(
            ControlPlaneModel.workloadsOf(
                spec("crossplane-medium", DatastoreMode.KINE, false), CATALOGUE))
        .isEqualTo(new Workloads(false, false, true, List.of("crossplane")));
  }

  @Test
  void thePriorityClassIsClusterScopedAndTheSameForEveryTenant() {
    PriorityClass pc = ControlPlaneModel.priorityClass();

    assertThat(pc.getMetadata().getName()).isEqualTo(WorkloadNames.PRIORITY_CLASS);
    assertThat(pc.getMetadata().getNamespace()).isNull();
    assertThat(pc.getApiVersion()).isEqualTo("scheduling.k8s.io/v1");
    assertThat(pc.getValue()).isEqualTo(100_000_000).isLessThan(1_000_000_000);
    assertThat(pc.getGlobalDefault()).isFalse();
    assertThat(pc.getMetadata().getLabels()).isEqualTo(Labels.ours());
  }

  @Test
  void anUnknownPlanIsRefusedWithTheKnownOnes() {
    TenantControlPlaneSpec spec = TenantFixtures.dedicated();
    spec.setPlan("huge");

    assertThatThrownBy(() -> ControllerManagerModel.controllerManagerDeployment(spec, CATALOGUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("huge")
        .hasMessageContaining("medium");
  }

  @Test
  void eachDatastoreModeHasItsOwnWorkloadsAndServices() {
    TenantControlPlaneSpec dedicated = spec("medium", DatastoreMode.DEDICATED_ETCD, false);
    TenantControlPlaneSpec shared = spec("medium", DatastoreMode.SHARED_ETCD, false);
    TenantControlPlaneSpec kine = spec("medium", DatastoreMode.KINE, false);
    TenantControlPlaneSpec crossplane = spec("crossplane-medium", DatastoreMode.SHARED_ETCD, true);

    assertThat(names(ControlPlaneModel.deployments(dedicated, CATALOGUE)))
        .containsExactly("kube-apiserver", "kube-controller-manager");
    assertThat(names(ControlPlaneModel.statefulSets(dedicated, CATALOGUE))).containsExactly("etcd");
    assertThat(names(ControlPlaneModel.services(dedicated)))
        .containsExactly("kube-apiserver", "etcd", "etcd-peers");

    for (TenantControlPlaneSpec noEtcdOfItsOwn : List.of(shared, kine)) {
      assertThat(names(ControlPlaneModel.deployments(noEtcdOfItsOwn, CATALOGUE)))
          .containsExactly("kube-apiserver", "kube-controller-manager");
      assertThat(ControlPlaneModel.statefulSets(noEtcdOfItsOwn, CATALOGUE)).isEmpty();
      assertThat(names(ControlPlaneModel.services(noEtcdOfItsOwn)))
          .containsExactly("kube-apiserver");
    }

    assertThat(names(ControlPlaneModel.deployments(crossplane, CATALOGUE)))
        .containsExactly("kube-apiserver", "kube-controller-manager", "crossplane");
  }

  @Test
  void theWorkloadsTheControllerBuildsAreTheOnesTheQuotaWasCheckedAgainst() {
    everyKindOfTenant()
        .forEach(
            spec -> {
              List<String> built = new ArrayList<>();
              built.addAll(names(ControlPlaneModel.deployments(spec, CATALOGUE)));
              built.addAll(names(ControlPlaneModel.statefulSets(spec, CATALOGUE)));
              assertThat(built)
                  .containsExactlyInAnyOrderElementsOf(
                      TenantFixtures.workloadsOf(spec).stream().map(Workload::name).toList());
            });
  }

  private static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).toList();
  }
}
