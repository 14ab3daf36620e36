package io.fleetplane.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.PlacementKey;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.junit.jupiter.api.Test;

/**
 * The agent's follower and reporters on simulated host clusters, against a real broker and without
 * a scheduler: placements published by hand, host reports and tenant events read back.
 */
class SimulatedFleetIT {

  private static KafkaBroker kafka;
  private static final FleetShape SHAPE =
      new FleetShape(
          List.of("eu-west"),
          4,
          2,
          new Resources(8_000, 32_768, 110).with(Dimension.STORAGE, 400),
          new Resources(500, 1_024, 10),
          2,
          Duration.ofMillis(200),
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          Duration.ofMillis(200),
          100);

  @BeforeAll
  static void broker() throws Exception {
    // A broker of its own: the fleet's fixed topic names would mix with other tests' records.
    kafka = KafkaBrokers.start();
    try (Admin admin = kafka.admin()) {
      List<NewTopic> topics = new ArrayList<>();
      for (TopicSpec t : Topics.all()) {
        topics.add(new NewTopic(t.name(), t.defaultPartitions(), (short) 1).configs(t.configs()));
      }
      admin.createTopics(topics).all().get();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
  }

  private static Placement placement(String cluster, String tenant, long generation) {
    return new Placement(
        tenant,
        cluster,
        generation,
        "small",
        io.fleetplane.events.Datastore.of(DatastoreMode.SHARED_ETCD),
        Isolation.RUNC,
        new Resources(1500, 3072, 6),
        false,
        null,
        100,
        "r-" + tenant + "-" + generation,
        java.time.Instant.parse("2026-11-24T10:00:00Z"));
  }

  private static List<ProducerRecord<String, byte[]>> published = new CopyOnWriteArrayList<>();

  private static void publish(String cluster, String tenant, Placement p) throws Exception {
    Properties props = kafka.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> r =
          new ProducerRecord<>(
              Topics.PLACEMENTS.name(),
              ClusterPartitioning.partitionFor(cluster, Topics.PLACEMENTS.defaultPartitions()),
              PlacementKey.of(cluster, tenant),
              p == null ? null : Codecs.PLACEMENT.encode(p));
      producer.send(r).get();
      published.add(r);
    }
  }

