package io.fleetplane.agent.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.PlacementKey;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The follower against a real broker and fabric8's API server in CRUD mode. */
@ExtendWith(KafkaExtension.class)
@EnableKubernetesMockClient(crud = true)
class PlacementFollowerIT {

  static final int PARTITIONS = 8;

  KubernetesClient client;
  KubernetesMockServer server;

  private final String topic = "placements-" + UUID.randomUUID();
  private final String us = "eu-h1";

  @BeforeEach
  void crd() {
    Fixtures.installCrd(client);
  }

  /** A cluster id that is not ours but hashes to our partition: its records must be skipped. */
  private String neighbour() {
    int ours = ClusterPartitioning.partitionFor(us, PARTITIONS);
    for (int i = 0; ; i++) {
      String id = "eu-n" + i;
      if (ClusterPartitioning.partitionFor(id, PARTITIONS) == ours) {
        return id;
      }
    }
  }

  /** A cluster id on another partition. */
  private String elsewhere() {
    int ours = ClusterPartitioning.partitionFor(us, PARTITIONS);
    for (int i = 0; ; i++) {
      String id = "us-h" + i;
      if (ClusterPartitioning.partitionFor(id, PARTITIONS) != ours) {
        return id;
      }
    }
  }

  private static Placement placement(String cluster, String tenant, String plan, long gen) {
    return Fixtures.placement(
        cluster, tenant, plan, gen, DatastoreMode.DEDICATED_ETCD, Isolation.GVISOR);
  }

  private void publish(KafkaBroker kafka, List<ProducerRecord<String, byte[]>> records)
      throws Exception {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> r : records) {
        producer.send(r).get();
      }
    }
  }

  private static ProducerRecord<String, byte[]> place(String topic, Placement p) {
    return new ProducerRecord<>(
        topic,
        ClusterPartitioning.partitionFor(p.clusterId(), PARTITIONS),
        p.key(),
        Codecs.PLACEMENT.encode(p));
  }

  private static ProducerRecord<String, byte[]> release(
      String topic, String cluster, String tenant) {
    return new ProducerRecord<>(
        topic,
        ClusterPartitioning.partitionFor(cluster, PARTITIONS),
        PlacementKey.of(cluster, tenant),
        null);
  }

  private Map<String, TenantControlPlaneSpec> inCluster() {
    return new KubernetesHostCluster(client).tenants();
  }

  @Test
  void replaysOnlyItsOwnPartitionAndPrefixThenFollowsPlacementsAndReleases(KafkaBroker kafka)
      throws Exception {
    kafka.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
    String neighbour = neighbour();
    String elsewhere = elsewhere();
    publish(
        kafka,
        List.of(
            place(topic, placement(us, "acme", "small", 1)),
            place(topic, placement(neighbour, "other", "small", 1)),
            place(topic, placement(elsewhere, "far", "small", 1)),
            place(topic, placement(us, "beta", "small", 1)),
            place(topic, placement(us, "acme", "large", 2)), // resized: the last one counts
            place(topic, placement(us, "gone", "small", 1)),
            release(topic, us, "gone")));

    try (PlacementFollower follower = follower(kafka, new KubernetesHostCluster(client))) {
      Map<String, TenantControlPlaneSpec> desired = follower.desired();

      assertThat(desired).containsOnlyKeys("acme", "beta");
      assertThat(inCluster()).containsOnlyKeys("acme", "beta");
      assertThat(inCluster().get("acme").getPlan()).isEqualTo("large");
      assertThat(inCluster().get("acme").getPlacementGeneration()).isEqualTo(2);
      assertThat(inCluster().get("acme").getIsolation()).isEqualTo("gvisor");
      PlacementShare.Stats stats = follower.stats();
      assertThat(stats.partition())
          .as("only the partition its cluster id hashes to")
          .isEqualTo(ClusterPartitioning.partitionFor(us, PARTITIONS));
      assertThat(stats.records())
          .as("ours and the neighbour's, not the far cluster's")
          .isEqualTo(6);
      assertThat(stats.ours()).isEqualTo(5);

      publish(
          kafka,
          List.of(
              place(topic, placement(us, "gamma", "medium", 1)),
              release(topic, us, "beta"),
              place(topic, placement(neighbour, "other2", "small", 1))));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> inCluster().keySet().equals(java.util.Set.of("acme", "gamma")));
    }
  }

  /** A follower of the test's topic, started and done with its replay. */
  private PlacementFollower follower(KafkaBroker kafka, KubernetesHostCluster cluster)
      throws InterruptedException {
    PlacementFollower f =
        new PlacementFollower(kafka.clientProperties(), topic, us, cluster).start();
    assertThat(f.awaitReplayed(Duration.ofSeconds(30))).as("replayed").isTrue();
    return f;
  }

  @Test
  void replayRemovesTenantsOfOursNoLongerPlacedAndLeavesOthersAlone(KafkaBroker kafka)
      throws Exception {
    kafka.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
    publish(kafka, List.of(place(topic, placement(us, "acme", "small", 1))));
    KubernetesHostCluster cluster = new KubernetesHostCluster(client);
    cluster.apply(TenantControlPlaneSpec.of(placement(us, "stale", "small", 1)));
    TenantControlPlane foreign = new TenantControlPlane();
    foreign.setMetadata(new ObjectMetaBuilder().withName("hand-made").build());
    foreign.setSpec(TenantControlPlaneSpec.of(placement(us, "hand-made", "small", 1)));
    client.resource(foreign).create();

    follower(kafka, cluster).close();

    assertThat(inCluster()).containsOnlyKeys("acme");
    assertThat(client.resources(TenantControlPlane.class).withName("hand-made").get())
        .as("not labelled %s=%s: not ours to delete", Labels.MANAGED_BY, Labels.AGENT)
        .isNotNull();
  }

  @Test
  void aRestartedFollowerOnAConvergedClusterWritesNothing(KafkaBroker kafka) throws Exception {
    kafka.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      records.add(place(topic, placement(us, "t" + i, "small", 1)));
    }
    publish(kafka, records);
    follower(kafka, new KubernetesHostCluster(client)).close();
    assertThat(inCluster()).hasSize(50);
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // drain what the first run did
    }

    follower(kafka, new KubernetesHostCluster(client)).close();

    List<String> writes = new ArrayList<>();
    int requests = 0;
    for (var r = server.takeRequest(10, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
      requests++;
      if (!r.getMethod().equals("GET")) {
        writes.add(r.getRequestLine());
      }
    }
    assertThat(requests).as("it did look").isGreaterThan(0);
    assertThat(writes).isEmpty();
  }
}
