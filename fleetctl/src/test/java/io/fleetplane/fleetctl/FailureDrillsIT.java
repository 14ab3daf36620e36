package io.fleetplane.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.PlacementKey;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.sim.FleetShape;
import io.fleetplane.sim.SimulatedFleet;
import io.fleetplane.sim.SimulatedHostCluster;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure drills on the whole system at a small size: a real broker, the packaged scheduler in a
 * JVM of its own, and a simulated fleet running the agent's follower and reporters. A host that
 * stops reporting, a node lost, a tenant that fails, and a scheduler killed in the middle of a
 * stream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureDrillsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(4);
  private static final FleetShape SHAPE =
      new FleetShape(
          List.of("eu-west", "us-east"),
          3,
          2,
          Resources.allocatable(64_000, 256 * 1024, 500),
          new Resources(500, 1_024, 10),
          3,
          Duration.ofMillis(300),
          Duration.ofMillis(300),
          Duration.ofSeconds(1),
          Duration.ofMillis(250),
          500);

  @TempDir static Path work;
  private static KafkaBroker kafka;
  private static volatile SchedulerLauncher scheduler;
  private static int port;
  private static SimulatedFleet fleet;
  private static final List<TenantEvent> events = new CopyOnWriteArrayList<>();
  private static Thread reader;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaBrokers.start();
    port = freePort();
    scheduler = startScheduler("scheduler-1");
    scheduler.awaitReady(Duration.ofMinutes(2), () -> {});
    Properties p = kafka.clientProperties();
    fleet =
        new SimulatedFleet(
            p,
            SHAPE,
            s -> s.getTenantId().startsWith("doomed-") ? FleetOptions.SIMULATED_FAILURE : null);
    assertThat(fleet.awaitReplayed(Duration.ofSeconds(60))).isTrue();
    reader = readEvents();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (String h : fleet.hostIds()) {
                assertThat(hostState(h)).as(h).isEqualToIgnoringCase("ready");
              }
            });
  }

  private static SchedulerLauncher startScheduler(String name) throws Exception {
    return SchedulerLauncher.start(
        SchedulerLauncher.findJar(),
        port,
        Path.of("target", name + ".log"),
        List.of(
            "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
            "quarkus.kafka-streams.application-id=drills",
            "kafka-streams.state.dir=" + work.resolve("streams"),
            "fleet.scheduler.unreachable-after=" + UNREACHABLE_AFTER.toSeconds() + "s",
            "fleet.scheduler.lost-after=1h",
            "fleet.scheduler.tick=500ms",
            // first-fit: the lowest host id that fits, so the silent host is every tenant's
            // first choice while it is heard
            "fleet.scheduler.policy=first-fit"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (reader != null) {
      reader.interrupt();
      reader.join(5_000);
    }
    if (fleet != null) {
      fleet.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  @Order(1)
  void aHostThatStopsReportingIsMarkedUnreachableAndGetsNoNewTenants() throws Exception {
    String silent = FleetShape.hostId("eu-west", 0);
    fleet.silence(silent);
    await()
        .atMost(UNREACHABLE_AFTER.multipliedBy(4))
        .untilAsserted(() -> assertThat(hostState(silent)).isEqualToIgnoringCase("unreachable"));

    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tenants.add("quiet-" + i);
    }
    publish(tenants.stream().map(t -> create(t, "eu-west")).toList());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readyOnTheFleet(tenants)).isEqualTo(tenants.size()));
    assertThat(placedEvents(tenants))
        .hasSize(tenants.size())
        .noneMatch(e -> silent.equals(e.clusterId()));
    assertThat(fleet.cluster(silent).tenants()).isEmpty();

    // Heard again, it takes tenants again: it is first-fit's first choice.
    fleet.hear(silent);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(hostState(silent)).isEqualToIgnoringCase("ready"));
    List<String> later = List.of("heard-1", "heard-2", "heard-3");
    publish(later.stream().map(t -> create(t, "eu-west")).toList());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readyOnTheFleet(later)).isEqualTo(later.size()));
    assertThat(placedEvents(later)).extracting(TenantEvent::clusterId).containsOnly(silent);
  }

  @Test
  @Order(2)
  void aLostNodeShrinksTheHostInTheSchedulersView() throws Exception {
    String host = FleetShape.hostId("us-east", 1);
    fleet.cluster(host).loseNode(host + "-n2");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(hostJson(host).path("allocatable").path("cpuMillis").asLong())
                    .isEqualTo(64_000));
    fleet.cluster(host).restoreNode(host + "-n2");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(hostJson(host).path("allocatable").path("cpuMillis").asLong())
                    .isEqualTo(128_000));
  }

  @Test
  @Order(3)
  void aFailedTenantIsReportedWithItsReason() throws Exception {
    publish(List.of(create("doomed-1", "us-east")));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(events)
                    .anyMatch(
                        e ->
                            e.tenantId().equals("doomed-1")
                                && e.type() == TenantEvent.Type.FAILED
                                && e.source() == TenantEvent.Source.AGENT
                                && FleetOptions.SIMULATED_FAILURE.equals(e.reason())));
    // The scheduler's view of the tenant carries it too.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(get("/api/tenants/doomed-1")).contains(FleetOptions.SIMULATED_FAILURE));
  }

  @Test
  @Order(4)
  void aSchedulerKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
    List<String> tenants = new ArrayList<>();
    List<ProducerRecord<String, byte[]>> stream = new ArrayList<>();
    Set<String> deleted = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String t = "drill-" + i;
      tenants.add(t);
      stream.add(record(create(t, i % 2 == 0 ? "eu-west" : "us-east")));
      if (i % 5 == 4) {
        String gone = "drill-" + (i - 2);
        deleted.add(gone);
        stream.add(record(TenantRequest.delete(gone, UUID.randomUUID().toString())));
      }
    }
    AtomicInteger placedAtKill = new AtomicInteger();
    // The stream takes about 3 s; the scheduler is killed (SIGKILL) as soon as it has placed a
    // first tenant of it, while it is deciding and the stream still goes on.
    Thread killer =
        new Thread(
            () -> {
              try {
                await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !placedEvents(tenants).isEmpty());
                // A first commit was just read; half a commit interval later the next
                // transaction has decisions in it.
                Thread.sleep(60);
                placedAtKill.set(placedEvents(tenants).size());
                scheduler.kill();
                scheduler = startScheduler("scheduler-2");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "killer");
    killer.start();
    Properties p = producerProperties();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < stream.size(); i++) {
        producer.send(stream.get(i));
        if (i % 10 == 9) {
          producer.flush();
          Thread.sleep(25);
        }
      }
    }
    killer.join(60_000);
    assertThat(killer.isAlive()).isFalse();
    scheduler.awaitReady(Duration.ofMinutes(2), () -> {});
    List<String> live = tenants.stream().filter(t -> !deleted.contains(t)).toList();
    await()
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(
            () -> {
              assertThat(readyOnTheFleet(live)).isEqualTo(live.size());
              Map<String, List<String>> where = fleet.whereIs();
              assertThat(deleted).noneMatch(where::containsKey);
            });
    // Nothing lost, nothing twice: each live tenant on exactly one host, placed exactly once.
    Map<String, List<String>> where = fleet.whereIs();
    for (String t : live) {
      assertThat(where.get(t)).as(t).hasSize(1);
    }
    Map<String, Long> placed = new HashMap<>();
    for (TenantEvent e : placedEvents(tenants)) {
      placed.merge(e.tenantId(), 1L, Long::sum);
    }
    assertThat(placed.keySet()).containsAll(live);
    assertThat(placed.values()).allMatch(n -> n == 1L);
    // The compacted placements hold exactly the live tenants, each once.
    Map<String, String> placements = livePlacements();
    for (String t : live) {
      assertThat(placements).as(t).containsKey(t);
      assertThat(placements.get(t)).isEqualTo(where.get(t).get(0));
    }
    assertThat(deleted).noneMatch(placements::containsKey);
    // Killed mid-stream: some placed, most not (Kafka Streams' producer holds a transaction's
    // records until its commit, so what the kill cut short never reached the log at all).
    assertThat(placedAtKill.get()).isBetween(1, tenants.size() - 1);
  }

  private static TenantRequest create(String tenant, String region) {
    return TenantRequest.create(
        tenant,
        UUID.randomUUID().toString(),
        "small",
        region,
        Datastore.of(DatastoreMode.SHARED_ETCD),
        Isolation.RUNC);
  }

  private static ProducerRecord<String, byte[]> record(TenantRequest r) {
    return new ProducerRecord<>(
        Topics.TENANT_REQUESTS.name(), r.tenantId(), Codecs.tenantRequest().encode(r));
  }

  private static Properties producerProperties() {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return p;
  }

  private static void publish(List<TenantRequest> requests) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
      for (TenantRequest r : requests) {
        producer.send(record(r)).get();
      }
    }
  }

  /** How many of {@code tenants} a simulated cluster runs. */
  private static int readyOnTheFleet(List<String> tenants) {
    Map<String, List<String>> where = fleet.whereIs();
    int n = 0;
    for (String t : tenants) {
      List<String> hosts = where.get(t);
      if (hosts != null
          && hosts.size() == 1
          && SimulatedHostCluster.READY.equals(fleet.cluster(hosts.get(0)).phaseOf(t))) {
        n++;
      }
    }
    return n;
  }

  private static List<TenantEvent> placedEvents(List<String> tenants) {
    Set<String> of = new HashSet<>(tenants);
    return events.stream()
        .filter(e -> e.type() == TenantEvent.Type.PLACED && of.contains(e.tenantId()))
        .toList();
  }

  /** The latest value of every placement key, read from the beginning: tenant to host. */
  private static Map<String, String> livePlacements() {
    Map<String, String> out = new HashMap<>();
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      List<TopicPartition> tps = partitions(c, Topics.PLACEMENTS.name());
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          String tenant = PlacementKey.tenantIdOf(r.key());
          String host = PlacementKey.clusterIdOf(r.key());
          if (r.value() == null) {
            out.remove(tenant, host);
          } else {
            assertThat(out.put(tenant, host)).as("%s placed on two hosts", tenant).isIn(null, host);
          }
        }
      }
    }
    return out;
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    Properties p = kafka.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
    return c.partitionsFor(topic).stream()
        .map(i -> new TopicPartition(topic, i.partition()))
        .toList();
  }

  private static Thread readEvents() {
    Thread t =
        new Thread(
            () -> {
              try (KafkaConsumer<String, byte[]> c = consumer()) {
                List<TopicPartition> tps = partitions(c, Topics.TENANT_EVENTS.name());
                c.assign(tps);
                c.seekToBeginning(tps);
                while (!Thread.currentThread().isInterrupted()) {
                  for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    events.add(Codecs.TENANT_EVENT.decode(r.value()).orElseThrow());
                  }
                }
              } catch (org.apache.kafka.common.errors.InterruptException e) {
                // done
              }
            },
            "drill-events");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String hostState(String host) throws Exception {
    JsonNode n = hostJson(host);
    return n.path("state").asText("(no state: " + n + ")");
  }

  private static JsonNode hostJson(String host) throws Exception {
    return JSON.readTree(get("/api/hosts/" + host));
  }

  private static String get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
