package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.NetworkPolicyModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * The tenant's network policies, several of one kind: a bulk dependent, which also deletes a policy
 * of ours that is no longer desired (e.g. the datastore allow when a tenant moves to a dedicated
 * etcd).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class NetworkPoliciesDependent
    extends KubernetesDependentResource<NetworkPolicy, TenantControlPlane>
    implements CRUDKubernetesBulkDependentResource<NetworkPolicy, TenantControlPlane>,
        KubernetesBulkDependentResource<NetworkPolicy, TenantControlPlane>,
        GarbageCollected<TenantControlPlane> {

  public NetworkPoliciesDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  public Map<ResourceID, NetworkPolicy> desiredResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.byId(NetworkPolicyModel.all(primary.getSpec()));
  }

  @Override
  public Map<ResourceID, NetworkPolicy> getSecondaryResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.actual(primary, context, NetworkPolicy.class, p -> true);
  }
}
