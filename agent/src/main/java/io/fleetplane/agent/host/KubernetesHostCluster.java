package io.fleetplane.agent.host;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link HostCluster} on a real API server through fabric8: plain create, update and delete (no
 * server-side apply), the same calls against the test server as in production. A resource is named
 * after its tenant.
 */
public final class KubernetesHostCluster implements HostCluster {

  private final KubernetesClient client;

  public KubernetesHostCluster(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Map<String, TenantControlPlaneSpec> tenants() {
    Map<String, TenantControlPlaneSpec> out = new TreeMap<>();
    for (TenantControlPlane t :
        client
            .resources(TenantControlPlane.class)
            .withLabel(Labels.MANAGED_BY, Labels.AGENT)
            .list()
            .getItems()) {
      out.put(t.getMetadata().getName(), t.getSpec());
    }
    return out;
  }

  @Override
  public boolean apply(TenantControlPlaneSpec spec) {
    var resource = client.resources(TenantControlPlane.class).withName(spec.getTenantId());
    TenantControlPlane existing = resource.get();
    if (existing == null) {
      TenantControlPlane t = new TenantControlPlane();
      t.setMetadata(
          new ObjectMetaBuilder()
              .withName(spec.getTenantId())
              .withLabels(Labels.ofTenant(spec.getTenantId()))
              .build());
      t.setSpec(spec);
      try {
        client.resource(t).create();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = resource.get(); // created meanwhile: fall through to the update
      }
    }
    if (spec.equals(existing.getSpec())) {
      return false;
    }
    existing.setSpec(spec);
    client.resource(existing).update(); // 409 on a stale resourceVersion: the caller retries
    return true;
  }

  @Override
  public boolean delete(String tenantId) {
    return !client.resources(TenantControlPlane.class).withName(tenantId).delete().isEmpty();
  }
}
