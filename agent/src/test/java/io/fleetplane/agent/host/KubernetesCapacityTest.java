package io.fleetplane.agent.host;

import static io.fleetplane.agent.host.KubernetesCapacity.StorageObjects.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.agent.report.HostFacts;
import io.fleetplane.agent.report.HostReports;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Resources;
import io.fleetplane.events.Taint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class KubernetesCapacityTest {

  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  static final HostFacts FACTS =
      new HostFacts(
          "eu-h1",
          "eu-west",
          Map.of("tier", "gold"),
          Set.of(DatastoreMode.DEDICATED_ETCD, DatastoreMode.SHARED_ETCD),
          40,
          "1.4.2");

  static final RuntimeClass GVISOR = runtimeClass("gvisor", "runsc");

  @Test
  void countsOnlyReadySchedulableNodes() {
    HostReport r =
        report(
            List.of(
                node("n1").cpu("4").memory("16Gi").pods("110").build(),
                node("n2").cpu("4").memory("16Gi").pods("110").build(),
                node("n3").cpu("4").memory("16Gi").pods("110").cordoned().build()),
            List.of());

    // 2 nodes x 4000m = 8000m; 2 x 16384 MiB = 32768 MiB; 2 x 110 = 220 pods. The cordoned third
    // adds nothing.
    assertThat(r.allocatable()).isEqualTo(Resources.allocatable(8000, 32768, 220));
    assertThat(r.nodes()).isEqualTo(new HostReport.NodeCounts(2, 3));
  }

  @Test
  void quantitiesAreParsedWithTheirSuffixesAndMemoryIsRoundedDown() {
    HostReport r =
        report(
            List.of(
                node("n1").cpu("1500m").memory("16381564Ki").pods("58").build(),
                node("n2").cpu("2.5").memory("1G").pods("8").build()),
            List.of());

    // cpu: 1500m + 2.5 cores = 1500 + 2500 = 4000m.
    // memory, rounded down per node: 16381564Ki = 16774721536 bytes / 1048576 = 15997.6 -> 15997
    // MiB; 1G = 1000000000 bytes / 1048576 = 953.7 -> 953 MiB; 15997 + 953 = 16950 MiB.
    // pods: 58 + 8 = 66.
    assertThat(r.allocatable()).isEqualTo(Resources.allocatable(4000, 16950, 66));
  }

  @Test
  void unschedulableAndNotReadyNodesAddNothingButCountInTotal() {
    HostReport r =
        report(
            List.of(
                node("ok").cpu("8").memory("32Gi").pods("110").build(),
                node("not-ready").cpu("8").memory("32Gi").pods("110").ready("False").build(),
                node("unknown").cpu("8").memory("32Gi").pods("110").ready("Unknown").build(),
                node("no-condition").cpu("8").memory("32Gi").pods("110").ready(null).build(),
                node("cordoned").cpu("8").memory("32Gi").pods("110").cordoned().build(),
                node("unreachable")
                    .cpu("8")
                    .memory("32Gi")
                    .pods("110")
                    .taint("node.kubernetes.io/unreachable", null, "NoExecute")
                    .build(),
                node("tainted-not-ready")
                    .cpu("8")
                    .memory("32Gi")
                    .pods("110")
                    .taint("node.kubernetes.io/not-ready", null, "NoSchedule")
                    .build(),
                node("tainted-unschedulable")
                    .cpu("8")
                    .memory("32Gi")
                    .pods("110")
                    .taint("node.kubernetes.io/unschedulable", null, "NoSchedule")
                    .build()),
            List.of());

    // Only "ok" counts: 8000m, 32768 MiB, 110 pods; all 8 nodes count in the total.
    assertThat(r.allocatable()).isEqualTo(Resources.allocatable(8000, 32768, 110));
    assertThat(r.nodes()).isEqualTo(new HostReport.NodeCounts(1, 8));
  }

  @Test
  void zonesAreTheSortedDistinctZonesOfCountedNodes() {
    HostReport r =
        report(
            List.of(
                node("n1").cpu("4").zone("eu-west-1b").build(),
                node("n2").cpu("4").zone("eu-west-1a").build(),
                node("n3").cpu("4").zone("eu-west-1b").build(),
                node("n4").cpu("4").build(),
                node("n5").cpu("4").zone("eu-west-1c").cordoned().build()),
            List.of());

    // b, a, b, none -> [a, b]; c is only on the cordoned node.
    assertThat(r.zones()).containsExactly("eu-west-1a", "eu-west-1b");
  }

  @Test
  void splitsTenantPodsFromSystemPods() {
    HostReport r =
        report(
            List.of(node("n1").cpu("16").memory("64Gi").pods("110").build()),
            List.of(
                pod("kube-apiserver")
                    .namespace("tenant-acme")
                    .label(Labels.MANAGED_BY, Labels.AGENT)
                    .container("500m", "1Gi")
                    .build(),
                pod("etcd-0")
                    .namespace("tenant-acme")
                    .label(Labels.MANAGED_BY, Labels.AGENT)
                    .label(Labels.TENANT, "acme")
                    .container("250m", "512Mi")
                    .build(),
                pod("shared-etcd-client")
                    .namespace("fleetplane-shared-etcd")
                    .label(Labels.TENANT, "globex")
                    .container("100m", "128Mi")
                    .build(),
                pod("not-ours").namespace("tenant-rogue").container("1", "2Gi").build(),
                pod("coredns").namespace("kube-system").container("100m", "70Mi").build(),
                pod("agent")
                    .namespace("fleetplane-system")
                    .label(Labels.MANAGED_BY, Labels.AGENT)
                    .container("50m", "64Mi")
                    .build(),
                pod("best-effort").namespace("kube-system").container(null, null).build()));

    // Tenant: 500m + 250m + 100m = 850m; 1024 + 512 + 128 = 1664 MiB; 3 pods.
    assertThat(r.tenantUsed()).isEqualTo(new Resources(850, 1664, 3));
    // Others: not-ours 1000m + coredns 100m + agent 50m + best-effort 0 = 1150m;
    // 2048 + 70 + 64 + 0 = 2182 MiB; 4 pods (the best-effort one takes a slot and nothing else).
    assertThat(r.unmanagedUsed()).isEqualTo(new Resources(1150, 2182, 4));
  }

  @Test
  void initContainerRequestsCountAsKubeSchedulerCountsThem() {
    HostReport r =
        report(
            List.of(node("n1").cpu("16").memory("64Gi").pods("110").build()),
            List.of(
                pod("p")
                    .container("200m", "256Mi")
                    .container("300m", "256Mi")
                    .init("1", "128Mi")
                    .init("100m", "1Gi")
                    .build()));

    // Containers: 200m + 300m = 500m; 256 + 256 = 512 MiB. Init containers run one at a time:
    // max(1000m, 100m) = 1000m; max(128, 1024) = 1024 MiB. Per resource, the larger of the two:
    // cpu max(500, 1000) = 1000m (from the init phase), memory max(512, 1024) = 1024 MiB.
    assertThat(r.unmanagedUsed()).isEqualTo(new Resources(1000, 1024, 1));
  }

  @Test
  void sidecarsCountBesideTheAppAndTheInitContainersStartedAfterThem() {
    HostReport r =
        report(
            List.of(node("n1").cpu("16").memory("64Gi").pods("110").build()),
            List.of(
                pod("p")
                    .init("500m", "128Mi")
                    .sidecar("100m", "64Mi")
                    .init("300m", "32Mi")
                    .container("200m", "128Mi")
                    .build()));

    // Init phase: first init alone 500m/128Mi; then the sidecar 100m/64Mi; the second init beside
    // it 100 + 300 = 400m, 64 + 32 = 96 MiB. Peak: max(500, 100, 400) = 500m,
    // max(128, 64, 96) = 128 MiB. Running: app + sidecar = 200 + 100 = 300m, 128 + 64 = 192 MiB.
    // Pod: max(300, 500) = 500m, max(192, 128) = 192 MiB.
    assertThat(r.unmanagedUsed()).isEqualTo(new Resources(500, 192, 1));
  }

  @Test
  void podLevelRequestsReplaceTheContainersSumForTheirResource() {
    HostReport r =
        report(
            List.of(node("n1").cpu("16").memory("64Gi").pods("110").build()),
            List.of(
                pod("p")
                    .container("100m", "128Mi")
                    .container("100m", "128Mi")
                    .podLevel("1", null)
                    .build()));

    // cpu: the pod-level 1000m replaces 100 + 100 = 200m; memory has no pod-level request, so
    // 128 + 128 = 256 MiB.
    assertThat(r.unmanagedUsed()).isEqualTo(new Resources(1000, 256, 1));
  }

  @Test
  void podOverheadIsAdded() {
    HostReport r =
        report(
            List.of(node("n1").cpu("16").memory("64Gi").pods("110").build()),
            List.of(
                pod("sandboxed")
                    .namespace("tenant-acme")
                    .label(Labels.MANAGED_BY, Labels.AGENT)
                    .container("250m", "512Mi")
                    .overhead("250m", "120Mi")
                    .build()));

    // 250m + 250m overhead = 500m; 512 + 120 = 632 MiB; still one pod.
    assertThat(r.tenantUsed()).isEqualTo(new Resources(500, 632, 1));
  }

  @Test
  void finishedPodsAndPodsOnUncountedNodesAreIgnored() {
    HostReport r =
        report(
            List.of(
                node("n1").cpu("16").memory("64Gi").pods("110").build(),
                node("cordoned").cpu("16").memory("64Gi").pods("110").cordoned().build()),
            List.of(
                pod("running").on("n1").phase("Running").container("100m", "100Mi").build(),
                pod("starting").on("n1").phase("Pending").container("200m", "200Mi").build(),
                pod("no-status").on("n1").phase(null).container("400m", "400Mi").build(),
                pod("done").on("n1").phase("Succeeded").container("1", "1Gi").build(),
                pod("crashed").on("n1").phase("Failed").container("1", "1Gi").build(),
                pod("unbound").on(null).phase("Pending").container("1", "1Gi").build(),
                pod("on-cordoned").on("cordoned").container("1", "1Gi").build(),
                pod("on-gone-node").on("n9").container("1", "1Gi").build()));

    // Bound to n1 and not finished: 100 + 200 + 400 = 700m; 100 + 200 + 400 = 700 MiB; 3 pods.
    assertThat(r.unmanagedUsed()).isEqualTo(new Resources(700, 700, 3));
  }

  @Test
  void aTaintOnEveryNodeIsReportedOneOnSomeIsNot() {
    HostReport r =
        report(
            List.of(
                node("n1")
                    .cpu("4")
                    .taint("dedicated", "fleet", "NoSchedule")
                    .taint("dedicated", "fleet", "NoExecute")
                    .taint("area", null, "PreferNoSchedule")
                    .taint("gpu", "true", "NoSchedule")
                    .taint("node.kubernetes.io/not-ready", null, "PreferNoSchedule")
                    .build(),
                node("n2")
                    .cpu("4")
                    .taint("area", null, "PreferNoSchedule")
                    .taint("dedicated", "fleet", "NoExecute")
                    .taint("dedicated", "fleet", "NoSchedule")
                    .taint("dedicated", "other", "NoSchedule")
                    .taint("node.kubernetes.io/not-ready", null, "PreferNoSchedule")
                    .build(),
                node("n3").cpu("4").taint("spot", "true", "NoSchedule").cordoned().build()),
            List.of());

    // On n1 and n2: area, dedicated=fleet twice (NoExecute sorts before NoSchedule). Only on one:
    // gpu, dedicated=other. The not-ready taint is a health taint: never reported. n3 is not
    // counted, so it neither adds spot nor removes the others.
    assertThat(r.taints())
        .containsExactly(
            new Taint("area", null, "PreferNoSchedule"),
            new Taint("dedicated", "fleet", "NoExecute"),
            new Taint("dedicated", "fleet", "NoSchedule"));
  }

  @Test
  void gvisorNeedsTheRuntimeClassAndANodeThatRunsIt() {
    Node plain = node("plain").cpu("4").build();
    Node sandbox =
        node("sandbox").cpu("4").label(KubernetesCapacity.GVISOR_NODE_LABEL, "true").build();
    Node gke = node("gke").cpu("4").label(KubernetesCapacity.GKE_SANDBOX_LABEL, "gvisor").build();
    Node cordonedSandbox =
        node("cordoned")
            .cpu("4")
            .label(KubernetesCapacity.GVISOR_NODE_LABEL, "true")
            .cordoned()
            .build();

    assertThat(gvisor(List.of(plain, sandbox), List.of(GVISOR))).isTrue();
    assertThat(gvisor(List.of(plain, gke), List.of(GVISOR))).isTrue();
    // The class alone: pods using it would never start.
    assertThat(gvisor(List.of(plain), List.of(GVISOR))).isFalse();
    // The nodes alone: no class to ask for them by.
    assertThat(gvisor(List.of(sandbox), List.of())).isFalse();
    // A class of that name with another handler is not gVisor.
    assertThat(gvisor(List.of(sandbox), List.of(runtimeClass("gvisor", "kata")))).isFalse();
    // The only runsc node is cordoned.
    assertThat(gvisor(List.of(plain, cordonedSandbox), List.of(GVISOR))).isFalse();
  }

  @Test
  void factsAndTheTimeArePassedThrough() {
    HostReport r =
        KubernetesCapacity.report(
            FACTS, List.of(node("n1").cpu("4").build()), List.of(), List.of(), NONE, 7, NOW);

    assertThat(r.clusterId()).isEqualTo("eu-h1");
    assertThat(r.region()).isEqualTo("eu-west");
    assertThat(r.labels()).isEqualTo(Map.of("tier", "gold"));
    assertThat(r.capabilities().datastoreModes())
        .containsExactly(DatastoreMode.DEDICATED_ETCD, DatastoreMode.SHARED_ETCD);
    assertThat(r.capabilities().sharedEtcdHeadroom()).isEqualTo(40);
    assertThat(r.agentVersion()).isEqualTo("1.4.2");
    assertThat(r.tenantsRunning()).isEqualTo(7);
    assertThat(r.reportedAt()).isEqualTo(NOW);
  }

  @Test
  void smallChangesAreNotSignificantLargeOnesAre() {
    // Allocatable 8000m, 32768 MiB, 220 pods: 5% is 400m, 1638.4 MiB, 11 pods.
    HostReport base =
        amounts(
            baseReport(),
            new Resources(8000, 32768, 220),
            new Resources(1000, 4096, 20),
            new Resources(2000, 8192, 10));

    assertThat(HostReports.significantChange(null, base)).isTrue();
    assertThat(HostReports.significantChange(base, base)).isFalse();
    assertThat(HostReports.significantChange(base, at(base, NOW.plusSeconds(60)))).isFalse();

    // tenantUsed cpu 2000 -> 2400m: 400 is not more than 400.
    assertThat(significant(base, null, null, new Resources(2400, 8192, 10))).isFalse();
    // 2000 -> 2401m: 401 > 400.
    assertThat(significant(base, null, null, new Resources(2401, 8192, 10))).isTrue();
    // unmanagedUsed memory 4096 -> 5734 MiB: 1638 <= 1638.4; 4096 -> 5735: 1639 > 1638.4.
    assertThat(significant(base, null, new Resources(1000, 5734, 20), null)).isFalse();
    assertThat(significant(base, null, new Resources(1000, 5735, 20), null)).isTrue();
    // Downwards counts too: unmanagedUsed pods 20 -> 9 is 11 (not more than 11), 20 -> 8 is 12.
    assertThat(significant(base, null, new Resources(1000, 4096, 9), null)).isFalse();
    assertThat(significant(base, null, new Resources(1000, 4096, 8), null)).isTrue();
    // allocatable itself, measured against its previous value: 8000 -> 7601m is 399, -> 7599m 401.
    assertThat(significant(base, new Resources(7601, 32768, 220), null, null)).isFalse();
    assertThat(significant(base, new Resources(7599, 32768, 220), null, null)).isTrue();
    // Several small changes at once are still small.
    assertThat(
            significant(
                base,
                new Resources(7700, 32000, 215),
                new Resources(1300, 5000, 25),
                new Resources(2300, 9000, 15)))
        .isFalse();
  }

  @Test
  void changedNodesZonesTaintsCapabilitiesOrTenantCountAreSignificant() {
    HostReport base = baseReport();

    List<Node> oneMoreNode = new ArrayList<>(baseNodes(n -> n));
    oneMoreNode.add(node("n3").zone("a").build()); // no allocatable: only the count changes
    List<Node> newZone = baseNodes(n -> n.zone("b"));
    List<Node> tainted = baseNodes(n -> n.taint("x", null, "NoSchedule"));
    List<Node> sandboxed = baseNodes(n -> n.label(KubernetesCapacity.GVISOR_NODE_LABEL, "true"));

    assertThat(changed(base, oneMoreNode, List.of(), FACTS, 3)).isTrue(); // ready 2 -> 3
    assertThat(changed(base, newZone, List.of(), FACTS, 3)).isTrue(); // [a] -> [b]
    assertThat(changed(base, tainted, List.of(), FACTS, 3)).isTrue(); // [] -> [x:NoSchedule]
    assertThat(changed(base, sandboxed, List.of(GVISOR), FACTS, 3)).isTrue(); // gvisor on
    assertThat(
            changed(base, baseNodes(n -> n), List.of(), facts(Set.of(DatastoreMode.KINE), 40), 3))
        .isTrue();
    assertThat(
            changed(
                base,
                baseNodes(n -> n),
                List.of(),
                facts(Set.of(DatastoreMode.DEDICATED_ETCD, DatastoreMode.SHARED_ETCD), 39),
                3))
        .isTrue(); // headroom 40 -> 39
    assertThat(changed(base, baseNodes(n -> n), List.of(), FACTS, 4)).isTrue(); // 3 -> 4 tenants
    // The same inputs an hour later: nothing to say.
    assertThat(changed(base, baseNodes(n -> n), List.of(), FACTS, 3)).isFalse();
  }

  @Test
  void storageIsWhatTheDefaultClassCanStillProvisionPlusWhatTheFleetsClaimsHold() {
    KubernetesCapacity.StorageObjects s =
        new KubernetesCapacity.StorageObjects(
            List.of(
                storageClass("slow", false, "2026-01-01T00:00:00Z"),
                storageClass("old-default", true, "2026-01-01T00:00:00Z"),
                // two defaults: the API server gives claims the newest
                storageClass("fast", true, "2026-06-01T00:00:00Z")),
            List.of(
                csiCapacity("fast", "300Gi"), // zone a
                csiCapacity("fast", "200.5Gi"), // zone b: rounded down
                csiCapacity("slow", "10Ti")), // not the datastores' class
            List.of(
                claim("tenant-a", "fast", "Bound", "24Gi", true),
                claim("tenant-b", null, "Bound", "7.5Gi", true), // the default class: 8
                claim("tenant-c", "fast", "Pending", "100Gi", true), // no volume yet
                claim("tenant-d", "slow", "Bound", "50Gi", true), // the fleet's, another class
                claim("someone", "fast", "Bound", "500Gi", false)), // not the fleet's
            OptionalLong.of(999)); // published capacity wins over the configured amount

    HostReport r =
        KubernetesCapacity.report(FACTS, baseNodes(n -> n), List.of(), List.of(), s, 0, NOW);

    // 300 + 200 published, + 24 + 8 of the fleet's own claims of the class
    assertThat(r.allocatable().storageGiB()).isEqualTo(532);
    assertThat(r.tenantUsed().storageGiB()).isEqualTo(24 + 8 + 50);
    assertThat(r.unmanagedUsed().storageGiB()).isZero();
  }

  @Test
  void storageIsTheConfiguredAmountWhenTheDriverPublishesNoneAndUnreportedWithNeither() {
    KubernetesCapacity.StorageObjects configured =
        new KubernetesCapacity.StorageObjects(
            List.of(storageClass("standard", true, "2026-01-01T00:00:00Z")),
            List.of(),
            List.of(claim("tenant-a", "standard", "Bound", "24Gi", true)),
            OptionalLong.of(2_000));
    HostReport r =
        KubernetesCapacity.report(
            FACTS, baseNodes(n -> n), List.of(), List.of(), configured, 0, NOW);
    assertThat(r.allocatable().storageGiB()).isEqualTo(2_000);
    assertThat(r.tenantUsed().storageGiB()).isEqualTo(24);

    KubernetesCapacity.StorageObjects unknown =
        new KubernetesCapacity.StorageObjects(
            List.of(), List.of(csiCapacity("standard", "1Ti")), List.of(), OptionalLong.empty());
    HostReport u =
        KubernetesCapacity.report(FACTS, baseNodes(n -> n), List.of(), List.of(), unknown, 0, NOW);
    // No default class: nothing says which capacity the datastores' claims would take.
    assertThat(u.allocatable().reported(Dimension.STORAGE)).isFalse();
    assertThat(
            new String(
                io.fleetplane.events.codec.Codecs.HOST_REPORT.encode(u),
                java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("\"storageGiB\":-1");
  }

  @Test
  void aStorageChangeOfMoreThanTheSignificantShareIsPublishedAtOnce() {
    HostReport before = baseReport();
    KubernetesCapacity.StorageObjects s =
        new KubernetesCapacity.StorageObjects(
            List.of(), List.of(), List.of(), OptionalLong.of(1_000));
    HostReport reported =
        KubernetesCapacity.report(FACTS, baseNodes(n -> n), List.of(), List.of(), s, 3, NOW);
    // Storage starts being reported: news.
    assertThat(HostReports.significantChange(before, reported)).isTrue();
    KubernetesCapacity.StorageObjects more =
        new KubernetesCapacity.StorageObjects(
            List.of(), List.of(), List.of(), OptionalLong.of(1_040));
    KubernetesCapacity.StorageObjects much =
        new KubernetesCapacity.StorageObjects(
            List.of(), List.of(), List.of(), OptionalLong.of(1_100));
    assertThat(
            HostReports.significantChange(
                reported,
                KubernetesCapacity.report(
                    FACTS, baseNodes(n -> n), List.of(), List.of(), more, 3, NOW)))
        .isFalse();
    assertThat(
            HostReports.significantChange(
                reported,
                KubernetesCapacity.report(
                    FACTS, baseNodes(n -> n), List.of(), List.of(), much, 3, NOW)))
        .isTrue();
  }

  private static io.fabric8.kubernetes.api.model.storage.StorageClass storageClass(
      String name, boolean isDefault, String created) {
    return new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(created)
        .withAnnotations(
            isDefault ? Map.of("storageclass.kubernetes.io/is-default-class", "true") : Map.of())
        .endMetadata()
        .withProvisioner("csi.example.com")
        .build();
  }

  private static io.fabric8.kubernetes.api.model.storage.CSIStorageCapacity csiCapacity(
      String storageClass, String capacity) {
    return new io.fabric8.kubernetes.api.model.storage.CSIStorageCapacityBuilder()
        .withNewMetadata()
        .withGenerateName("csisc-")
        .withNamespace("kube-system")
        .endMetadata()
        .withStorageClassName(storageClass)
        .withCapacity(new io.fabric8.kubernetes.api.model.Quantity(capacity))
        .build();
  }

  private static io.fabric8.kubernetes.api.model.PersistentVolumeClaim claim(
      String namespace, String storageClass, String phase, String size, boolean fleets) {
    return new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName("data-etcd-0")
        .withNamespace(namespace)
        .withLabels(fleets ? Map.of(Labels.TENANT, namespace) : Map.of())
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(storageClass)
        .withNewResources()
        .withRequests(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity(size)))
        .endResources()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .withCapacity(
            "Bound".equals(phase)
                ? Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity(size))
                : Map.of())
        .endStatus()
        .build();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static HostReport report(List<Node> nodes, List<Pod> pods) {
    return KubernetesCapacity.report(FACTS, nodes, pods, List.of(), NONE, 0, NOW);
  }

  private static boolean gvisor(List<Node> nodes, List<RuntimeClass> runtimeClasses) {
    return KubernetesCapacity.report(FACTS, nodes, List.of(), runtimeClasses, NONE, 0, NOW)
        .capabilities()
        .gvisor();
  }

  /** n1 and n2, 4 cores, 16Gi and 110 pods each, in zone a; then {@code each} applied. */
  private static List<Node> baseNodes(UnaryOperator<NodeFixture> each) {
    return List.of(
        each.apply(node("n1").cpu("4").memory("16Gi").pods("110").zone("a")).build(),
        each.apply(node("n2").cpu("4").memory("16Gi").pods("110").zone("a")).build());
  }

  private static HostReport baseReport() {
    return KubernetesCapacity.report(FACTS, baseNodes(n -> n), List.of(), List.of(), NONE, 3, NOW);
  }

  private static boolean changed(
      HostReport base, List<Node> nodes, List<RuntimeClass> rcs, HostFacts facts, int tenants) {
    HostReport next =
        KubernetesCapacity.report(
            facts, nodes, List.of(), rcs, NONE, tenants, NOW.plusSeconds(3600));
    return HostReports.significantChange(base, next);
  }

  private static HostFacts facts(Set<DatastoreMode> modes, int headroom) {
    return new HostFacts(
        FACTS.clusterId(), FACTS.region(), FACTS.labels(), modes, headroom, FACTS.agentVersion());
  }

  /** Whether base changed to these amounts (null: unchanged) is significant. */
  private static boolean significant(
      HostReport base, Resources allocatable, Resources unmanaged, Resources tenant) {
    HostReport next =
        amounts(
            base,
            allocatable == null ? base.allocatable() : allocatable,
            unmanaged == null ? base.unmanagedUsed() : unmanaged,
            tenant == null ? base.tenantUsed() : tenant);
    return HostReports.significantChange(base, next);
  }

  private static HostReport amounts(
      HostReport r, Resources allocatable, Resources unmanaged, Resources tenant) {
    return new HostReport(
        r.clusterId(),
        r.region(),
        r.zones(),
        r.labels(),
        r.taints(),
        allocatable,
        unmanaged,
        tenant,
        r.capabilities(),
        r.nodes(),
        r.tenantsRunning(),
        r.agentVersion(),
        r.reportedAt());
  }

  private static HostReport at(HostReport r, Instant reportedAt) {
    return new HostReport(
        r.clusterId(),
        r.region(),
        r.zones(),
        r.labels(),
        r.taints(),
        r.allocatable(),
        r.unmanagedUsed(),
        r.tenantUsed(),
        r.capabilities(),
        r.nodes(),
        r.tenantsRunning(),
        r.agentVersion(),
        reportedAt);
  }

  private static RuntimeClass runtimeClass(String name, String handler) {
    return new RuntimeClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withHandler(handler)
        .build();
  }

  static NodeFixture node(String name) {
    return new NodeFixture(name);
  }

  static PodFixture pod(String name) {
    return new PodFixture(name);
  }

  /** A node, Ready and schedulable unless told otherwise. */
  static final class NodeFixture {
    private final String name;
    private final Map<String, Quantity> allocatable = new HashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<io.fabric8.kubernetes.api.model.Taint> taints = new ArrayList<>();
    private String ready = "True";
    private boolean cordoned;

    NodeFixture(String name) {
      this.name = name;
    }

    NodeFixture cpu(String q) {
      allocatable.put("cpu", new Quantity(q));
      return this;
    }

    NodeFixture memory(String q) {
      allocatable.put("memory", new Quantity(q));
      return this;
    }

    NodeFixture pods(String q) {
      allocatable.put("pods", new Quantity(q));
      return this;
    }

    NodeFixture zone(String zone) {
      return label(KubernetesCapacity.ZONE_LABEL, zone);
    }

    NodeFixture label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    NodeFixture taint(String key, String value, String effect) {
      taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
      return this;
    }

    /** The status of the Ready condition; null for none at all. */
    NodeFixture ready(String status) {
      ready = status;
      return this;
    }

    NodeFixture cordoned() {
      cordoned = true;
      return this;
    }

    Node build() {
      List<NodeCondition> conditions = new ArrayList<>();
      conditions.add(
          new NodeConditionBuilder().withType("MemoryPressure").withStatus("False").build());
      if (ready != null) {
        conditions.add(new NodeConditionBuilder().withType("Ready").withStatus(ready).build());
      }
      return new NodeBuilder()
          .withNewMetadata()
          .withName(name)
          .withLabels(labels)
          .endMetadata()
          .withNewSpec()
          .withUnschedulable(cordoned ? Boolean.TRUE : null)
          .withTaints(taints)
          .endSpec()
          .withNewStatus()
          .withAllocatable(allocatable)
          .withConditions(conditions)
          .endStatus()
          .build();
    }
  }

  /** A pod in kube-system, bound to n1 and Running unless told otherwise. */
  static final class PodFixture {
    private final String name;
    private String namespace = "kube-system";
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Container> containers = new ArrayList<>();
    private final List<Container> initContainers = new ArrayList<>();
    private Map<String, Quantity> overhead;
    private ResourceRequirements podLevel;
    private String nodeName = "n1";
    private String phase = "Running";

    PodFixture(String name) {
      this.name = name;
    }

    PodFixture namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    PodFixture label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    PodFixture on(String nodeName) {
      this.nodeName = nodeName;
      return this;
    }

    PodFixture phase(String phase) {
      this.phase = phase;
      return this;
    }

    /** An app container requesting this cpu and memory (null: not requested). */
    PodFixture container(String cpu, String memory) {
      containers.add(container("c" + containers.size(), cpu, memory, null));
      return this;
    }

    PodFixture init(String cpu, String memory) {
      initContainers.add(container("i" + initContainers.size(), cpu, memory, null));
      return this;
    }

    /** An init container with restartPolicy Always: it runs on beside the app. */
    PodFixture sidecar(String cpu, String memory) {
      initContainers.add(container("s" + initContainers.size(), cpu, memory, "Always"));
      return this;
    }

    PodFixture overhead(String cpu, String memory) {
      overhead = quantities(cpu, memory);
      return this;
    }

    PodFixture podLevel(String cpu, String memory) {
      podLevel = new ResourceRequirementsBuilder().withRequests(quantities(cpu, memory)).build();
      return this;
    }

    Pod build() {
      return new PodBuilder()
          .withNewMetadata()
          .withName(name)
          .withNamespace(namespace)
          .withLabels(labels)
          .endMetadata()
          .withNewSpec()
          .withNodeName(nodeName)
          .withContainers(containers)
          .withInitContainers(initContainers)
          .withOverhead(overhead)
          .withResources(podLevel)
          .endSpec()
          .withNewStatus()
          .withPhase(phase)
          .endStatus()
          .build();
    }

    private static Container container(
        String name, String cpu, String memory, String restartPolicy) {
      return new ContainerBuilder()
          .withName(name)
          .withImage("registry.example/" + name)
          .withRestartPolicy(restartPolicy)
          .withNewResources()
          .withRequests(quantities(cpu, memory))
          .endResources()
          .build();
    }

    private static Map<String, Quantity> quantities(String cpu, String memory) {
      Map<String, Quantity> map = new HashMap<>();
      if (cpu != null) {
        map.put("cpu", new Quantity(cpu));
      }
      if (memory != null) {
        map.put("memory", new Quantity(memory));
      }
      return map;
    }
  }
}
