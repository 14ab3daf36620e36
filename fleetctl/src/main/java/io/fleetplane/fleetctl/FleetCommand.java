package io.fleetplane.fleetctl;

import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import io.fleetplane.sim.FleetShape;
import io.fleetplane.sim.SimulatedFleet;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleetctl fleet}: a simulated fleet of host clusters, each with the agent's own follower
 * and reporters, against a Kafka that a scheduler uses (for load tests, and the scale run). Runs
 * until interrupted, printing a line of figures every {@code --stats-every}.
 */
@Command(
    name = "fleet",
    description = {
      "Run simulated host clusters, each with the agent's own follower and reporters, against the"
          + " Kafka at --bootstrap; prints its figures every --stats-every. Ctrl-C stops it."
    },
    sortOptions = false,
    sortSynopsis = false)
final class FleetCommand extends Subcommand {

  @Mixin FleetOptions fleet = new FleetOptions();

  @Option(
      names = "--stats-every",
      paramLabel = "DURATION",
      description = "How often a line of figures is printed (default: 10s).")
  String statsEvery;

  @Override
  int run() throws InterruptedException {
    FleetShape shape = fleet.shape(FleetShape.demo());
    var failure = fleet.failure(null);
    Duration every = duration("--stats-every", statsEvery);
    Duration statsPeriod = every != null ? every : Duration.ofSeconds(10);
    String bootstrap = root.bootstrap();
    Properties kafka = KafkaClients.settings(bootstrap);
    String missing = missingTopics(bootstrap);
    if (missing != null) {
      root.err.println("fleetctl: " + missing);
      return 1;
    }
    exitWithParent();
    long started = System.nanoTime();
    SimulatedFleet simulated = new SimulatedFleet(kafka, shape, failure);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              root.out.println(line(simulated, started, true));
              root.out.flush();
              simulated.close();
              stopped.countDown();
            },
            "fleet-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    root.out.printf(
        Locale.ROOT,
        "fleet: %d simulated host clusters in %s against Kafka at %s; Ctrl-C stops%n",
        shape.hosts(),
        String.join(", ", shape.regions()),
        bootstrap);
    while (!stopped.await(statsPeriod.toMillis(), TimeUnit.MILLISECONDS)) {
      root.out.println(line(simulated, started, false));
      root.out.flush();
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
