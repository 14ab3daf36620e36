package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.TenantNames;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** What the bulk dependents share: their objects keyed by id, and the actual ones of a tenant. */
final class TenantChildren {

  private TenantChildren() {}

  static <R extends HasMetadata> Map<ResourceID, R> byId(Collection<R> resources) {
    Map<ResourceID, R> out = new LinkedHashMap<>();
    for (R r : resources) {
      out.put(ResourceID.fromResource(r), r);
    }
    return out;
  }

  /** The informer's objects of this kind in the tenant's namespace that {@code ours} accepts. */
  static <R extends HasMetadata> Map<ResourceID, R> actual(
      TenantControlPlane tenant,
      Context<TenantControlPlane> context,
      Class<R> type,
      Predicate<R> ours) {
    String ns = TenantNames.namespace(tenant.getSpec().getTenantId());
    return byId(
        context
            .getSecondaryResourcesAsStream(type)
            .filter(r -> ns.equals(r.getMetadata().getNamespace()))
            .filter(ours)
            .toList());
  }
}
