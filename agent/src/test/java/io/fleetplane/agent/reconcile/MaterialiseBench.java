package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.tenant.KubernetesTenantApi;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 1,000 tenants materialised by the agent's controller against fabric8's API server in CRUD mode:
 * the wall time from the first TenantControlPlane created to every tenant's objects there, the
 * agent's API requests per tenant, a second pass by a restarted controller (which must write
 * nothing), and the heap. The tenants are a seeded mix of plans, datastore modes, isolation and HA.
 *
 * <p>Run: {@code ./mvnw -q install -DskipTests && ./mvnw -pl agent verify -Pbench} ({@code
 * -Dbench.tenants=N} for another count). The mock API server runs in this JVM, on the same cores,
 * and its objects are in the same heap; requests are counted in front of it ({@link
 * FaultyApiServer}, no fault set), the benchmark's own reads apart.
 */
class MaterialiseBench {

  private static final int TENANTS = Integer.getInteger("bench.tenants", 1_000);
  private static final long SEED = 20261124L;
  private static final Duration QUIET = Duration.ofSeconds(5);
  private static final Duration STEADY = Duration.ofSeconds(60);

  @Test
  void materialisesAThousandTenants() throws Exception {
    try (FaultyApiServer api = new FaultyApiServer()) {
      KubernetesClient host = api.observer();
      Fixtures.installCrd(host);
      List<TenantControlPlaneSpec> specs = mix(TENANTS, new Random(SEED));
      KubernetesClient agent = api.agentClient();
      long heapBefore = heapAfterGc();

      // ---- pass 1: every tenant new ----
      Reconciles first = new Reconciles();
      Operator operator = start(agent, first);
      api.reset();
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      KubernetesHostCluster cluster = new KubernetesHostCluster(host);
      specs.forEach(cluster::apply);
      long created = System.nanoTime();
      await()
          .atMost(Duration.ofMinutes(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> withStatus(phases(host)) == TENANTS);
      long statusesSeen = System.nanoTime();
      long cpu1 = processCpuNanos();
      awaitNoWriteFor(api, QUIET);
      Map<String, Integer> phases = phases(host);
      Set<String> missing = TenantObjects.missing(host, specs);
      long writes = api.writes();
      long reads = api.reads();
      long lastWrite = api.lastWriteAt();
      Map<String, Long> writesBy = api.writesByResource();
      long heapWithAgent = heapAfterGc();

      System.out.printf(
          Locale.ROOT,
          "%nbench: %d tenants (%s), %d cores%n",
          TENANTS,
          describe(specs),
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "bench: created in %.1f s; every tenant's status written %.1f s after the first create;"
              + " the agent's last write %.1f s after it: %.1f tenants/s%n",
          seconds(created - t0),
          seconds(statusesSeen - t0),
          seconds(lastWrite - t0),
          TENANTS / seconds(lastWrite - t0));
      System.out.printf(
          Locale.ROOT,
          "bench: CPU of the whole JVM (agent, mock API server, the benchmark's creates) until every"
              + " status was written: %.1f s = %.1f ms per tenant%n",
          (cpu1 - cpu0) / 1e9,
          (cpu1 - cpu0) / 1e6 / TENANTS);
      System.out.printf(
          Locale.ROOT, "bench: phases %s; objects missing %d%n", phases, missing.size());
      System.out.printf(
          Locale.ROOT,
          "bench: agent writes %d (%.2f per tenant), reads %d (%.2f per tenant);"
              + " reconciles %d (%.2f per tenant), failed %d%n",
          writes,
          (double) writes / TENANTS,
          reads,
          (double) reads / TENANTS,
          first.succeeded.get(),
          (double) first.succeeded.get() / TENANTS,
          first.failed.get());

      System.out.printf(Locale.ROOT, "bench: writes by resource %s%n", writesBy);

      // ---- pass 2: the controller restarted over the same tenants ----
      operator.stop();
      long heapMockAlone = heapAfterGc();
      api.reset();
      Reconciles second = new Reconciles();
      long t1 = System.nanoTime();
      operator = start(agent, second);
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> second.tenants.size() == TENANTS);
      long allReconciled = System.nanoTime();
      Thread.sleep(QUIET.toMillis());
      System.out.printf(
          Locale.ROOT,
          "bench: restarted: every tenant reconciled %.1f s after the start (informers' lists"
              + " included); writes %d, reads %d, watches %d, reconciles %d%n",
          seconds(allReconciled - t1),
          api.writes(),
          api.reads(),
          api.watches(),
          second.succeeded.get());
      long restartWrites = api.writes();
      // ---- steady state: a minute of converged tenants (crossplane ones re-check every 10 s) ----
      api.reset();
      Thread.sleep(STEADY.toMillis());
      long steadyWrites = api.writes();
      long steadyReads = api.reads();
      System.out.printf(
          Locale.ROOT,
          "bench: steady state over %d s with %d converged tenants: writes %d, reads %d"
              + " (%.1f writes and %.1f reads a minute per 1,000 tenants)%n",
          STEADY.toSeconds(),
          TENANTS,
          steadyWrites,
          steadyReads,
          steadyWrites * 60.0 / STEADY.toSeconds() * 1000 / TENANTS,
          steadyReads * 60.0 / STEADY.toSeconds() * 1000 / TENANTS);
      long heapAgain = heapAfterGc();
      operator.stop();

      System.out.printf(
          Locale.ROOT,
          "bench: heap after GC (MiB): before %.1f; agent and mock with %d tenants %.1f; mock alone"
              + " (agent stopped) %.1f, so the agent's share %.1f (%.1f KiB per tenant); after the"
              + " restart %.1f%n",
          mib(heapBefore),
          TENANTS,
          mib(heapWithAgent),
          mib(heapMockAlone),
          mib(heapWithAgent - heapMockAlone),
          (heapWithAgent - heapMockAlone) / 1024.0 / TENANTS,
          mib(heapAgain));

      assertThat(missing).isEmpty();
      assertThat(phases).containsOnlyKeys(TenantControlPlaneStatus.PROVISIONING);
      assertThat(restartWrites).as("writes of the restarted controller").isZero();
      assertThat(steadyWrites).as("writes in the steady state").isZero();
    }
  }

