package io.fleetplane.scheduler.bench;

import io.fleetplane.events.ClusterStreamPartitioner;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.TenantRequestCodec;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.scheduler.cell.CellConfig;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.LocalCells;
import io.fleetplane.scheduler.streams.CellCommand;
import io.fleetplane.scheduler.streams.FleetMetrics;
import io.fleetplane.scheduler.streams.FleetTopology;
import io.fleetplane.scheduler.streams.StoreNames;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.junit.jupiter.api.Test;

/**
 * 1,000,000 tenant requests with the placement benchmark's plan mix onto 2,000 reported hosts,
 * through a real broker with exactly_once_v2, timed from the first publish to the last placement;
 * in the same run, a pass-through topology (same partitions, serdes and guarantee, no placement
 * logic) as the baseline. Also: heap, state-store bytes per tenant, and the time a scheduler whose
 * local state was wiped needs to restore it.
 *
 * <p>Run: {@code ./mvnw -q install -DskipTests && ./mvnw -pl scheduler verify -Pbench} ({@code
 * -Dbench.requests=N} for a smaller run). Broker, streams and producer share this JVM and the
 * machine's cores.
 */
class SchedulerThroughputBench {

  private static final int REQUESTS = Integer.getInteger("bench.requests", 1_000_000);
  private static final int HOSTS = 2_000;
  private static final long SEED = 20261124L;

  /** The placement benchmark's plans (events' catalogue stays as it is): no datastore overhead. */
  private static final String CATALOGUE =
      """
      {"v":1,
       "plans":{
         "small":{"components":{"cp":{"cpuMillis":500,"memoryMiB":1024,"pods":3,"replicas":1,"haReplicas":1}},"operators":[],"storageGi":1},
         "medium":{"components":{"cp":{"cpuMillis":1000,"memoryMiB":2048,"pods":3,"replicas":1,"haReplicas":1}},"operators":[],"storageGi":1},
         "large":{"components":{"cp":{"cpuMillis":2000,"memoryMiB":6144,"pods":5,"replicas":1,"haReplicas":1}},"operators":[],"storageGi":1},
         "xlarge":{"components":{"cp":{"cpuMillis":2000,"memoryMiB":16384,"pods":7,"replicas":1,"haReplicas":1}},"operators":[],"storageGi":1}},
       "datastores":{
         "dedicated-etcd":{"cpuMillis":0,"memoryMiB":0,"pods":0,"replicas":1,"haReplicas":1},
         "shared-etcd":{"cpuMillis":0,"memoryMiB":0,"pods":0,"replicas":1,"haReplicas":1},
         "kine":{"cpuMillis":0,"memoryMiB":0,"pods":0,"replicas":1,"haReplicas":1}},
       "operators":{}}
      """;

