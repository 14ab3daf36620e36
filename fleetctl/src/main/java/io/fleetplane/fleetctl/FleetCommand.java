package io.fleetplane.fleetctl;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import io.fleetplane.sim.FleetShape;
import io.fleetplane.sim.SimulatedFleet;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code fleetctl fleet}: a simulated fleet of host clusters, each with the agent's own follower
 * and reporters, against a Kafka that a scheduler uses (for load tests, and the scale run). Runs
 * until interrupted, printing a line of figures every {@code --stats-every}.
 */
final class FleetCommand {

  private FleetCommand() {}

  /** The reason a tenant that {@code --fail-tenants-matching} names fails with. */
  static final String SIMULATED_FAILURE =
      "CrashLoopBackOff: kube-apiserver exited with code 1 (simulated failure)";

  static final Map<String, Args.Kind> SHAPE_OPTIONS =
      Map.ofEntries(
          Map.entry("--regions", Args.Kind.VALUE),
          Map.entry("--hosts-per-region", Args.Kind.VALUE),
          Map.entry("--nodes-per-host", Args.Kind.VALUE),
          Map.entry("--node-cpu-millis", Args.Kind.VALUE),
          Map.entry("--node-memory-mib", Args.Kind.VALUE),
          Map.entry("--node-pods", Args.Kind.VALUE),
          Map.entry("--node-storage-gib", Args.Kind.VALUE),
          Map.entry("--gvisor-every", Args.Kind.VALUE),
          Map.entry("--run-after", Args.Kind.VALUE),
          Map.entry("--report-every", Args.Kind.VALUE),
          Map.entry("--check-every", Args.Kind.VALUE),
          Map.entry("--fail-tenants-matching", Args.Kind.VALUE));

