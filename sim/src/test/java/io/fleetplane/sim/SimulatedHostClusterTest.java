package io.fleetplane.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.HostCapacity;
import io.fleetplane.agent.host.TenantListener;
import io.fleetplane.events.Resources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedHostClusterTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<String> told = new CopyOnWriteArrayList<>();
  private final TenantListener listener =
      new TenantListener() {
        @Override
        public void phase(String tenantId, long generation, String phase, String message) {
          told.add(tenantId + " " + generation + " " + phase + " " + message);
        }

        @Override
        public void gone(String tenantId, long generation) {
          told.add(tenantId + " " + generation + " gone");
        }
      };

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private SimulatedHostCluster cluster(
      java.util.function.Function<TenantControlPlaneSpec, String> failure) {
    return cluster(failure, Duration.ofMillis(50));
  }

  private SimulatedHostCluster cluster(
      java.util.function.Function<TenantControlPlaneSpec, String> failure, Duration runAfter) {
    return new SimulatedHostCluster(
        List.of(
            new SimulatedHostCluster.Node("n1", "eu-a", new Resources(4_000, 16_384, 110), false),
            new SimulatedHostCluster.Node("n2", "eu-b", new Resources(4_000, 16_384, 110), true)),
        new Resources(500, 1_024, 10),
        runAfter,
        Duration.ofMillis(50),
        failure,
        timer);
  }

  private static TenantControlPlaneSpec spec(String tenant, long generation, long cpu) {
    TenantControlPlaneSpec s = new TenantControlPlaneSpec();
    s.setTenantId(tenant);
    s.setPlacementGeneration(generation);
    s.setPlan("small");
    s.setDatastore("shared-etcd");
    s.setIsolation("runc");
    s.setCpuMillis(cpu);
    s.setMemoryMiB(512);
    s.setPods(2);
    return s;
  }

  @Test
  void aTenantProvisionsThenRunsAfterTheDelay() {
    // Long enough that a busy machine still sees Provisioning before the timer fires.
    SimulatedHostCluster c = cluster(null, Duration.ofMillis(1_500));
    c.watchTenants(listener);
    assertThat(c.apply(spec("acme", 1, 250))).isTrue();
    assertThat(c.phaseOf("acme")).isEqualTo("Provisioning");
    await().atMost(Duration.ofSeconds(5)).until(() -> "Ready".equals(c.phaseOf("acme")));
    assertThat(told)
        .containsExactly(
            "acme 1 Provisioning control plane starting",
            "acme 1 Ready every component is available");
    assertThat(c.capacity().tenantsRunning()).isEqualTo(1);
  }

  @Test
  void applyingTheSameSpecAgainWritesNothing() {
    SimulatedHostCluster c = cluster(null);
    c.apply(spec("acme", 1, 250));
    assertThat(c.apply(spec("acme", 1, 250))).isFalse();
    assertThat(c.apply(spec("acme", 2, 500))).isTrue();
    assertThat(c.tenants().get("acme").getPlacementGeneration()).isEqualTo(2);
  }

  @Test
  void aTenantTheFailureRuleNamesFailsWithItsReason() {
    SimulatedHostCluster c =
        cluster(
            s -> s.getTenantId().startsWith("doomed") ? "ImagePullBackOff: no such image" : null);
    c.watchTenants(listener);
    c.apply(spec("doomed-1", 3, 250));
    await().atMost(Duration.ofSeconds(5)).until(() -> "Failed".equals(c.phaseOf("doomed-1")));
    assertThat(told).last().isEqualTo("doomed-1 3 Failed ImagePullBackOff: no such image");
    assertThat(c.fail("nobody", "x")).isFalse();
  }

  @Test
  void aDeletedTenantIsGoneAfterItsObjectsAre() {
    SimulatedHostCluster c = cluster(null);
    c.watchTenants(listener);
    c.apply(spec("acme", 1, 250));
    assertThat(c.delete("acme")).isTrue();
    assertThat(c.delete("acme")).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> told.contains("acme 1 gone"));
    assertThat(c.tenants()).isEmpty();
  }

  @Test
  void aTenantPlacedAgainBeforeItsObjectsWentIsGoneOnceThenProvisionsAgain() throws Exception {
    SimulatedHostCluster c = cluster(null);
    c.watchTenants(listener);
    c.apply(spec("acme", 1, 250));
    c.delete("acme");
    c.apply(spec("acme", 2, 250));
    await().atMost(Duration.ofSeconds(5)).until(() -> "Ready".equals(c.phaseOf("acme")));
    Thread.sleep(200); // past the first generation's gone timer
    assertThat(told)
        .containsExactly(
            "acme 1 Provisioning control plane starting",
            "acme 1 gone",
            "acme 2 Provisioning control plane starting",
            "acme 2 Ready every component is available");
  }

  @Test
  void aTenantReappliedWhileProvisioningIsSettledByItsOwnDelayOnly() throws Exception {
    SimulatedHostCluster c =
        new SimulatedHostCluster(
            List.of(
                new SimulatedHostCluster.Node(
                    "n1", "eu-a", new Resources(4_000, 16_384, 110), false)),
            Resources.ZERO,
            Duration.ofMillis(300),
            Duration.ofMillis(50),
            null,
            timer);
    c.apply(spec("acme", 1, 250));
    Thread.sleep(200);
    c.apply(spec("acme", 2, 500)); // resized: provisions again, for 300 ms from now
    Thread.sleep(150); // the first generation's timer has fired
    assertThat(c.phaseOf("acme")).isEqualTo("Provisioning");
    await().atMost(Duration.ofSeconds(5)).until(() -> "Ready".equals(c.phaseOf("acme")));
  }

  @Test
  void aRunningTenantCanBeMadeToFail() {
    SimulatedHostCluster c = cluster(null);
    c.watchTenants(listener);
    c.apply(spec("acme", 1, 250));
    await().atMost(Duration.ofSeconds(5)).until(() -> "Ready".equals(c.phaseOf("acme")));
    assertThat(c.fail("acme", "OOMKilled: kube-apiserver")).isTrue();
    assertThat(c.phaseOf("acme")).isEqualTo("Failed");
    assertThat(told).last().isEqualTo("acme 1 Failed OOMKilled: kube-apiserver");
    assertThat(c.capacity().tenantsRunning()).isZero();
  }

  @Test
  void capacityCountsReadyNodesSystemPodsAndTenants() {
    SimulatedHostCluster c = cluster(null);
    c.apply(spec("a", 1, 250));
    c.apply(spec("b", 1, 750));
    HostCapacity cap = c.capacity();
    // two nodes of 4,000m, 16,384 MiB, 110 pods; 500m, 1,024 MiB and 10 pods of system pods each
    assertThat(cap.allocatable()).isEqualTo(new Resources(8_000, 32_768, 220));
    assertThat(cap.unmanagedUsed()).isEqualTo(new Resources(1_000, 2_048, 20));
    assertThat(cap.tenantUsed()).isEqualTo(new Resources(1_000, 1_024, 4));
    assertThat(cap.zones()).containsExactly("eu-a", "eu-b");
    assertThat(cap.gvisor()).isTrue();
    assertThat(cap.nodesReady()).isEqualTo(2);
  }

  @Test
  void aLostNodeStopsCountingAndItsGvisorGoesWithIt() {
    SimulatedHostCluster c = cluster(null);
    c.loseNode("n2");
    HostCapacity cap = c.capacity();
    assertThat(cap.allocatable()).isEqualTo(new Resources(4_000, 16_384, 110));
    assertThat(cap.nodesReady()).isEqualTo(1);
    assertThat(cap.nodesTotal()).isEqualTo(2);
    assertThat(cap.gvisor()).isFalse();
    assertThat(cap.zones()).containsExactly("eu-a");
    c.restoreNode("n2");
    assertThat(c.capacity().nodesReady()).isEqualTo(2);
    assertThatThrownBy(() -> c.loseNode("n9")).hasMessageContaining("no node n9");
  }

  @Test
  void aWatcherIsToldOfTheTenantsThereAlready() {
    SimulatedHostCluster c = cluster(null);
    c.apply(spec("early", 1, 250));
    c.watchTenants(listener);
    assertThat(told).containsExactly("early 1 Provisioning control plane starting");
  }
}
