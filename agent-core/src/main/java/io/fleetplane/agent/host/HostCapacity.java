package io.fleetplane.agent.host;

import io.fleetplane.events.Resources;
import io.fleetplane.events.Taint;
import java.util.List;

/**
 * What a host cluster's nodes and pods say about its capacity now: the part of a {@code HostReport}
 * that comes from the cluster rather than from the agent's configuration.
 *
 * @param zones the distinct zones of the counted nodes, sorted
 * @param taints the taints every counted node has
 * @param allocatable the counted nodes' allocatable, summed
 * @param unmanagedUsed requests of pods that are not fleet tenants, on counted nodes
 * @param tenantUsed requests of the fleet's tenant pods, on counted nodes
 * @param gvisor whether tenants asking for gVisor can run here
 * @param nodesReady the counted nodes (Ready, not cordoned, no health taint)
 * @param nodesTotal all nodes
 * @param tenantsRunning tenants whose control plane is Ready
 */
public record HostCapacity(
    List<String> zones,
    List<Taint> taints,
    Resources allocatable,
    Resources unmanagedUsed,
    Resources tenantUsed,
    boolean gvisor,
    int nodesReady,
    int nodesTotal,
    int tenantsRunning) {

  public HostCapacity {
    zones = List.copyOf(zones);
    taints = List.copyOf(taints);
  }
}
