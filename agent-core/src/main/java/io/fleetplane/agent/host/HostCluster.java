package io.fleetplane.agent.host;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import java.util.Map;

/**
 * The agent's one narrow view of its host cluster, for the follower and the reporters: the tenants
 * it holds (as {@code TenantControlPlane} resources of ours), the capacity its nodes and pods give,
 * and its tenants' lifecycle. A real cluster through fabric8 in production ({@link
 * KubernetesHostCluster}); the demo, the failure drills and the scale run put an in-memory {@link
 * SimulatedHostCluster} behind the same interface, and the agent's Kafka code runs unchanged on it.
 */
public interface HostCluster {

  /** Every tenant of ours in the cluster, by tenant id, with its spec. */
  Map<String, TenantControlPlaneSpec> tenants();

  /**
   * Makes the tenant's resource carry this spec: creates it, or updates it if it differs. Writes
   * nothing when it is already equal.
   *
   * @return whether anything was written
   */
  boolean apply(TenantControlPlaneSpec spec);

  /**
   * Deletes the tenant's resource (which removes what it owns).
   *
   * @return whether there was one
   */
  boolean delete(String tenantId);

  /** The capacity the cluster's nodes and pods give now; cheap enough to call every few seconds. */
  HostCapacity capacity();

  /**
   * Tells {@code listener} of every tenant's lifecycle steps from now on (and of the current phase
   * of the tenants there already). One listener per cluster.
   *
   * @return what stops the telling
   */
  AutoCloseable watchTenants(TenantListener listener);
}
