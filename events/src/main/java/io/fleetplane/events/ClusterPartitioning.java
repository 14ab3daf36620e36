package io.fleetplane.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The one function that routes a host cluster's records to a partition: murmur2 of the cluster id's
 * UTF-8 bytes, made positive, modulo the partition count. It is exactly what Kafka's default
 * partitioner does for a record keyed by the bare cluster id, so {@code fleet.host-reports} (keyed
 * by clusterId) and {@code fleet.placements} (keyed clusterId/tenantId, through {@link
 * ClusterPartitioner}) agree when their partition counts do.
 */
public final class ClusterPartitioning {

  private ClusterPartitioning() {}

  public static int partitionFor(String clusterId, int numPartitions) {
    if (numPartitions <= 0) {
      throw new IllegalArgumentException("numPartitions must be positive, got " + numPartitions);
    }
    byte[] bytes = clusterId.getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(bytes)) % numPartitions;
  }

  /** The partition of a {@code clusterId/tenantId} key (or of a bare cluster id). */
  public static int partitionForKey(String key, int numPartitions) {
    return partitionFor(PlacementKey.clusterIdOf(key), numPartitions);
  }
}
