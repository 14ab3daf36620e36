package io.fleetplane.agent.follow;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.HostCluster;
import io.fleetplane.events.ClusterPartitioning;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The agent's share of {@code fleet.placements}: the one partition its cluster id hashes to (the
 * events' partitioner), and in it only the keys {@code clusterId/...}, read by a {@link
 * PlacementStream} of its own. At every start (and after a failure) it replays the partition from
 * the beginning to its end, which gives the whole desired set, makes the host cluster hold exactly
 * that (removing resources of ours that are no longer placed), then follows.
 */
public final class PlacementFollower implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PlacementFollower.class);

  private final String clusterId;
  private final HostCluster cluster;
  private final PlacementStream stream;
  private final CountDownLatch replayed = new CountDownLatch(1);
  private volatile PlacementShare share;
  private volatile Map<String, TenantControlPlaneSpec> desired = Map.of();

  /** The agent's follower of {@code fleet.placements}. */
  public PlacementFollower(Properties kafka, String clusterId, HostCluster cluster) {
    this(kafka, io.fleetplane.events.Topics.PLACEMENTS.name(), clusterId, cluster);
  }

  /**
   * @param kafka the deployment's client settings (bootstrap servers, TLS, SASL)
   * @param topic the placements' topic (another only in tests)
   */
  public PlacementFollower(Properties kafka, String topic, String clusterId, HostCluster cluster) {
    this.clusterId = clusterId;
    this.cluster = cluster;
    this.stream =
        new PlacementStream(
            kafka,
            topic,
            "fleet-placement-follower",
            partitions -> Set.of(ClusterPartitioning.partitionFor(clusterId, partitions)),
            new Reader());
  }

  public PlacementFollower start() {
    stream.start();
    return this;
  }

  /** Waits until the first replay has made the cluster hold its whole desired set. */
  public boolean awaitReplayed(Duration timeout) throws InterruptedException {
    return replayed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean replayed() {
    return replayed.getCount() == 0;
  }

  /** The desired set the last replay found, by tenant id. */
  public Map<String, TenantControlPlaneSpec> desired() {
    return desired;
  }

  /** What the follower has read since its last replay began: all of it from one partition. */
  public PlacementShare.Stats stats() {
    PlacementShare s = share;
    return s == null ? new PlacementShare.Stats(-1, 0, 0, 0, 0) : s.stats();
  }

  @Override
  public void close() {
    stream.close();
  }

  private final class Reader implements PlacementStream.Reader {
    @Override
    public void replayStarts(List<TopicPartition> partitions) {
      PlacementShare s = new PlacementShare(clusterId, partitions.get(0).partition(), cluster);
      s.startReplay();
      share = s;
    }

    @Override
    public void records(ConsumerRecords<String, byte[]> batch) {
      for (ConsumerRecord<String, byte[]> r : batch) {
        share.offer(r);
      }
    }

    @Override
    public void replayed(TopicPartition partition) {
      PlacementShare.Replayed done = share.finishReplay();
      desired = done.desired();
      LOG.infof(
          "replayed %s: %d tenants placed on %s; %d written, %d no longer placed removed",
          partition, done.desired().size(), clusterId, done.written(), done.removed());
      replayed.countDown();
    }
  }
}
