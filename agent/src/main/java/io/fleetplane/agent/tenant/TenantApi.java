package io.fleetplane.agent.tenant;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import java.util.Optional;

/**
 * What the agent asks of a tenant's own API server (not the host's): credentials for the hosted
 * operators that run on the host as clients of the tenant.
 */
public interface TenantApi {

  /**
   * A token of {@code serviceAccount} in {@code namespace} of the tenant's API server, creating the
   * namespace, the service account, its rights and its token there if they are missing.
   *
   * @return the token, or empty while the tenant's controller manager has not issued it yet
   * @throws RuntimeException if the tenant's API server cannot be reached or refuses
   */
  Optional<String> serviceAccountToken(
      TenantControlPlaneSpec spec, String namespace, String serviceAccount);
}
