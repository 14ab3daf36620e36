package io.fleetplane.agent.follow;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.HostCluster;
import io.fleetplane.events.ClusterPartitioning;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The agent's share of {@code fleet.placements}: the one partition its cluster id hashes to (the
 * events' partitioner), and in it only the keys {@code clusterId/...}. At start it replays the
 * partition from the beginning to its end, which gives the whole desired set, makes the host
 * cluster hold exactly that (removing resources of ours that are no longer placed), then follows.
 *
 * <p>Not thread-safe: one thread polls. The consumer must read committed records only (the
 * scheduler writes transactionally) and must not be subscribed: the follower assigns.
 */
public final class PlacementFollower {

  private static final Logger LOG = Logger.getLogger(PlacementFollower.class);

  private final Consumer<String, byte[]> consumer;
  private final String clusterId;
  private final TopicPartition partition;
  private final PlacementShare share;

  public PlacementFollower(
      Consumer<String, byte[]> consumer, String topic, String clusterId, HostCluster cluster) {
    this.consumer = consumer;
    this.clusterId = clusterId;
    int partitions = consumer.partitionsFor(topic).size();
    this.partition =
        new TopicPartition(topic, ClusterPartitioning.partitionFor(clusterId, partitions));
    this.share = new PlacementShare(clusterId, partition.partition(), cluster);
    consumer.assign(List.of(partition));
  }

  /**
   * Reads the partition from its beginning to its current end and makes the cluster hold exactly
   * the tenants placed on it: creates or updates what differs, deletes resources of ours whose
   * tenant is no longer placed here.
   *
   * @return the desired set, by tenant id
   */
  public Map<String, TenantControlPlaneSpec> replay(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    consumer.seekToBeginning(List.of(partition));
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    share.startReplay();
    while (consumer.position(partition) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "replay of "
                + partition
                + " did not reach offset "
                + end
                + " within "
                + timeout
                + " (at "
                + consumer.position(partition)
                + ")");
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        share.offer(r);
      }
    }
    PlacementShare.Replayed done = share.finishReplay();
    LOG.infof(
        "replayed %s to offset %d: %d tenants placed on %s; %d written, %d no longer placed"
            + " removed",
        partition, end, done.desired().size(), clusterId, done.written(), done.removed());
    return done.desired();
  }

  /**
   * Polls once and applies each of this cluster's placements and releases as it comes.
   *
   * @return how many records of this cluster were applied
   */
  public int pollOnce(Duration timeout) {
    int applied = 0;
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      if (share.offer(r)) {
        applied++;
      }
    }
    return applied;
  }

  /** What the follower has read so far: all of it from one partition. */
  public PlacementShare.Stats stats() {
    return share.stats();
  }
}
