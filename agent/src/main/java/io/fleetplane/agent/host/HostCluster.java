package io.fleetplane.agent.host;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import java.util.Map;

/**
 * The follower's narrow view of its host cluster: the tenants it holds, as {@code
 * TenantControlPlane} resources of ours. A real cluster through fabric8 in production; the demo and
 * the scale run put a simulated cluster behind the same interface.
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
}
