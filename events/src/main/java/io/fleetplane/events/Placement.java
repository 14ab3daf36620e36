package io.fleetplane.events;

import java.time.Instant;

/**
 * The scheduler's decision that a tenant runs on a host cluster: the agent's desired state. Key on
 * {@code fleet.placements} (compacted): {@code clusterId/tenantId} (see {@link PlacementKey}),
 * partitioned by the cluster id alone. A tombstone on the key releases the tenant from that
 * cluster.
 *
 * @param generation increases with every change of this tenant's placement
 * @param resources what the scheduler committed on the host for this tenant
 */
public record Placement(
    String tenantId,
    String clusterId,
    long generation,
    String plan,
    Datastore datastore,
    Isolation isolation,
    Resources resources,
    boolean highAvailability,
    Integer storageGi,
    int priority,
    String requestId,
    Instant placedAt) {

  public Placement {
    // What was committed is known in every dimension: one left out is none.
    resources = resources == null ? null : resources.reportedOrZero();
  }

  public String key() {
    return PlacementKey.of(clusterId, tenantId);
  }
}
