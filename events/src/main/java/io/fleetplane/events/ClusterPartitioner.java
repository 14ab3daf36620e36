package io.fleetplane.events;

import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * A producer partitioner for {@code fleet.placements}: {@code
 * partitioner.class=io.fleetplane.events.ClusterPartitioner}. Keys must be Strings ({@code
 * clusterId/tenantId}); the partition depends on the cluster id alone.
 */
public final class ClusterPartitioner implements Partitioner {

  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    if (!(key instanceof String k)) {
      throw new IllegalArgumentException(
          "ClusterPartitioner needs String keys of the form clusterId/tenantId, got "
              + (key == null ? "null" : key.getClass().getName()));
    }
    return ClusterPartitioning.partitionForKey(k, cluster.partitionCountForTopic(topic));
  }

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