  @Test
  void throughputAgainstAPassThrough() throws Exception {
    PlanCatalogue catalogue =
        PlanCatalogue.parse("bench", CATALOGUE.getBytes(StandardCharsets.UTF_8));
    Path state = Files.createTempDirectory("fleet-bench-state");
    try (KafkaBroker kafka = KafkaBrokers.start()) {
      List<NewTopic> topics = new ArrayList<>();
      for (TopicSpec t : Topics.all()) {
        topics.add(t.newTopic((short) 1));
      }
      // Each baseline run has topics of its own, partitioned as the scheduler's.
      for (String run : List.of("warm-up", "single-hop", "plumbing")) {
        topics.add(
            new NewTopic(
                "bench." + run + ".requests",
                Topics.TENANT_REQUESTS.defaultPartitions(),
                (short) 1));
        topics.add(
            new NewTopic(
                "bench." + run + ".placements", Topics.PLACEMENTS.defaultPartitions(), (short) 1));
        topics.add(
            new NewTopic(
                "bench." + run + ".tenant-events",
                Topics.TENANT_EVENTS.defaultPartitions(),
                (short) 1));
      }
      kafka.createTopics(topics);
      List<byte[]> requests = requests(catalogue);

      // Warms the JIT for the client and broker paths that every run shares; not reported.
      run(
          kafka,
          singleHop(catalogue, "bench.warm-up."),
          state.resolve("warm-up"),
          "warm-up",
          "bench.warm-up.requests",
          "bench.warm-up.placements",
          requests.subList(0, Math.min(requests.size(), 200_000)),
          null);

      // Baseline 1: decode the request, write a placement, nothing else. One hop, one write.
      double singleHop =
          run(
              kafka,
              singleHop(catalogue, "bench.single-hop."),
              state.resolve("single-hop"),
              "pass-through (single hop)",
              "bench.single-hop.requests",
              "bench.single-hop.placements",
              requests,
              null);

      // Baseline 2: the scheduler's own plumbing with no placement logic and no state: the same
      // topic layout and serdes (requests by tenant -> repartition by cell -> a placement and a
      // PLACED event per request), the same guarantee.
      double plumbing =
          run(
              kafka,
              plumbing(catalogue, "bench.plumbing."),
              state.resolve("plumbing"),
              "pass-through (same topics and hops)",
              "bench.plumbing.requests",
              "bench.plumbing.placements",
              requests,
              null);

      // The scheduler: hosts first, then the requests.
      LocalCells views = new LocalCells();
      Topology topology =
          FleetTopology.build(
              benchConfig(), catalogue, Duration.ofSeconds(5), views, FleetMetrics.none());
      publishHosts(kafka);
      double scheduler =
          run(
              kafka,
              topology,
              state.resolve("scheduler"),
              "scheduler",
              Topics.TENANT_REQUESTS.name(),
              Topics.PLACEMENTS.name(),
              requests,
              views);
      System.out.printf(
          Locale.ROOT,
          "%nscheduler / pass-through (same topics and hops): %.2f%n"
              + "scheduler / pass-through (single hop): %.2f%n",
          scheduler / plumbing,
          scheduler / singleHop);
    } finally {
      delete(state);
    }
  }

  private static CellConfig benchConfig() {
    CellConfig d = CellConfig.defaults();
    // Hosts report once here: keep them reachable for the whole run.
    return new CellConfig(
        d.policy(),
        d.overcommitPermille(),
        d.headroom(),
        d.maxTenantsPerHost(),
        Duration.ofHours(1),
        Duration.ofHours(2));
  }

