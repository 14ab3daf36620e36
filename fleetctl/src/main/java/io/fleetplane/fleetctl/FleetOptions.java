package io.fleetplane.fleetctl;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import io.fleetplane.sim.FleetShape;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/** The simulated fleet's shape, as {@code fleet} and {@code demo} take it. */
final class FleetOptions {

  /** The reason a tenant that {@code --fail-tenants-matching} names fails with. */
  static final String SIMULATED_FAILURE =
      "CrashLoopBackOff: kube-apiserver exited with code 1 (simulated failure)";

  @Option(
      names = "--regions",
      paramLabel = "a,b,c",
      description = "The fleet's regions (default: eu-west,us-east,ap-south).")
  String regions;

  @Option(
      names = "--hosts-per-region",
      paramLabel = "N",
      description = "Host clusters in each region (default: 20).")
  String hostsPerRegion;

  @Option(
      names = "--nodes-per-host",
      paramLabel = "N",
      description = "Nodes of each host cluster (default: 3).")
  String nodesPerHost;

  @Option(
      names = "--node-cpu-millis",
      paramLabel = "N",
      description = "Each node's allocatable CPU (default: 16000).")
  String nodeCpuMillis;

  @Option(
      names = "--node-memory-mib",
      paramLabel = "N",
      description = "Each node's allocatable memory (default: 65536).")
  String nodeMemoryMib;

  @Option(
      names = "--node-pods",
      paramLabel = "N",
      description = "Each node's pod slots (default: 110).")
  String nodePods;

  @Option(
      names = "--node-storage-gib",
      paramLabel = "N",
      description = "Each node's volumes for tenants' datastores, 0 for none (default: 400).")
  String nodeStorageGib;

  @Option(
      names = "--gvisor-every",
      paramLabel = "N",
      description = "Every N-th host of a region runs gVisor; 0 for none (default: 3).")
  String gvisorEvery;

  @Option(
      names = "--run-after",
      paramLabel = "DURATION",
      description = "How long a tenant provisions before it runs (default: 3s).")
  String runAfter;

  @Option(
      names = "--report-every",
      paramLabel = "DURATION",
      description = "A host report at least this often (default: 10s).")
  String reportEvery;

  @Option(
      names = "--check-every",
      paramLabel = "DURATION",
      description = "How often each host looks for a significant change (default: 1s).")
  String checkEvery;

  @Option(
      names = "--fail-tenants-matching",
      paramLabel = "REGEX",
      description = "Tenants whose id matches fail on their host, with a CrashLoopBackOff reason.")
  String failTenantsMatching;

  /** The fleet's shape: {@code base}, with what the options change. */
  FleetShape shape(FleetShape base) {
    List<String> names =
        regions == null
            ? base.regions()
            : Arrays.stream(regions.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    if (names.isEmpty()) {
      throw Subcommand.bad("--regions needs at least one region");
    }
    int hosts = Subcommand.positive("--hosts-per-region", hostsPerRegion, base.hostsPerRegion());
    int nodes = Subcommand.positive("--nodes-per-host", nodesPerHost, base.nodesPerHost());
    Resources node =
        new Resources(
                Subcommand.positive(
                    "--node-cpu-millis", nodeCpuMillis, (int) base.nodeAllocatable().cpuMillis()),
                Subcommand.positive(
                    "--node-memory-mib", nodeMemoryMib, (int) base.nodeAllocatable().memoryMiB()),
                Subcommand.positive("--node-pods", nodePods, (int) base.nodeAllocatable().pods()))
            .with(Dimension.STORAGE, storage(base));
    Resources system = base.systemPerNode();
    for (Dimension d : Dimension.values()) {
      if (system.get(d) > 0 && node.get(d) <= system.get(d)) {
        throw Subcommand.bad(
            "a node must have more than its system pods take: "
                + system.cpuMillis()
                + "m CPU, "
                + system.memoryMiB()
                + " MiB, "
                + system.pods()
                + " pods");
      }
    }
    Integer gvisor = Subcommand.integer("--gvisor-every", gvisorEvery);
    if (gvisor != null && gvisor < 0) {
      throw Subcommand.bad("--gvisor-every must be 0 (no gVisor) or more, got " + gvisor);
    }
    return new FleetShape(
        names,
        hosts,
        nodes,
        node,
        system,
        gvisor == null ? base.gvisorEvery() : gvisor,
        or(Subcommand.duration("--run-after", runAfter), base.runAfter()),
        base.goneAfter(),
        or(Subcommand.duration("--report-every", reportEvery), base.reportEvery()),
        or(Subcommand.duration("--check-every", checkEvery), base.checkEvery()),
        base.sharedEtcdHeadroom());
  }

  private long storage(FleetShape base) {
    Integer gib = Subcommand.integer("--node-storage-gib", nodeStorageGib);
    if (gib != null && gib < 0) {
      throw Subcommand.bad("--node-storage-gib must be 0 (no volumes) or more, got " + gib);
    }
    return gib == null ? base.nodeAllocatable().storageGiB() : gib;
  }

  private static Duration or(Duration given, Duration otherwise) {
    return given != null ? given : otherwise;
  }

  /** The failure rule {@code --fail-tenants-matching} gives, or {@code otherwise}. */
  Function<TenantControlPlaneSpec, String> failure(
      Function<TenantControlPlaneSpec, String> otherwise) {
    if (failTenantsMatching == null) {
      return otherwise;
    }
    try {
      return failing(Pattern.compile(failTenantsMatching));
    } catch (PatternSyntaxException e) {
      throw Subcommand.bad(
          "--fail-tenants-matching is not a regular expression: " + e.getDescription());
    }
  }

  /** Tenants whose id matches fail with {@link #SIMULATED_FAILURE}; the others run. */
  static Function<TenantControlPlaneSpec, String> failing(Pattern tenantIds) {
    return s -> tenantIds.matcher(s.getTenantId()).matches() ? SIMULATED_FAILURE : null;
  }
}
