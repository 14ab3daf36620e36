package io.fleetplane.agent.report;

import io.fleetplane.events.DatastoreMode;
import java.util.Map;
import java.util.Set;

/**
 * What the agent knows about its host cluster from its own configuration, not from the cluster's
 * API: the cluster does not know its fleet id, region or which datastores the fleet offers on it.
 *
 * @param labels the host's labels, which tenants' placement selects on
 * @param datastoreModes the datastore modes this cluster offers
 * @param sharedEtcdHeadroom how many shared-etcd tenants the shared etcd can hold in all
 */
public record HostFacts(
    String clusterId,
    String region,
    Map<String, String> labels,
    Set<DatastoreMode> datastoreModes,
    int sharedEtcdHeadroom,
    String agentVersion) {

  public HostFacts {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    datastoreModes = datastoreModes == null ? Set.of() : Set.copyOf(datastoreModes);
  }
}