  /**
   * Runs a topology over the requests; returns records per second, first publish to last output.
   */
  private double run(
      KafkaBroker kafka,
      Topology topology,
      Path stateDir,
      String name,
      String in,
      String out,
      List<byte[]> requests,
      LocalCells views)
      throws Exception {
    Properties p = kafka.clientProperties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + UUID.randomUUID());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        Integer.getInteger("bench.commit.interval.ms", 100));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("bench.stream.threads", 1));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    KafkaStreams streams = new KafkaStreams(topology, p);
    streams.start();
    awaitRunning(streams);
    if (views != null) {
      awaitHosts(views);
    }
    try (KafkaConsumer<String, byte[]> consumer = consumer(kafka, out)) {
      consumer.poll(Duration.ofMillis(100)); // join before the clock starts
      long t0 = System.nanoTime();
      publish(kafka, in, requests);
      long published = System.nanoTime();
      long seen = 0;
      long deadline = t0 + Duration.ofMinutes(15).toNanos();
      while (seen < requests.size()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(name + ": only " + seen + " outputs within 15 minutes");
        }
        seen += consumer.poll(Duration.ofMillis(200)).count();
      }
      long t1 = System.nanoTime();
      double seconds = (t1 - t0) / 1e9;
      double rate = requests.size() / seconds;
      System.out.printf(
          Locale.ROOT,
          "%n%s: %,d requests, published in %.1f s, last output after %.1f s: %,.0f per second%n",
          name,
          requests.size(),
          (published - t0) / 1e9,
          seconds,
          rate);
      if (views != null) {
        report(streams, stateDir, views, topology, p);
      } else {
        streams.close(Duration.ofSeconds(60));
      }
      return rate;
    }
  }

  /** Heap, store bytes per tenant, and a restore from the changelogs after wiping local state. */
  private void report(
      KafkaStreams streams, Path stateDir, LocalCells views, Topology topology, Properties p)
      throws Exception {
    Thread.sleep(2_000); // a view is published each second
    long placed = views.all().stream().mapToLong(CellView::tenants).sum();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long heap = rt.totalMemory() - rt.freeMemory();
    streams.close(Duration.ofSeconds(60));
    long storeBytes = size(stateDir);
    System.out.printf(
        Locale.ROOT,
        "placed %,d tenants; heap after GC %,d MiB (broker, producer and streams together); "
            + "state stores on disk %,d MiB = %.0f bytes per tenant%n",
        placed,
        heap >> 20,
        storeBytes >> 20,
        (double) storeBytes / Math.max(1, placed));
    // Each request here has an id of its own: one remembered id per tenant.
    long idStore = storeSize(stateDir, StoreNames.REQUEST_IDS);
    long idChangelog =
        changelogBytes(
            p, p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), StoreNames.REQUEST_IDS);
    System.out.printf(
        Locale.ROOT,
        "remembered request ids: store %,d bytes = %.1f bytes per id; changelog %,d bytes = %.1f"
            + " bytes per id (before compaction)%n",
        idStore,
        (double) idStore / Math.max(1, placed),
        idChangelog,
        (double) idChangelog / Math.max(1, placed));
    for (String store :
        List.of(
            StoreNames.TENANT_DIRECTORY,
            StoreNames.REQUEST_IDS,
            StoreNames.TENANTS,
            StoreNames.HOSTS,
            StoreNames.TENANT_HISTORY,
            StoreNames.HOST_DIRECTORY)) {
      System.out.printf(
          Locale.ROOT, "  store %-18s %,12d bytes%n", store, storeSize(stateDir, store));
    }

    delete(stateDir);
    KafkaStreams again = new KafkaStreams(topology, p);
    long t0 = System.nanoTime();
    again.start();
    awaitRunning(again);
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    // The topology publishes into the views it was built with.
    while (views.all().stream().mapToLong(CellView::tenants).sum() < placed
        || views.all().stream()
                .map(CellView::at)
                .min(Comparator.naturalOrder())
                .orElse(Instant.EPOCH)
                .toEpochMilli()
            < System.currentTimeMillis() - 1500) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("restore did not finish within 10 minutes");
      }
      Thread.sleep(200);
    }
    System.out.printf(
        Locale.ROOT,
        "restore from the changelogs after wiping local state: %.1f s%n",
        (System.nanoTime() - t0) / 1e9);
    again.close(Duration.ofSeconds(60));
  }

  /** A stand-in decision that costs nothing: every request "placed" on one of 1,024 hosts. */
  private static Placement fakePlacement(TenantRequest r) {
    return new Placement(
        r.tenantId(),
        "h" + (r.tenantId().hashCode() & 1023),
        1,
        r.plan(),
        r.datastore(),
        r.isolation(),
        new Resources(500, 1024, 3),
        false,
        null,
        0,
        r.requestId(),
        Instant.EPOCH);
  }

  private static Topology plumbing(PlanCatalogue catalogue, String topics) {
    TenantRequestCodec codec = Codecs.tenantRequest(catalogue);
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, TenantRequest> placedInCells =
        b.stream(topics + "requests", Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .mapValues(
                bytes ->
                    (CellCommand) new CellCommand.Tenant(codec.decode(bytes).orElseThrow(), bytes))
            .selectKey(
                (k, v) ->
                    FleetTopology.CELL_OF_REGION.apply(((CellCommand.Tenant) v).request().region()))
            .repartition(
                Repartitioned.<String, CellCommand>as(StoreNames.CELL_COMMANDS)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(CellCommand.serde()))
            .mapValues(c -> ((CellCommand.Tenant) c).request());
    placedInCells
        .map((cell, r) -> KeyValue.pair(fakePlacement(r).key(), fakePlacement(r)))
        .to(
            topics + "placements",
            Produced.with(Serdes.String(), Codecs.PLACEMENT.serde())
                .withStreamPartitioner(new ClusterStreamPartitioner<>()));
    placedInCells
        .map(
            (cell, r) ->
                KeyValue.pair(
                    r.tenantId(),
                    TenantEvent.of(
                        r.tenantId(),
                        TenantEvent.Type.PLACED,
                        TenantEvent.Source.SCHEDULER,
                        fakePlacement(r).clusterId(),
                        r.requestId(),
                        "placed",
                        Instant.EPOCH)))
        .to(topics + "tenant-events", Produced.with(Serdes.String(), Codecs.TENANT_EVENT.serde()));
    return b.build();
  }

  private static Topology singleHop(PlanCatalogue catalogue, String topics) {
    TenantRequestCodec codec = Codecs.tenantRequest(catalogue);
    StreamsBuilder b = new StreamsBuilder();
    b.stream(topics + "requests", Consumed.with(Serdes.String(), codec.decodedSerde()))
        .mapValues(d -> fakePlacement(d.orElseThrow()))
        .selectKey((k, v) -> v.key())
        .to(
            topics + "placements",
            Produced.with(Serdes.String(), Codecs.PLACEMENT.serde())
                .withStreamPartitioner(new ClusterStreamPartitioner<>()));
    return b.build();
  }

  private static List<byte[]> requests(PlanCatalogue catalogue) {
    Random r = new Random(SEED);
    TenantRequestCodec codec = Codecs.tenantRequest(catalogue);
    List<byte[]> out = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      int x = r.nextInt(100);
      String plan = x < 60 ? "small" : x < 85 ? "medium" : x < 97 ? "large" : "xlarge";
      out.add(
          codec.encode(
              TenantRequest.create(
                  String.format("t%07d", i),
                  "c" + i,
                  plan,
                  "region-" + (i % 4),
                  Datastore.of(DatastoreMode.DEDICATED_ETCD),
                  Isolation.RUNC)));
    }
    return out;
  }

  private static void publishHosts(KafkaBroker kafka) throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      for (int h = 0; h < HOSTS; h++) {
        String id = String.format("host-%04d", h);
        producer.send(
            new ProducerRecord<>(
                Topics.HOST_REPORTS.name(),
                id,
                ("{\"v\":1,\"clusterId\":\""
                        + id
                        + "\",\"region\":\"region-"
                        + (h % 4)
                        + "\",\"zones\":[\"a\",\"b\",\"c\"],"
                        + "\"allocatable\":{\"cpuMillis\":800000,\"memoryMiB\":2457600,\"pods\":5500},"
                        + "\"capabilities\":{\"gvisor\":true,\"datastoreModes\":[\"dedicated-etcd\"],\"sharedEtcdHeadroom\":0},"
                        + "\"reportedAt\":\"2026-11-24T10:00:00Z\"}")
                    .getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  private static void publish(KafkaBroker kafka, String topic, List<byte[]> requests) {
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      for (int i = 0; i < requests.size(); i++) {
        producer.send(new ProducerRecord<>(topic, String.format("t%07d", i), requests.get(i)));
      }
    }
  }

  private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(KafkaBroker kafka, String topic) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  private static void awaitRunning(KafkaStreams s) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (s.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Kafka Streams not RUNNING: " + s.state());
      }
      Thread.sleep(100);
    }
  }

  private static void awaitHosts(LocalCells views) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (views.all().stream().mapToInt(v -> v.hosts().size()).sum() < HOSTS) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the scheduler did not see all hosts");
      }
      Thread.sleep(200);
    }
  }

  /** A store's RocksDB files over every task: {@code <state>/<app>/<task>/rocksdb/<store>}. */
  private static long storeSize(Path stateDir, String store) throws IOException {
    try (Stream<Path> s = Files.walk(stateDir)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.toString().contains("/rocksdb/" + store + "/"))
          .mapToLong(f -> f.toFile().length())
          .sum();
    }
  }

  /** Bytes of a store's changelog topic on the broker. */
  private static long changelogBytes(Properties p, String app, String store) throws Exception {
    String topic = app + "-" + store + "-changelog";
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(p)) {
      long bytes = 0;
      List<Integer> brokers =
          admin.describeCluster().nodes().get(30, java.util.concurrent.TimeUnit.SECONDS).stream()
              .map(org.apache.kafka.common.Node::id)
              .toList();
      var dirs =
          admin
              .describeLogDirs(brokers)
              .allDescriptions()
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
      for (var broker : dirs.values()) {
        for (var dir : broker.values()) {
          for (var e : dir.replicaInfos().entrySet()) {
            if (e.getKey().topic().equals(topic)) {
              bytes += e.getValue().size();
            }
          }
        }
      }
      return bytes;
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
