package io.fleetplane.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an agent reports about its host cluster. Key on {@code fleet.host-reports} (compacted): the
 * cluster id. The scheduler's free capacity for the host is {@code allocatable x overcommit -
 * headroom - unmanagedUsed - (its own commitments)}; {@code tenantUsed} is reported for drift
 * checks only, never subtracted.
 *
 * @param zones zones the cluster's schedulable nodes span, sorted
 * @param allocatable summed over ready, schedulable nodes; storage: what the datastores' storage
 *     class can still provision plus what the fleet's own claims hold, or {@link
 *     Resources#UNREPORTED} when the agent cannot tell (then it is not limited)
 * @param unmanagedUsed requests of pods that are not fleet tenants (system pods, daemonsets)
 * @param tenantUsed requests of the fleet's tenant pods, as the cluster sees them
 */
public record HostReport(
    String clusterId,
    String region,
    List<String> zones,
    Map<String, String> labels,
    List<Taint> taints,
    Resources allocatable,
    Resources unmanagedUsed,
    Resources tenantUsed,
    Capabilities capabilities,
    NodeCounts nodes,
    int tenantsRunning,
    String agentVersion,
    Instant reportedAt) {

  public HostReport {
    // Only what a host offers may be unknown; use that was left out is none.
    unmanagedUsed = unmanagedUsed == null ? null : unmanagedUsed.reportedOrZero();
    tenantUsed = tenantUsed == null ? null : tenantUsed.reportedOrZero();
    zones = Collections2.copy(zones);
    labels = Collections2.sortedCopy(labels);
    taints = Collections2.copy(taints);
  }

  /**
   * @param gvisor the {@code gvisor} RuntimeClass exists and nodes run {@code runsc}
   * @param datastoreModes the datastore modes this cluster offers
   * @param sharedEtcdHeadroom how many shared-etcd tenants the host's shared etcd can hold in all
   *     (not how many more: the scheduler subtracts its own commitments, as it does for every
   *     resource)
   */
  public record Capabilities(
      boolean gvisor, Set<DatastoreMode> datastoreModes, int sharedEtcdHeadroom) {
    public Capabilities {
      java.util.EnumSet<DatastoreMode> modes = java.util.EnumSet.noneOf(DatastoreMode.class);
      if (datastoreModes != null) {
        modes.addAll(datastoreModes);
      }
      // An EnumSet iterates in declaration order, the same every run.
      datastoreModes = java.util.Collections.unmodifiableSet(modes);
    }
  }

  /** Nodes of the cluster: ready and schedulable, and all. */
  public record NodeCounts(int ready, int total) {}
}
