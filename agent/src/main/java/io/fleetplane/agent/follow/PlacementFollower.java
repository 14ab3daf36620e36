package io.fleetplane.agent.follow;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.HostCluster;
import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.Placement;
import io.fleetplane.events.PlacementKey;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

  /** What the follower has read so far: all of it from one partition. */
  public record Stats(int partition, long records, long bytes, long ours, long undecodable) {}

  private final Consumer<String, byte[]> consumer;
  private final String clusterId;
  private final String prefix;
  private final HostCluster cluster;
  private final TopicPartition partition;
  private long records;
  private long bytes;
  private long ours;
  private long undecodable;

  public PlacementFollower(
      Consumer<String, byte[]> consumer, String topic, String clusterId, HostCluster cluster) {
    this.consumer = consumer;
    this.clusterId = clusterId;
    this.prefix = PlacementKey.prefixOf(clusterId);
    this.cluster = cluster;
    int partitions = consumer.partitionsFor(topic).size();
    this.partition =
        new TopicPartition(topic, ClusterPartitioning.partitionFor(clusterId, partitions));
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
    Map<String, TenantControlPlaneSpec> desired = new TreeMap<>();
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
        Change c = read(r);
        if (c != null && c.spec() == null) {
          desired.remove(c.tenant());
        } else if (c != null) {
          desired.put(c.tenant(), c.spec());
        }
      }
    }
    Map<String, TenantControlPlaneSpec> existing = cluster.tenants();
    int written = 0;
    for (TenantControlPlaneSpec spec : desired.values()) {
      // The listing has every spec already: only a tenant that differs costs a call.
      if (!spec.equals(existing.get(spec.getTenantId())) && cluster.apply(spec)) {
        written++;
      }
    }
    int removed = 0;
    for (String tenant : existing.keySet()) {
      if (!desired.containsKey(tenant)) {
        cluster.delete(tenant);
        removed++;
      }
    }
    LOG.infof(
        "replayed %s to offset %d: %d tenants placed on %s; %d written, %d no longer placed"
            + " removed",
        partition, end, desired.size(), clusterId, written, removed);
    return desired;
  }

  /**
   * Polls once and applies each of this cluster's placements and releases as it comes.
   *
   * @return how many records of this cluster were applied
   */
  public int pollOnce(Duration timeout) {
    int applied = 0;
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      Change c = read(r);
      if (c == null) {
        continue;
      }
      if (c.spec() == null) {
        cluster.delete(c.tenant());
      } else {
        cluster.apply(c.spec());
      }
      applied++;
    }
    return applied;
  }

  public Stats stats() {
    return new Stats(partition.partition(), records, bytes, ours, undecodable);
  }

  /** One record of this cluster's: the tenant's new spec, or null for a release. */
  private record Change(String tenant, TenantControlPlaneSpec spec) {}

  /** The change a record makes, or null if it is not this cluster's or cannot be read. */
  private Change read(ConsumerRecord<String, byte[]> r) {
    records++;
    bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
    if (r.key() == null || !r.key().startsWith(prefix)) {
      return null; // another cluster's that hashes to the same partition
    }
    String tenant = PlacementKey.tenantIdOf(r.key());
    if (r.value() == null) {
      ours++;
      return new Change(tenant, null);
    }
    Decoded<Placement> d = Codecs.PLACEMENT.decode(r.value());
    if (d instanceof Decoded.Failure<Placement> f) {
      undecodable++;
      LOG.warnf(
          "placement %s at %s offset %d cannot be read, skipped: %s",
          r.key(), partition, r.offset(), f.reason());
      return null;
    }
    Placement p = d.orElseThrow();
    if (!clusterId.equals(p.clusterId()) || !tenant.equals(p.tenantId())) {
      undecodable++;
      LOG.warnf(
          "placement %s at %s offset %d names %s/%s, not its key: skipped",
          r.key(), partition, r.offset(), p.clusterId(), p.tenantId());
      return null;
    }
    ours++;
    return new Change(tenant, TenantControlPlaneSpec.of(p));
  }
}
