package io.fleetplane.sim;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.follow.PlacementShare;
import io.fleetplane.agent.follow.PlacementStream;
import io.fleetplane.agent.kafka.KafkaSettings;
import io.fleetplane.agent.report.HostFacts;
import io.fleetplane.agent.report.HostReporter;
import io.fleetplane.agent.report.HostReports;
import io.fleetplane.agent.report.StatusReporter;
import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Many agents in one process, each on a {@link SimulatedHostCluster}: the agent's own follower
 * logic ({@link PlacementShare}), {@link HostReporter} and {@link StatusReporter} run unchanged;
 * what the fleet shares is plumbing. One producer sends every agent's reports and events. One
 * consumer reads {@code fleet.placements} and hands each record to every agent whose cluster id
 * hashes to the record's partition: each agent sees exactly what its own consumer of that partition
 * would (and counts it), while the records cross the network once instead of once per agent. At
 * start every agent replays its partition from the beginning, as an agent in a host cluster does.
 *
 * <p>A host can be silenced (its reports stop, as when its agent is down or cut off) and heard
 * again; its cluster can fail tenants and lose nodes ({@link #cluster}).
 */
public final class SimulatedFleet implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SimulatedFleet.class);

  /** One simulated agent. */
  private static final class Agent {
    final String clusterId;
    final SimulatedHostCluster cluster;
    final PlacementShare share;
    final HostReporter hostReporter;
    final StatusReporter statusReporter;
    volatile boolean silent;

    Agent(
        String clusterId,
        SimulatedHostCluster cluster,
        PlacementShare share,
        HostReporter hostReporter,
        StatusReporter statusReporter) {
      this.clusterId = clusterId;
      this.cluster = cluster;
      this.share = share;
      this.hostReporter = hostReporter;
      this.statusReporter = statusReporter;
    }
  }

  /**
   * The fleet now.
   *
   * @param recordsRead placement records the fleet's consumer fetched (each once)
   * @param bytesRead their key and value bytes
   * @param agentBytesMax the most bytes one agent read (its whole partition, others' included)
   * @param agentBytesMean the mean over agents
   * @param agentRecordsMax the most records one agent read
   * @param tenantsHeld tenants the simulated clusters hold
   * @param ready of them, running
   * @param failed of them, failed
   * @param reportsSent host reports sent so far
   * @param undelivered tenant events Kafka has not acknowledged yet
   */
  public record Stats(
      int agents,
      boolean replayed,
      long recordsRead,
      long bytesRead,
      long agentBytesMax,
      double agentBytesMean,
      long agentRecordsMax,
      long tenantsHeld,
      long ready,
      long failed,
      long reportsSent,
      long undelivered) {}

  private final FleetShape shape;
  private final Properties kafka;
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Map<Integer, List<Agent>> byPartition = new HashMap<>();
  private final ScheduledThreadPoolExecutor clusterTimer;
  private final ScheduledExecutorService reportTimer;
  private final ExecutorService sender;
  private final KafkaProducer<String, byte[]> producer;
  private final CountDownLatch replayed = new CountDownLatch(1);
  private final AtomicLong recordsRead = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong reportsSent = new AtomicLong();

  /**
   * Held by the reader while it hands a poll's records to the agents, and by whoever reads their
   * counts: the shares are the agent's own single-threaded code, so their figures are published to
   * other threads through this lock.
   */
  private final Object reading = new Object();

  private final PlacementStream stream;
  private long replayStarted;

  /**
   * Builds the fleet's agents and starts them: each replays its share of the placements, then
   * follows it; each reports its host every {@code shape.checkEvery()} when it changed, and every
   * {@code shape.reportEvery()} anyway.
   *
   * @param kafka Kafka client settings (at least {@code bootstrap.servers})
   * @param failure the reason a tenant fails to start on its cluster, or null for one that runs
   */
  public SimulatedFleet(
      Properties kafka, FleetShape shape, Function<TenantControlPlaneSpec, String> failure) {
    this.shape = shape;
    this.kafka = kafka;
    this.clusterTimer = new ScheduledThreadPoolExecutor(1, daemon("fleet-sim-clusters"));
    clusterTimer.setRemoveOnCancelPolicy(true);
    this.reportTimer = Executors.newSingleThreadScheduledExecutor(daemon("fleet-sim-reports"));
    this.sender = Executors.newSingleThreadExecutor(daemon("fleet-sim-status-sender"));
    this.producer =
        new KafkaProducer<>(
            KafkaSettings.reports(kafka), new StringSerializer(), new ByteArraySerializer());
    int partitions = producer.partitionsFor(Topics.PLACEMENTS.name()).size();
    Clock clock = Clock.systemUTC();
    for (String region : shape.regions()) {
      for (int i = 0; i < shape.hostsPerRegion(); i++) {
        String id = FleetShape.hostId(region, i);
        SimulatedHostCluster cluster = cluster(shape, region, i, failure, clusterTimer);
        HostFacts facts = facts(shape, region, id);
        int partition = ClusterPartitioning.partitionFor(id, partitions);
        Agent a =
            new Agent(
                id,
                cluster,
                new PlacementShare(id, partition, cluster),
                new HostReporter(cluster, facts, producer, clock, shape.reportEvery()),
                new StatusReporter(cluster, id, producer, clock, sender));
        agents.put(id, a);
        byPartition.computeIfAbsent(partition, k -> new ArrayList<>()).add(a);
      }
    }
    long every = shape.checkEvery().toMillis();
    reportTimer.scheduleWithFixedDelay(this::report, 0, every, TimeUnit.MILLISECONDS);
    this.stream =
        new PlacementStream(
                kafka,
                Topics.PLACEMENTS.name(),
                "fleet-sim-placements",
                n -> byPartition.keySet(),
                new Reader())
            .start();
    LOG.infof(
        "simulated fleet of %d host clusters in %s started: %d nodes each, %d of the hosts with"
            + " gVisor",
        agents.size(),
        shape.regions(),
        shape.nodesPerHost(),
        shape.gvisorEvery() == 0 ? 0 : shape.hosts() / shape.gvisorEvery());
  }

  /** Host {@code i} of {@code region}'s simulated cluster. */
  private static SimulatedHostCluster cluster(
      FleetShape shape,
      String region,
      int i,
      Function<TenantControlPlaneSpec, String> failure,
      ScheduledExecutorService timer) {
    String id = FleetShape.hostId(region, i);
    List<SimulatedHostCluster.Node> nodes = new ArrayList<>();
    for (int n = 0; n < shape.nodesPerHost(); n++) {
      nodes.add(
          new SimulatedHostCluster.Node(
              id + "-n" + (n + 1),
              region + "-" + (char) ('a' + n % 3),
              shape.nodeAllocatable(),
              shape.gvisor(i)));
    }
    return new SimulatedHostCluster(
        nodes, shape.systemPerNode(), shape.runAfter(), shape.goneAfter(), failure, timer);
  }

  private static HostFacts facts(FleetShape shape, String region, String id) {
    return new HostFacts(
        id,
        region,
        Map.of(),
        EnumSet.allOf(DatastoreMode.class),
        shape.sharedEtcdHeadroom(),
        "simulated");
  }

  /**
   * The first report of every host of a fleet of this shape, with no tenants yet: what the fleet
   * would publish at start, for a benchmark's baseline without agents.
   */
  public static List<HostReport> firstReports(FleetShape shape, Instant now) {
    List<HostReport> out = new ArrayList<>(shape.hosts());
    for (String region : shape.regions()) {
      for (int i = 0; i < shape.hostsPerRegion(); i++) {
        String id = FleetShape.hostId(region, i);
        out.add(
            HostReports.report(
                facts(shape, region, id), cluster(shape, region, i, null, null).capacity(), now));
      }
    }
    return out;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void report() {
    for (Agent a : agents.values()) {
      if (a.silent) {
        continue;
      }
      try {
        if (a.hostReporter.maybeReport()) {
          reportsSent.incrementAndGet();
        }
        a.statusReporter.resendUndelivered();
      } catch (RuntimeException e) {
        LOG.warnf("host report of %s failed, tried again later: %s", a.clusterId, e.toString());
      }
    }
  }

  /**
   * Hands each record to every agent of its partition. Every partition is replayed to its end (each
   * agent then makes its cluster hold its set), then followed.
   */
  private final class Reader implements PlacementStream.Reader {
    private int replaying;

    @Override
    public void replayStarts(List<TopicPartition> partitions) {
      synchronized (reading) {
        for (List<Agent> group : byPartition.values()) {
          group.forEach(a -> a.share.startReplay());
        }
      }
      replaying = partitions.size();
      replayStarted = System.nanoTime();
    }

    @Override
    public void records(ConsumerRecords<String, byte[]> batch) {
      synchronized (reading) {
        for (ConsumerRecord<String, byte[]> r : batch) {
          recordsRead.incrementAndGet();
          bytesRead.addAndGet(
              Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize()));
          for (Agent a : byPartition.get(r.partition())) {
            a.share.offer(r);
          }
        }
      }
    }

    @Override
    public void replayed(TopicPartition partition) {
      synchronized (reading) {
        for (Agent a : byPartition.get(partition.partition())) {
          a.share.finishReplay();
        }
      }
      if (--replaying == 0) {
        replayDone(replayStarted);
      }
    }
  }

  private void replayDone(long started) {
    long held = 0;
    for (Agent a : agents.values()) {
      held += a.cluster.tenantCount();
    }
    LOG.infof(
        "every agent replayed its share of the placements in %d ms: %d tenants on %d host"
            + " clusters",
        (System.nanoTime() - started) / 1_000_000, held, agents.size());
    replayed.countDown();
  }

  /** Waits until every agent has replayed its share. */
  public boolean awaitReplayed(Duration timeout) throws InterruptedException {
    return replayed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public FleetShape shape() {
    return shape;
  }

  public Set<String> hostIds() {
    return agents.keySet();
  }

  /** The host's simulated cluster: fail its tenants, lose its nodes. */
  public SimulatedHostCluster cluster(String clusterId) {
    return agent(clusterId).cluster;
  }

  /** What the host's agent has read of the placements. */
  public PlacementShare.Stats readBy(String clusterId) {
    synchronized (reading) {
      return agent(clusterId).share.stats();
    }
  }

  /**
   * The host's reports stop, as when its reporter is stuck or its reports are lost on the way; it
   * goes on following its placements and reporting its tenants' lifecycle.
   */
  public void silence(String clusterId) {
    agent(clusterId).silent = true;
  }

  /** The host's agent reports again. */
  public void hear(String clusterId) {
    agent(clusterId).silent = false;
  }

  private Agent agent(String clusterId) {
    Agent a = agents.get(clusterId);
    if (a == null) {
      throw new IllegalArgumentException("no simulated host cluster " + clusterId);
    }
    return a;
  }

  /** Which host holds each tenant, over the whole fleet; a tenant on two hosts appears twice. */
  public Map<String, List<String>> whereIs() {
    Map<String, List<String>> out = new HashMap<>();
    for (Agent a : agents.values()) {
      for (String tenant : a.cluster.tenants().keySet()) {
        out.computeIfAbsent(tenant, k -> new ArrayList<>(1)).add(a.clusterId);
      }
    }
    return out;
  }

  public Stats stats() {
    synchronized (reading) {
      return statsNow();
    }
  }

  private Stats statsNow() {
    long max = 0;
    long sum = 0;
    long recordsMax = 0;
    long held = 0;
    long ready = 0;
    long failed = 0;
    long undelivered = 0;
    for (Agent a : agents.values()) {
      PlacementShare.Stats s = a.share.stats();
      max = Math.max(max, s.bytes());
      recordsMax = Math.max(recordsMax, s.records());
      sum += s.bytes();
      held += a.cluster.tenantCount();
      ready += a.cluster.countIn(SimulatedHostCluster.READY);
      failed += a.cluster.countIn(SimulatedHostCluster.FAILED);
      undelivered += a.statusReporter.undeliveredCount();
    }
    return new Stats(
        agents.size(),
        replayed.getCount() == 0,
        recordsRead.get(),
        bytesRead.get(),
        max,
        agents.isEmpty() ? 0 : (double) sum / agents.size(),
        recordsMax,
        held,
        ready,
        failed,
        reportsSent.get(),
        undelivered);
  }

  @Override
  public void close() {
    stream.close();
    reportTimer.shutdownNow();
    clusterTimer.shutdownNow();
    for (Agent a : agents.values()) {
      a.statusReporter.close();
    }
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