  /**
   * A seeded mix: plans small 40%, medium 35%, large 15%, crossplane-medium 10%; datastores shared
   * etcd 60%, dedicated etcd 25%, kine 15%; gVisor 30%; HA 10%.
   */
  static List<TenantControlPlaneSpec> mix(int n, Random random) {
    List<TenantControlPlaneSpec> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String tenant = String.format(Locale.ROOT, "bench-%04d", i);
      String plan =
          pick(
              random,
              new String[] {"small", "medium", "large", "crossplane-medium"},
              40,
              35,
              15,
              10);
      DatastoreMode mode =
          pick(
              random,
              new DatastoreMode[] {
                DatastoreMode.SHARED_ETCD, DatastoreMode.DEDICATED_ETCD, DatastoreMode.KINE
              },
              60,
              25,
              15);
      Isolation isolation = random.nextInt(100) < 30 ? Isolation.GVISOR : Isolation.RUNC;
      boolean ha = random.nextInt(100) < 10;
      Datastore datastore =
          mode == DatastoreMode.KINE
              ? Datastore.kine("postgres://db.example:5432/" + tenant)
              : Datastore.of(mode);
      out.add(
          TenantControlPlaneSpec.of(
              new Placement(
                  tenant,
                  "bench-h1",
                  1,
                  plan,
                  datastore,
                  isolation,
                  Catalogue.PLANS.demand(plan, mode, ha),
                  ha,
                  null,
                  100,
                  "r-" + tenant,
                  Instant.parse("2026-11-24T10:00:00Z"))));
    }
    return out;
  }

  private static <T> T pick(Random random, T[] values, int... percent) {
    int r = random.nextInt(100);
    for (int i = 0; i < values.length; i++) {
      r -= percent[i];
      if (r < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  private static String describe(List<TenantControlPlaneSpec> specs) {
    Map<String, Integer> plans = new TreeMap<>();
    Map<String, Integer> modes = new TreeMap<>();
    int gvisor = 0;
    int ha = 0;
    for (TenantControlPlaneSpec s : specs) {
      plans.merge(s.getPlan(), 1, Integer::sum);
      modes.merge(s.getDatastore(), 1, Integer::sum);
      gvisor += "gvisor".equals(s.getIsolation()) ? 1 : 0;
      ha += s.isHighAvailability() ? 1 : 0;
    }
    return plans + " " + modes + " gvisor " + gvisor + " ha " + ha;
  }

  private static Operator start(KubernetesClient agent, Metrics metrics) {
    Operator operator =
        Controllers.operator(
            agent,
            KubernetesTenantApi.viaAdminKubeconfig(agent),
            Controllers.CONCURRENT_RECONCILES,
            Controllers.RETRY,
            metrics);
    operator.start();
    return operator;
  }

  /** Tenants by phase, of those with a status. */
  private static Map<String, Integer> phases(KubernetesClient host) {
    Map<String, Integer> out = new TreeMap<>();
    for (TenantControlPlane t : host.resources(TenantControlPlane.class).list().getItems()) {
      if (t.getStatus() != null && t.getStatus().getPhase() != null) {
        out.merge(t.getStatus().getPhase(), 1, Integer::sum);
      }
    }
    return out;
  }

  private static int withStatus(Map<String, Integer> phases) {
    return phases.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Until the agent has written nothing for {@code quiet}: what the first pass costs in all. */
  private static void awaitNoWriteFor(FaultyApiServer api, Duration quiet) {
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> System.nanoTime() - api.lastWriteAt() > quiet.toNanos());
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double mib(long bytes) {
    return bytes / 1024.0 / 1024.0;
  }

  /** Reconciles JOSDK reports: how many succeeded and failed, and of which tenants. */
  private static final class Reconciles implements Metrics {
    final Set<String> tenants = ConcurrentHashMap.newKeySet();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    @Override
    public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
      tenants.add(resource.getMetadata().getName());
      succeeded.incrementAndGet();
    }

    @Override
    public void reconciliationFailed(
        HasMetadata resource, RetryInfo retry, Exception e, Map<String, Object> metadata) {
      failed.incrementAndGet();
    }
  }
}
