package io.fleetplane.agent.follow;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.HostCluster;
import io.fleetplane.events.Placement;
import io.fleetplane.events.PlacementKey;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * What one agent makes of the records of the placements partition its cluster id hashes to: it
 * reads every record of the partition, keeps the keys {@code clusterId/...}, and makes its host
 * cluster hold what they say. During a replay it only collects the desired set, and at the end of
 * the replay makes the cluster hold exactly that (removing resources of ours no longer placed);
 * after it, each placement or release is applied as it comes.
 *
 * <p>{@link PlacementFollower} feeds it from a consumer of its own (the agent in a host cluster); a
 * simulated fleet feeds many shares from one reader of the partition. Not thread-safe.
 */
public final class PlacementShare {

  private static final Logger LOG = Logger.getLogger(PlacementShare.class);

  /** What the share has read so far: all of it from one partition. */
  public record Stats(int partition, long records, long bytes, long ours, long undecodable) {}

  /** What a replay found and did. */
  public record Replayed(Map<String, TenantControlPlaneSpec> desired, int written, int removed) {}

  private final String clusterId;
  private final String prefix;
  private final int partition;
  private final HostCluster cluster;
  private Map<String, TenantControlPlaneSpec> replaying;
  private long records;
  private long bytes;
  private long ours;
  private long undecodable;

  public PlacementShare(String clusterId, int partition, HostCluster cluster) {
    this.clusterId = clusterId;
    this.prefix = PlacementKey.prefixOf(clusterId);
    this.partition = partition;
    this.cluster = cluster;
  }

  public String clusterId() {
    return clusterId;
  }

  public int partition() {
    return partition;
  }

  /** From now until {@link #finishReplay}, records only build the desired set. */
  public void startReplay() {
    replaying = new TreeMap<>();
  }

  /**
   * Reads one record of the partition: another cluster's is counted and skipped.
   *
   * @return whether it was this cluster's and readable
   */
  public boolean offer(ConsumerRecord<String, byte[]> r) {
    records++;
    bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
    if (r.key() == null || !r.key().startsWith(prefix)) {
      return false; // another cluster's that hashes to the same partition
    }
    String tenant = PlacementKey.tenantIdOf(r.key());
    TenantControlPlaneSpec spec = null;
    if (r.value() != null) {
      Decoded<Placement> d = Codecs.PLACEMENT.decode(r.value());
      if (d instanceof Decoded.Failure<Placement> f) {
        undecodable++;
        LOG.warnf(
            "placement %s at partition %d offset %d cannot be read, skipped: %s",
            r.key(), r.partition(), r.offset(), f.reason());
        return false;
      }
      Placement p = d.orElseThrow();
      if (!clusterId.equals(p.clusterId()) || !tenant.equals(p.tenantId())) {
        undecodable++;
        LOG.warnf(
            "placement %s at partition %d offset %d names %s/%s, not its key: skipped",
            r.key(), r.partition(), r.offset(), p.clusterId(), p.tenantId());
        return false;
      }
      spec = TenantControlPlaneSpec.of(p);
    }
    ours++;
    if (replaying != null) {
      if (spec == null) {
        replaying.remove(tenant);
      } else {
        replaying.put(tenant, spec);
      }
    } else if (spec == null) {
      cluster.delete(tenant);
    } else {
      cluster.apply(spec);
    }
    return true;
  }

  /**
   * Ends the replay: makes the cluster hold exactly the desired set. Creates or updates what
   * differs, deletes resources of ours whose tenant is no longer placed here.
   */
  public Replayed finishReplay() {
    Map<String, TenantControlPlaneSpec> desired = replaying == null ? Map.of() : replaying;
    replaying = null;
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
    return new Replayed(desired, written, removed);
  }

  public Stats stats() {
    return new Stats(partition, records, bytes, ours, undecodable);
  }
}
