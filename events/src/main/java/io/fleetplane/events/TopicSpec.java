package io.fleetplane.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One of the fleet's topics: its name, what its key is, how it is partitioned, and its cleanup.
 * {@link #configs()} are the topic-level settings it must be created with.
 *
 * @param retention for delete-cleaned topics; null for compacted ones (kept forever)
 */
public record TopicSpec(
    String name,
    String key,
    String partitioning,
    int defaultPartitions,
    boolean compacted,
    Duration retention,
    int maxMessageBytes) {

  public Map<String, String> configs() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(
        TopicConfig.CLEANUP_POLICY_CONFIG,
        compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
    if (retention != null) {
      c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }
    if (compacted) {
      // Tombstones must outlive the slowest agent's replay, or a release could be missed.
      c.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()));
    }
    c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    return c;
  }

  public NewTopic newTopic(int partitions, short replicationFactor) {
    return new NewTopic(name, partitions, replicationFactor).configs(configs());
  }

  public NewTopic newTopic(short replicationFactor) {
    return newTopic(defaultPartitions, replicationFactor);
  }
}
