package io.fleetplane.events;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The Kafka Streams twin of {@link ClusterPartitioner}: {@code
 * Produced.with(...).withStreamPartitioner(new ClusterStreamPartitioner<>())} puts a cluster's
 * records on the same partition a plain producer would. Needs kafka-streams on the class path (an
 * optional dependency of this module).
 */
public final class ClusterStreamPartitioner<V> implements StreamPartitioner<String, V> {

  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
    return Optional.of(Set.of(ClusterPartitioning.partitionForKey(key, numPartitions)));
  }
}
