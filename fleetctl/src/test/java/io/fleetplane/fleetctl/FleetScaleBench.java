package io.fleetplane.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.sim.FleetShape;
import io.fleetplane.sim.SimulatedFleet;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The fleet-scale run, end to end: 10,000 simulated host clusters and 1,000,000 tenant requests
 * through a real broker, the packaged scheduler and the simulated agents (the agent's own follower
 * and reporters), until every tenant is reported Ready by its agent. Three JVMs: this one (the
 * broker, the publisher, the reader of tenant events), the scheduler's and the fleet's ({@code
 * fleetctl fleet}). Reports the time, placements per second, hosts used against a lower bound, both
 * heaps, and the bytes each agent read.
 *
 * <p>Run: {@code ./mvnw -q install -DskipTests && ./mvnw -pl fleetctl verify -Pbench} ({@code
 * -Dbench.tenants=N -Dbench.hosts-per-region=M} for a smaller run).
 */
class FleetScaleBench {

  private static final int TENANTS = Integer.getInteger("bench.tenants", 1_000_000);
  private static final int HOSTS_PER_REGION = Integer.getInteger("bench.hosts-per-region", 2_000);
  private static final List<String> REGIONS = List.of("r1", "r2", "r3", "r4", "r5");
  private static final long SEED = 20261124L;
  private static final Duration LIMIT = Duration.ofMinutes(40);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Hosts of 4 nodes of 32 CPUs, 128 GiB and 250 pods; every tenth host has gVisor. */
  private static final FleetShape SHAPE =
      new FleetShape(
          REGIONS,
          HOSTS_PER_REGION,
          4,
          Resources.allocatable(32_000, 128 * 1024, 250),
          new Resources(500, 1_024, 10),
          10,
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          500);

