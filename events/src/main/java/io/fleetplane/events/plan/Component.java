package io.fleetplane.events.plan;

import io.fleetplane.events.Resources;

/**
 * One part of a tenant control plane (an API server, a datastore, a hosted operator): what one
 * replica needs, and how many replicas run with and without high availability.
 */
public record Component(String name, Resources perReplica, int replicas, int haReplicas) {

  public Resources total(boolean highAvailability) {
    return perReplica.times(highAvailability ? haReplicas : replicas);
  }
}
