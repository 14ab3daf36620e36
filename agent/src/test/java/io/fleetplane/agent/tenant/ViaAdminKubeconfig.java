package io.fleetplane.agent.tenant;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The agent's production way to a tenant's API server, but for the last step: the tenant's admin
 * kubeconfig is read from the host cluster exactly as {@link
 * KubernetesTenantApi#viaAdminKubeconfig} reads it, and a client is built from it; then the calls
 * go to a stand-in server, because the kubeconfig names the tenant's in-cluster Service, which a
 * test cannot reach. So the host sees every request the agent makes of it for a tenant's token.
 */
public final class ViaAdminKubeconfig {

  private ViaAdminKubeconfig() {}

  public static TenantApi to(KubernetesClient host, TenantApiServer standIn) {
    return new KubernetesTenantApi(
        spec -> {
          AdminKubeconfig.connect(host, spec.getTenantId()).close();
          return standIn.server.createClient();
        });
  }
}