  @Test
  void tenThousandHostsAMillionTenantsUntilEveryOneIsReady() throws Exception {
    Path work = Files.createTempDirectory("fleet-scale");
    Path logs = Path.of("target");
    PlanCatalogue catalogue = PlanCatalogue.defaults();
    List<TenantRequest> requests = requests();
    Baseline alone = schedulerAlone(requests, work.resolve("alone"), logs);
    try (KafkaBroker kafka = KafkaBrokers.start()) {
      int port = 18080;
      SchedulerLauncher scheduler =
          startScheduler(kafka, port, work.resolve("fleet"), logs.resolve("scale-scheduler.log"));
      Process fleet = null;
      try {
        scheduler.awaitReady(Duration.ofMinutes(3), () -> {});
        fleet = startFleet(kafka, logs.resolve("scale-fleet.log"));
        long fleetStarted = System.nanoTime();
        awaitHosts(port, SHAPE.hosts(), fleet);
        System.out.printf(
            Locale.ROOT,
            "%d simulated host clusters started and reported in %.1f s%n",
            SHAPE.hosts(),
            (System.nanoTime() - fleetStarted) / 1e9);

        Counter counter = new Counter(kafka);
        counter.start();
        long t0 = System.nanoTime();
        publish(kafka, requests);
        long published = System.nanoTime();
        System.out.printf(
            Locale.ROOT, "%,d requests published in %.1f s%n", TENANTS, (published - t0) / 1e9);
        long deadline = t0 + LIMIT.toNanos();
        long lastPrint = 0;
        while (counter.ready() < TENANTS && System.nanoTime() < deadline) {
          if (!scheduler.alive() || !fleet.isAlive()) {
            throw new IllegalStateException(
                "the scheduler or the fleet stopped: see target/scale-*.log");
          }
          Thread.sleep(500);
          if (System.nanoTime() - lastPrint > 10_000_000_000L) {
            lastPrint = System.nanoTime();
            System.out.printf(
                Locale.ROOT,
                "  %5.0f s: placed %,d, provisioning %,d, ready %,d, failed %,d, pending %,d,"
                    + " rejected %,d%n",
                (lastPrint - t0) / 1e9,
                counter.placed(),
                counter.provisioning(),
                counter.ready(),
                counter.failed(),
                counter.pending(),
                counter.rejected());
          }
        }
        counter.stop();
        double placedSeconds = (counter.lastPlacedAt() - t0) / 1e9;
        double readySeconds = (counter.lastReadyAt() - t0) / 1e9;
        Map<String, String> fleetLine = lastStats(logs.resolve("scale-fleet.log"));
        long schedulerHeap = heapAfterGc(scheduler.pid());
        long fleetHeap = heapAfterGc(fleet.pid());
        int lowerBound = lowerBound(catalogue, requests);
        long partitionBytes = Long.parseLong(fleetLine.get("placements_bytes"));
        long agentMax = Long.parseLong(fleetLine.get("agent_bytes_max"));
        double agentMean = Double.parseDouble(fleetLine.get("agent_bytes_mean"));
        String report =
            String.format(
                Locale.ROOT,
                """
                fleet-scale run: %,d simulated host clusters (%d regions x %,d; 4 nodes of 32 CPUs,
                128 GiB, 250 pods each; every tenth with gVisor), %,d tenant requests
                  all placed after          %.1f s  (%,.0f placements/s, from the first publish)
                  all Ready after           %.1f s  (reported by their agents on fleet.tenant-events)
                  failed / rejected         %,d / %,d
                  hosts used                %,d  (lower bound %,d: %.3f x)
                  scheduler heap after GC   %,d MiB
                  fleet heap after GC       %,d MiB  (%,d agents: %.1f KiB each, tenants included)
                  fleet.placements          %,d records, %.1f MiB
                  bytes each agent read     max %.1f KiB, mean %.1f KiB (%.2f%% of the topic; max %,d records)
                baseline in the same run: the scheduler alone, the same hosts reported once by the
                benchmark and no agents (no fleet process, no agent events)
                  all placed after          %.1f s  (%,.0f placements/s), hosts used %,d
                  with the fleet / alone    %.2f x placements/s
                """,
                SHAPE.hosts(),
                REGIONS.size(),
                HOSTS_PER_REGION,
                TENANTS,
                placedSeconds,
                TENANTS / placedSeconds,
                readySeconds,
                counter.failed(),
                counter.rejected(),
                counter.hostsUsed(),
                lowerBound,
                (double) counter.hostsUsed() / lowerBound,
                schedulerHeap >> 20,
                fleetHeap >> 20,
                SHAPE.hosts(),
                fleetHeap / 1024.0 / SHAPE.hosts(),
                Long.parseLong(fleetLine.get("placements_records")),
                partitionBytes / 1048576.0,
                agentMax / 1024.0,
                agentMean / 1024.0,
                100.0 * agentMax / partitionBytes,
                Long.parseLong(fleetLine.get("agent_records_max")),
                alone.placedSeconds(),
                TENANTS / alone.placedSeconds(),
                alone.hostsUsed(),
                alone.placedSeconds() / placedSeconds);
        System.out.println(report);
        Files.writeString(logs.resolve("fleet-scale.txt"), report);
        assertThat(counter.ready()).as("tenants Ready").isEqualTo(TENANTS);
      } finally {
        if (fleet != null) {
          fleet.destroy();
          fleet.waitFor();
        }
        scheduler.close();
      }
    }
  }

  /** The baseline: how long the scheduler alone takes to place the same requests. */
  private record Baseline(double placedSeconds, int hostsUsed) {}