  @Test
  void agentsReplayFollowReportAndReadOnlyTheirPartition() throws Exception {
    String h1 = FleetShape.hostId("eu-west", 0);
    String h2 = FleetShape.hostId("eu-west", 1);
    String h3 = FleetShape.hostId("eu-west", 2);
    publish(h1, "alpha", placement(h1, "alpha", 1));
    publish(h1, "beta", placement(h1, "beta", 1));
    publish(h1, "beta", null); // released before the fleet starts: never materialised
    publish(h2, "gamma", placement(h2, "gamma", 1));
    publish("elsewhere-h9", "delta", placement("elsewhere-h9", "delta", 1));

    Map<String, List<HostReport>> reports = new ConcurrentHashMap<>();
    List<TenantEvent> events = new CopyOnWriteArrayList<>();
    Thread reader = readBack(reports, events);
    Properties props = kafka.clientProperties();
    try (SimulatedFleet fleet =
        new SimulatedFleet(
            props, SHAPE, s -> s.getTenantId().startsWith("doomed") ? "ImagePullBackOff" : null)) {
      assertThat(fleet.awaitReplayed(Duration.ofSeconds(30))).isTrue();
      assertThat(fleet.cluster(h1).tenants()).containsOnlyKeys("alpha");
      assertThat(fleet.cluster(h2).tenants()).containsOnlyKeys("gamma");
      assertThat(fleet.cluster(h3).tenants()).isEmpty();

      // Followed after the replay: a placement that runs and one that fails with its reason.
      publish(h3, "epsilon", placement(h3, "epsilon", 1));
      publish(h3, "doomed-1", placement(h3, "doomed-1", 1));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(events)
                      .extracting(e -> e.tenantId() + " " + e.type() + " " + e.clusterId())
                      .contains(
                          "alpha READY " + h1,
                          "gamma READY " + h2,
                          "epsilon READY " + h3,
                          "doomed-1 FAILED " + h3));
      assertThat(events)
          .filteredOn(e -> e.tenantId().equals("doomed-1") && e.type() == TenantEvent.Type.FAILED)
          .allSatisfy(
              e -> {
                assertThat(e.reason()).isEqualTo("ImagePullBackOff");
                assertThat(e.source()).isEqualTo(TenantEvent.Source.AGENT);
              });
      assertThat(events).noneMatch(e -> e.tenantId().equals("beta"));
      assertThat(events).noneMatch(e -> e.tenantId().equals("delta"));

      // Every host reports its capacity: two nodes of 8,000m less 500m of system pods each.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(reports).containsKeys(fleet.hostIds().toArray(String[]::new));
                HostReport last = reports.get(h3).get(reports.get(h3).size() - 1);
                assertThat(last.allocatable())
                    .isEqualTo(new Resources(16_000, 65_536, 220).with(Dimension.STORAGE, 800));
                assertThat(last.unmanagedUsed()).isEqualTo(new Resources(1_000, 2_048, 20));
                assertThat(last.tenantsRunning()).isEqualTo(1);
              });
      // every second host of the region runs gVisor
      assertThat(last(reports, h2).capabilities().gvisor()).isTrue();
      assertThat(last(reports, h1).capabilities().gvisor()).isFalse();

      // A release: the tenant is deleted and reported gone.
      publish(h1, "alpha", null);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(events)
                      .anyMatch(
                          e ->
                              e.tenantId().equals("alpha")
                                  && e.type() == TenantEvent.Type.DELETED));
      assertThat(fleet.cluster(h1).tenants()).isEmpty();

      // Each agent read its own partition, all of it, and nothing else.
      for (String h : List.of(h1, h2, h3)) {
        int partition = ClusterPartitioning.partitionFor(h, Topics.PLACEMENTS.defaultPartitions());
        List<ProducerRecord<String, byte[]>> mine =
            published.stream().filter(r -> r.partition() == partition).toList();
        long bytes =
            mine.stream()
                .mapToLong(r -> r.key().length() + (r.value() == null ? 0 : r.value().length))
                .sum();
        assertThat(fleet.readBy(h).records()).as(h).isEqualTo(mine.size());
        assertThat(fleet.readBy(h).bytes()).as(h).isEqualTo(bytes);
      }

      // A silenced host sends no more reports; the others go on.
      String h4 = FleetShape.hostId("eu-west", 3);
      // A host that never held a tenant reports what firstReports says (benchmark baselines).
      HostReport expected =
          SimulatedFleet.firstReports(SHAPE, java.time.Instant.EPOCH).stream()
              .filter(r -> r.clusterId().equals(h4))
              .findFirst()
              .orElseThrow();
      HostReport first = reports.get(h4).get(0);
      assertThat(first).usingRecursiveComparison().ignoringFields("reportedAt").isEqualTo(expected);
      fleet.silence(h4);
      Thread.sleep(300); // a report already on its way may still land
      int h4Before = reports.get(h4).size();
      int h1Before = reports.get(h1).size();
      Thread.sleep(2_500);
      assertThat(reports.get(h4)).hasSize(h4Before);
      assertThat(reports.get(h1).size()).isGreaterThan(h1Before);
    } finally {
      reader.interrupt();
      reader.join(5_000);
    }
  }

  private static HostReport last(Map<String, List<HostReport>> reports, String host) {
    List<HostReport> l = reports.get(host);
    return l.get(l.size() - 1);
  }

  /** Reads host reports and tenant events into the given collections until interrupted. */
  private static Thread readBack(Map<String, List<HostReport>> reports, List<TenantEvent> events) {
    Thread t =
        new Thread(
            () -> {
              Properties p = kafka.clientProperties();
              p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
              try (KafkaConsumer<String, byte[]> c =
                  new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> tps = new ArrayList<>();
                for (TopicSpec s : List.of(Topics.HOST_REPORTS, Topics.TENANT_EVENTS)) {
                  for (int i = 0; i < s.defaultPartitions(); i++) {
                    tps.add(new TopicPartition(s.name(), i));
                  }
                }
                c.assign(tps);
                c.seekToBeginning(tps);
                while (!Thread.currentThread().isInterrupted()) {
                  for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(Topics.HOST_REPORTS.name())) {
                      reports
                          .computeIfAbsent(r.key(), k -> new CopyOnWriteArrayList<>())
                          .add(Codecs.HOST_REPORT.decode(r.value()).orElseThrow());
                    } else {
                      events.add(Codecs.TENANT_EVENT.decode(r.value()).orElseThrow());
                    }
                  }
                }
              } catch (org.apache.kafka.common.errors.InterruptException e) {
                // done
              }
            },
            "read-back");
    t.start();
    return t;
  }
}
