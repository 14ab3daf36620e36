package io.fleetplane.fleetctl;

import io.fleetplane.sim.FleetShape;
import io.fleetplane.sim.SimulatedFleet;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleetctl demo}: the whole system on one machine. The packaged scheduler in a JVM of its
 * own with its embedded Kafka broker (data in {@code ./data}), a simulated fleet (3 regions of 20
 * host clusters, every third with gVisor) running the agent's own follower and reporters, and a
 * gentle stream of tenant requests. Prints the dashboard's address; Ctrl-C stops it all.
 */
@Command(
    name = "demo",
    description = {
      "Start the scheduler (embedded Kafka), a simulated fleet and a gentle stream of requests;"
          + " dashboard on http://localhost:8080/. Tenants named *fail* fail on their host (tail"
          + " shows why). Ctrl-C stops it all."
    },
    sortOptions = false,
    sortSynopsis = false)
final class Demo extends Subcommand {

  private static final Path DATA = Path.of("data");

  @Mixin FleetOptions fleet = new FleetOptions();

  @Option(names = "--port", paramLabel = "N", description = "The dashboard's port (default: 8080).")
  String portOption;

  @Option(
      names = "--kafka-port",
      paramLabel = "N",
      description = "The embedded broker's port; its controller takes the next (default: 9092).")
  String kafkaPortOption;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "Requests a second of the stream, 1 to 1,000 (default: 5).")
  String rateOption;

  @Option(
      names = "--tenants",
      paramLabel = "N",
      description =
          "Live tenants the stream keeps before it churns (default: half of what the fleet's"
              + " CPUs hold in small tenants, at most 5,000).")
  String tenantsOption;

  @Option(
      names = "--fresh",
      description = "Remove ./data (the broker's log and the scheduler's state) first.")
  boolean fresh;

  @Override
  int run() throws IOException, InterruptedException {
    PrintStream out = root.out;
    PrintStream err = root.err;
    int port = port("--port", portOption, 8080);
    int kafkaPort = port("--kafka-port", kafkaPortOption, 9092);
    Integer rate = integer("--rate", rateOption);
    Integer live = integer("--tenants", tenantsOption);
    if (rate != null && (rate < 1 || rate > 1_000)) {
      throw bad("--rate must be 1 to 1,000 requests a second, got " + rate);
    }
    if (live != null && live < 0) {
      throw bad("--tenants must be 0 or more, got " + live);
    }
    FleetShape shape = fleet.shape(FleetShape.demo());
    // Tenants named *fail* fail, so that a newcomer can see a failure's reason.
    var failure = fleet.failure(FleetOptions.failing(Pattern.compile(".*fail.*")));
    Path jar = SchedulerLauncher.findJar();
    for (int p : List.of(port, kafkaPort, kafkaPort + 1)) {
      if (!free(p)) {
        err.printf(
            "fleetctl: port %d is in use (another demo or scheduler running?); stop it, or"
                + " choose --port and --kafka-port%n",
            p);
        return 1;
      }
    }
    if (fresh) {
      deleteData(out);
    }
    Path log = DATA.resolve("scheduler.log");
    out.printf("Starting the scheduler with its embedded Kafka broker (log: %s)", log);
    out.flush();
    String bootstrap = "localhost:" + kafkaPort;
    SchedulerLauncher scheduler =
        SchedulerLauncher.start(
            jar,
            port,
            log,
            List.of(
                "fleet.embedded-kafka.port=" + kafkaPort,
                "fleet.embedded-kafka.controller-port=" + (kafkaPort + 1),
                // Kafka Streams does not leave its group on close: a scheduler started again on
                // the same data waits for its previous member's session to expire (45 s by
                // default) before it decides anything. The demo's one instance need not wait.
                "kafka-streams.session.timeout.ms=6000",
                "kafka-streams.heartbeat.interval.ms=1500"));
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    List<AutoCloseable> running = new CopyOnWriteArrayList<>();
    running.add(scheduler);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  out.println("\nStopping: requests, fleet, scheduler...");
                  for (int i = running.size() - 1; i >= 0; i--) {
                    try {
                      running.get(i).close();
                    } catch (Exception e) {
                      err.println("fleetctl: stopping: " + e.getMessage());
                    }
                  }
                  out.println("Stopped. The state stays in ./data; --fresh starts over.");
                  stopped.countDown();
                },
                "demo-stop"));
    try {
      scheduler.awaitReady(
          Duration.ofMinutes(3),
          () -> {
            out.print('.');
            out.flush();
          });
    } catch (IllegalStateException e) {
      out.println();
      err.println("fleetctl: " + e.getMessage());
      return 1;
    }
    out.println(" ready.");
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", bootstrap);
    SimulatedFleet fleet = new SimulatedFleet(kafka, shape, failure);
    running.add(fleet);
    if (!fleet.awaitReplayed(Duration.ofMinutes(2))) {
      err.println("fleetctl: the simulated fleet did not replay its placements within 2 minutes");
      return 1;
    }
    // Tenants of earlier demos on the same ./data are placed again. The stream takes those an
    // earlier stream made as its own to churn; tenants someone made by hand it leaves alone, and
    // counts against its target.
    List<String> earlier = new ArrayList<>(fleet.whereIs().keySet());
    List<String> adopted = earlier.stream().filter(RequestStream::madeBy).sorted().toList();
    int target = live == null ? defaultLive(shape) : live;
    int own = Math.max(0, target - (earlier.size() - adopted.size()));
    int gvisor = shape.gvisorEvery() == 0 ? 0 : shape.hostsPerRegion() / shape.gvisorEvery();
    RequestStream stream =
        new RequestStream(kafka, shape.regions(), rate == null ? 5 : rate, own, adopted, 20261124L);
    running.add(stream);
    String cli = kafkaPort == 9092 ? "bin/fleetctl" : "bin/fleetctl --bootstrap " + bootstrap;
    out.printf(
        Locale.ROOT,
        """

        Fleetplane demo is running.
          Dashboard  http://localhost:%d/
          Kafka      %s (embedded in the scheduler; data in ./data)
          Fleet      %d simulated host clusters: %s, %d each (%d of them with gVisor), %d nodes of \
        %d CPUs per host
          Tenants    %d from earlier demos (placed again); the stream keeps %d of its own live,
                     at %d requests a second, then churns (deletes, creates, resizes)

        Try, in another terminal:
          %s create my-tenant --region %s --plan medium
          %s tail --tenant my-tenant --from-beginning --until READY,FAILED --for 60s
          %s resize my-tenant --plan large
          %s delete my-tenant
          %s create fail-me --region %s   (tenants named *fail* fail: tail shows why)
        Ctrl-C stops everything.

        """,
        port,
        bootstrap,
        shape.hosts(),
        String.join(", ", shape.regions()),
        shape.hostsPerRegion(),
        gvisor * shape.regions().size(),
        shape.nodesPerHost(),
        shape.nodeAllocatable().cpuMillis() / 1000,
        earlier.size(),
        own,
        rate == null ? 5 : rate,
        cli,
        shape.regions().get(0),
        cli,
        cli,
        cli,
        cli,
        shape.regions().get(0));
    while (!stopped.await(10, TimeUnit.SECONDS)) {
      if (stopping.get()) {
        continue; // Ctrl-C: the hook stops everything (the scheduler may be gone already)
      }
      if (!scheduler.alive()) {
        err.println("fleetctl: the scheduler stopped; its last lines:\n" + scheduler.tail(20));
        return 1;
      }
      SimulatedFleet.Stats s = fleet.stats();
      out.printf(
          Locale.ROOT,
          "demo: %d requests sent (%d creates, %d deletes, %d resizes); fleet holds %d tenants,"
              + " %d ready, %d failed; %d host reports%n",
          stream.creates() + stream.deletes() + stream.resizes(),
          stream.creates(),
          stream.deletes(),
          stream.resizes(),
          s.tenantsHeld(),
          s.ready(),
          s.failed(),
          s.reportsSent());
    }
    return 0;
  }

  /** Half of what the fleet's CPUs hold in small tenants: the dashboard shows a fleet in use. */
  private static int defaultLive(FleetShape shape) {
    long cpu = shape.usablePerHost().cpuMillis() * shape.hosts();
    return (int) Math.min(5_000, cpu / 700 / 2);
  }

  private static int port(String option, String value, int otherwise) {
    Integer v = integer(option, value);
    if (v == null) {
      return otherwise;
    }
    if (v < 1 || v > 65_534) {
      throw bad(option + " must be a port from 1 to 65534, got " + v);
    }
    return v;
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes what earlier demos left: the broker's log, the scheduler's state, its log. */
  private static void deleteData(PrintStream out) throws IOException {
    for (Path p :
        List.of(DATA.resolve("kafka"), DATA.resolve("streams"), DATA.resolve("scheduler.log"))) {
      if (Files.exists(p)) {
        out.println("--fresh: removing " + p);
        try (Stream<Path> walk = Files.walk(p)) {
          for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(q);
          }
        }
      }
    }
  }
}