  /**
   * The same requests onto the same hosts with no fleet: a broker and a scheduler of their own, the
   * hosts' first reports (what the fleet sends at start) published once by the benchmark, and no
   * agent events afterwards.
   */
  private static Baseline schedulerAlone(List<TenantRequest> requests, Path state, Path logs)
      throws Exception {
    try (KafkaBroker kafka = KafkaBrokers.start()) {
      int port = 18081;
      try (SchedulerLauncher scheduler =
          startScheduler(kafka, port, state, logs.resolve("scale-alone-scheduler.log"))) {
        scheduler.awaitReady(Duration.ofMinutes(3), () -> {});
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
          int partitions = producer.partitionsFor(Topics.HOST_REPORTS.name()).size();
          for (HostReport r : SimulatedFleet.firstReports(SHAPE, Instant.now())) {
            producer.send(
                new ProducerRecord<>(
                    Topics.HOST_REPORTS.name(),
                    ClusterPartitioning.partitionFor(r.clusterId(), partitions),
                    r.clusterId(),
                    Codecs.HOST_REPORT.encode(r)));
          }
        }
        awaitHosts(port, SHAPE.hosts(), null);
        Counter counter = new Counter(kafka);
        counter.start();
        long t0 = System.nanoTime();
        publish(kafka, requests);
        long deadline = t0 + LIMIT.toNanos();
        while (counter.placed() < TENANTS && System.nanoTime() < deadline) {
          if (!scheduler.alive()) {
            throw new IllegalStateException("the scheduler stopped: see target/scale-alone-*.log");
          }
          Thread.sleep(200);
        }
        counter.stop();
        assertThat(counter.placed()).as("tenants placed by the scheduler alone").isEqualTo(TENANTS);
        double seconds = (counter.lastPlacedAt() - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "baseline, the scheduler alone: %,d placed in %.1f s (%,.0f/s) on %,d hosts%n",
            TENANTS,
            seconds,
            TENANTS / seconds,
            counter.hostsUsed());
        return new Baseline(seconds, counter.hostsUsed());
      }
    }
  }

  private static SchedulerLauncher startScheduler(KafkaBroker kafka, int port, Path state, Path log)
      throws IOException {
    return SchedulerLauncher.start(
        SchedulerLauncher.findJar(),
        port,
        log,
        List.of("-Xms4g", "-Xmx4g"),
        List.of(
            "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
            "quarkus.kafka-streams.application-id=fleet-scale",
            "kafka-streams.state.dir=" + state,
            "fleet.scheduler.unreachable-after=5m",
            "fleet.scheduler.lost-after=1h"));
  }

  private static List<TenantRequest> requests() {
    Random r = new Random(SEED);
    List<TenantRequest> out = new ArrayList<>(TENANTS);
    for (int i = 0; i < TENANTS; i++) {
      out.add(TenantMix.SCALE.create(r, String.format("t%07d", i), "c" + i, REGIONS));
    }
    return out;
  }

  /**
   * A bound no packing can beat, per region: the region's demand over one host's usable capacity,
   * in the tightest resource; and its gVisor tenants' demand over the same, as they fit on gVisor
   * hosts only. Summed over regions.
   */
  private static int lowerBound(PlanCatalogue catalogue, List<TenantRequest> requests) {
    Resources usable = SHAPE.usablePerHost();
    Map<String, long[]> all = new HashMap<>();
    Map<String, long[]> gvisor = new HashMap<>();
    for (TenantRequest t : requests) {
      Resources d = catalogue.demand(t.plan(), t.datastore().mode(), t.highAvailability());
      add(all.computeIfAbsent(t.region(), k -> new long[3]), d);
      if (t.isolation() == Isolation.GVISOR) {
        add(gvisor.computeIfAbsent(t.region(), k -> new long[3]), d);
      }
    }
    int bound = 0;
    for (String region : all.keySet()) {
      bound +=
          Math.max(
              hosts(all.get(region), usable),
              hosts(gvisor.getOrDefault(region, new long[3]), usable));
    }
    return bound;
  }

  private static void add(long[] sum, Resources d) {
    sum[0] += d.cpuMillis();
    sum[1] += d.memoryMiB();
    sum[2] += d.pods();
  }

  private static int hosts(long[] demand, Resources usable) {
    long cpu = ceil(demand[0], usable.cpuMillis());
    long memory = ceil(demand[1], usable.memoryMiB());
    long pods = ceil(demand[2], usable.pods());
    return (int) Math.max(cpu, Math.max(memory, pods));
  }

  private static long ceil(long a, long b) {
    return (a + b - 1) / b;
  }

  private static Process startFleet(KafkaBroker kafka, Path log) throws IOException {
    Path jar = Path.of("target", "fleetctl.jar");
    assertThat(jar).as("the packaged fleetctl (built by the package phase)").exists();
    List<String> cmd =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xms6g",
            "-Xmx6g",
            "-Dfleet.parent-pid=" + ProcessHandle.current().pid(),
            "-jar",
            jar.toString(),
            "--bootstrap",
            kafka.bootstrapServers(),
            "fleet",
            "--regions",
            String.join(",", REGIONS),
            "--hosts-per-region",
            Integer.toString(HOSTS_PER_REGION),
            "--nodes-per-host",
            "4",
            "--node-cpu-millis",
            "32000",
            "--node-memory-mib",
            Integer.toString(128 * 1024),
            "--node-pods",
            "250",
            "--gvisor-every",
            "10",
            "--run-after",
            "5s",
            "--report-every",
            "30s",
            "--check-every",
            "5s",
            "--stats-every",
            "5s");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void awaitHosts(int port, int hosts, Process fleet) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    int ready = 0;
    while (System.nanoTime() < deadline) {
      if (fleet != null && !fleet.isAlive()) {
        throw new IllegalStateException("the fleet exited: see target/scale-fleet.log");
      }
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/fleet"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      JsonNode totals = JSON.readTree(body).path("totals");
      ready = totals.path("readyHosts").asInt();
      if (ready >= hosts) {
        return;
      }
      Thread.sleep(1_000);
    }
    throw new IllegalStateException("only " + ready + " of " + hosts + " hosts ready");
  }

  private static void publish(KafkaBroker kafka, List<TenantRequest> requests) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (TenantRequest r : requests) {
        producer.send(
            new ProducerRecord<>(
                Topics.TENANT_REQUESTS.name(), r.tenantId(), Codecs.tenantRequest().encode(r)));
      }
    }
  }

  private static final Pattern KV = Pattern.compile("(\\w+)=(\\S+)");

  /** The figures of the fleet's last stats line. */
  private static Map<String, String> lastStats(Path log) throws IOException {
    String last = null;
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("fleet: ") || line.startsWith("fleet:final")) {
        last = line;
      }
    }
    Map<String, String> out = new HashMap<>();
    if (last != null) {
      Matcher m = KV.matcher(last);
      while (m.find()) {
        out.put(m.group(1), m.group(2));
      }
    }
    assertThat(out).as("the fleet's figures in %s", log).containsKey("agent_bytes_max");
    return out;
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** The JVM's heap in use after a full collection, by jcmd. */
  private static long heapAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in jcmd's answer: " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Path jcmd = java.resolveSibling("jcmd");
    Process p =
        new ProcessBuilder(
                Files.exists(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  /** Counts tenant events as they come: distinct tenants per type, hosts used, last times. */
  private static final class Counter {
    private final KafkaBroker kafka;
    private final BitSet placed = new BitSet();
    private final BitSet provisioning = new BitSet();
    private final BitSet ready = new BitSet();
    private final BitSet failed = new BitSet();
    private final BitSet pending = new BitSet();
    private final BitSet rejected = new BitSet();
    private final Set<String> hosts = new HashSet<>();
    private volatile long lastPlacedAt;
    private volatile long lastReadyAt;
    private volatile boolean running = true;
    private Thread thread;

    Counter(KafkaBroker kafka) {
      this.kafka = kafka;
    }

    void start() {
      thread = new Thread(this::run, "scale-counter");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }

    private void run() {
      Properties p = kafka.clientProperties();
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> tps = new ArrayList<>();
        for (var i : c.partitionsFor(Topics.TENANT_EVENTS.name())) {
          tps.add(new TopicPartition(i.topic(), i.partition()));
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        while (running) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
            if (!(Codecs.TENANT_EVENT.decode(r.value()) instanceof Decoded.Ok<TenantEvent> ok)) {
              continue;
            }
            TenantEvent e = ok.value();
            if (e.tenantId().length() != 8 || e.tenantId().charAt(0) != 't') {
              continue;
            }
            int i = Integer.parseInt(e.tenantId(), 1, 8, 10);
            synchronized (this) {
              switch (e.type()) {
                case PLACED -> {
                  placed.set(i);
                  hosts.add(e.clusterId());
                  lastPlacedAt = System.nanoTime();
                }
                case PROVISIONING -> provisioning.set(i);
                case READY -> {
                  ready.set(i);
                  lastReadyAt = System.nanoTime();
                }
                case FAILED -> failed.set(i);
                case PENDING -> pending.set(i);
                case REJECTED -> rejected.set(i);
                default -> {}
              }
            }
          }
        }
      }
    }

    synchronized int placed() {
      return placed.cardinality();
    }

    synchronized int provisioning() {
      return provisioning.cardinality();
    }

    synchronized int ready() {
      return ready.cardinality();
    }

    synchronized int failed() {
      return failed.cardinality();
    }

    synchronized int pending() {
      return pending.cardinality();
    }

    synchronized int rejected() {
      return rejected.cardinality();
    }

    synchronized int hostsUsed() {
      return hosts.size();
    }

    long lastPlacedAt() {
      return lastPlacedAt;
    }

    long lastReadyAt() {
      return lastReadyAt;
    }
  }
}