  static int run(String bootstrap, List<String> tokens, PrintStream out, PrintStream err)
      throws InterruptedException {
    Map<String, Args.Kind> known = new HashMap<>(SHAPE_OPTIONS);
    known.put("--stats-every", Args.Kind.VALUE);
    Args a = Args.parse("fleet", tokens, known);
    a.noPositionalsAfter(0);
    FleetShape shape = shape(a, FleetShape.demo());
    Function<TenantControlPlaneSpec, String> failure = failure(a, null);
    Duration statsEvery =
        a.value("--stats-every")
            .map(v -> duration(a, "--stats-every", v))
            .orElse(Duration.ofSeconds(10));
    Properties kafka = KafkaClients.settings(bootstrap);
    String missing = missingTopics(bootstrap);
    if (missing != null) {
      err.println("fleetctl: " + missing);
      return 1;
    }
    exitWithParent();
    long started = System.nanoTime();
    SimulatedFleet fleet = new SimulatedFleet(kafka, shape, failure);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println(line(fleet, started, true));
              out.flush();
              fleet.close();
              stopped.countDown();
            },
            "fleet-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(
        Locale.ROOT,
        "fleet: %d simulated host clusters in %s against Kafka at %s; Ctrl-C stops%n",
        shape.hosts(),
        String.join(", ", shape.regions()),
        bootstrap);
    while (!stopped.await(statsEvery.toMillis(), TimeUnit.MILLISECONDS)) {
      out.println(line(fleet, started, false));
      out.flush();
    }
    return 0;
  }

  /**
   * Why the fleet cannot start on this Kafka, or null: the scheduler creates the fleet's topics
   * (partitioned and compacted as they must be), so a fleet started first would have the broker
   * create them with its defaults.
   */
  static String missingTopics(String bootstrap) throws InterruptedException {
    Properties p = KafkaClients.settings(bootstrap);
    p.put("request.timeout.ms", Long.toString(KafkaClients.ANSWER_WITHIN.toMillis()));
    p.put("default.api.timeout.ms", Long.toString(KafkaClients.ANSWER_WITHIN.toMillis()));
    try (Admin admin = Admin.create(p)) {
      Set<String> names =
          admin.listTopics().names().get(KafkaClients.ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
      for (TopicSpec t : List.of(Topics.PLACEMENTS, Topics.HOST_REPORTS, Topics.TENANT_EVENTS)) {
        if (!names.contains(t.name())) {
          return "topic "
              + t.name()
              + " does not exist at "
              + bootstrap
              + ": start the scheduler first (it creates the fleet's topics)";
        }
      }
      return null;
    } catch (ExecutionException | TimeoutException e) {
      return KafkaClients.didNotAnswer(bootstrap, e);
    }
  }

  /**
   * With {@code -Dfleet.parent-pid}, ends this process when that one ends: a benchmark that starts
   * the fleet as its child never leaves it running.
   */
  private static void exitWithParent() {
    String pid = System.getProperty("fleet.parent-pid");
    if (pid != null) {
      ProcessHandle.of(Long.parseLong(pid))
          .map(ProcessHandle::onExit)
          .ifPresentOrElse(exit -> exit.thenRun(() -> System.exit(0)), () -> System.exit(0));
    }
  }

  /** The fleet's shape: {@code base}, with what the options change. */
  static FleetShape shape(Args a, FleetShape base) {
    List<String> regions =
        a.value("--regions")
            .map(
                v ->
                    Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
            .orElse(base.regions());
    if (regions.isEmpty()) {
      throw a.bad("--regions needs at least one region");
    }
    int hosts = positive(a, "--hosts-per-region", base.hostsPerRegion());
    int nodes = positive(a, "--nodes-per-host", base.nodesPerHost());
    Resources node =
        new Resources(
            positive(a, "--node-cpu-millis", (int) base.nodeAllocatable().cpuMillis()),
            positive(a, "--node-memory-mib", (int) base.nodeAllocatable().memoryMiB()),
            positive(a, "--node-pods", (int) base.nodeAllocatable().pods()));
    Integer storage = a.integer("--node-storage-gib");
    if (storage != null && storage < 0) {
      throw a.bad("--node-storage-gib must be 0 (no volumes) or more, got " + storage);
    }
    node =
        node.with(
            Dimension.STORAGE, storage == null ? base.nodeAllocatable().storageGiB() : storage);
    if (node.cpuMillis() <= base.systemPerNode().cpuMillis()
        || node.memoryMiB() <= base.systemPerNode().memoryMiB()
        || node.pods() <= base.systemPerNode().pods()) {
      throw a.bad(
          "a node must have more than its system pods take: "
              + base.systemPerNode().cpuMillis()
              + "m CPU, "
              + base.systemPerNode().memoryMiB()
              + " MiB, "
              + base.systemPerNode().pods()
              + " pods");
    }
    Integer gvisorEvery = a.integer("--gvisor-every");
    if (gvisorEvery != null && gvisorEvery < 0) {
      throw a.bad("--gvisor-every must be 0 (no gVisor) or more, got " + gvisorEvery);
    }
    return new FleetShape(
        regions,
        hosts,
        nodes,
        node,
        base.systemPerNode(),
        gvisorEvery == null ? base.gvisorEvery() : gvisorEvery,
        a.value("--run-after").map(v -> duration(a, "--run-after", v)).orElse(base.runAfter()),
        base.goneAfter(),
        a.value("--report-every")
            .map(v -> duration(a, "--report-every", v))
            .orElse(base.reportEvery()),
        a.value("--check-every")
            .map(v -> duration(a, "--check-every", v))
            .orElse(base.checkEvery()),
        base.sharedEtcdHeadroom());
  }

  /** The failure rule {@code --fail-tenants-matching} gives, or {@code otherwise}. */
  static Function<TenantControlPlaneSpec, String> failure(
      Args a, Function<TenantControlPlaneSpec, String> otherwise) {
    String regex = a.value("--fail-tenants-matching").orElse(null);
    if (regex == null) {
      return otherwise;
    }
    try {
      return failing(Pattern.compile(regex));
    } catch (PatternSyntaxException e) {
      throw a.bad("--fail-tenants-matching is not a regular expression: " + e.getDescription());
    }
  }

  /** Tenants whose id matches fail with {@link #SIMULATED_FAILURE}; the others run. */
  static Function<TenantControlPlaneSpec, String> failing(Pattern tenantIds) {
    return s -> tenantIds.matcher(s.getTenantId()).matches() ? SIMULATED_FAILURE : null;
  }

  private static int positive(Args a, String option, int otherwise) {
    Integer v = a.integer(option);
    if (v == null) {
      return otherwise;
    }
    if (v < 1) {
      throw a.bad(option + " must be at least 1, got " + v);
    }
    return v;
  }

  private static Duration duration(Args a, String option, String v) {
    return TailOptions.duration(a, option, v);
  }

  /**
   * One line of figures, {@code key=value} so a benchmark can read it. With {@code settle} the heap
   * is measured after a full collection (what the fleet holds, not its garbage).
   */
  static String line(SimulatedFleet fleet, long startedNanos, boolean settle) {
    SimulatedFleet.Stats s = fleet.stats();
    if (settle) {
      System.gc();
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return String.format(
        Locale.ROOT,
        "fleet:%s elapsed_s=%d hosts=%d replayed=%b tenants=%d ready=%d failed=%d reports=%d"
            + " placements_records=%d placements_bytes=%d agent_bytes_max=%d agent_bytes_mean=%.0f"
            + " agent_records_max=%d undelivered=%d heap_mib=%d",
        settle ? " final" : "",
        (System.nanoTime() - startedNanos) / 1_000_000_000L,
        s.agents(),
        s.replayed(),
        s.tenantsHeld(),
        s.ready(),
        s.failed(),
        s.reportsSent(),
        s.recordsRead(),
        s.bytesRead(),
        s.agentBytesMax(),
        s.agentBytesMean(),
        s.agentRecordsMax(),
        s.undelivered(),
        heap >> 20);
  }
}
