package io.fleetplane.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class ClusterPartitioningTest {

  @Test
  void routesABareClusterIdExactlyAsKafkasDefaultPartitionerDoes() {
    for (int i = 0; i < 2_000; i++) {
      String clusterId = "region-" + (i % 7) + "-host-" + i;
      for (int n : new int[] {1, 3, 12, 32, 64}) {
        int kafkas =
            BuiltInPartitioner.partitionForKey(clusterId.getBytes(StandardCharsets.UTF_8), n);
        assertThat(ClusterPartitioning.partitionFor(clusterId, n)).isEqualTo(kafkas);
      }
    }
  }

  @Test
  void putsEveryTenantOfAClusterOnTheClustersPartition() {
    for (int i = 0; i < 500; i++) {
      String clusterId = "h" + i;
      int expected = ClusterPartitioning.partitionFor(clusterId, 32);
      for (int t = 0; t < 20; t++) {
        assertThat(
                ClusterPartitioning.partitionForKey(PlacementKey.of(clusterId, "tenant-" + t), 32))
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void producerAndStreamsPartitionersAgree() {
    Node node = new Node(0, "localhost", 9092);
    List<PartitionInfo> parts = new java.util.ArrayList<>();
    for (int p = 0; p < 32; p++) {
      parts.add(
          new PartitionInfo(
              Topics.PLACEMENTS.name(), p, node, new Node[] {node}, new Node[] {node}));
    }
    Cluster cluster = new Cluster("c", List.of(node), parts, Set.of(), Set.of());
    ClusterPartitioner producer = new ClusterPartitioner();
    ClusterStreamPartitioner<Object> streams = new ClusterStreamPartitioner<>();
    for (int i = 0; i < 300; i++) {
      String key = PlacementKey.of("cluster-" + i, "t" + i);
      int p = producer.partition(Topics.PLACEMENTS.name(), key, null, null, null, cluster);
      assertThat(streams.partitions(Topics.PLACEMENTS.name(), key, null, 32))
          .isEqualTo(Optional.of(Set.of(p)));
    }
  }

  @Test
  void spreadsClustersOverPartitions() {
    int[] counts = new int[32];
    for (int i = 0; i < 10_000; i++) {
      counts[ClusterPartitioning.partitionFor("host-" + i, 32)]++;
    }
    // 10,000 / 32 = 312.5 per partition; murmur2 keeps each within ~20% of that.
    for (int c : counts) {
      assertThat(c).isBetween(250, 375);
    }
  }

  @Test
  void refusesANonStringKeyWithAClearMessage() {
    assertThatThrownBy(() -> new ClusterPartitioner().partition("t", 42, null, null, null, null))
        .hasMessageContaining("String keys of the form clusterId/tenantId");
  }
}
