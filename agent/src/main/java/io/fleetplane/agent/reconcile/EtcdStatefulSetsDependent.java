package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.ControlPlaneModel;
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
 * The tenant's own etcd StatefulSet, in dedicated-etcd mode; in the other modes the desired set is
 * empty. A bulk dependent rather than a conditional one: its informer is there from the start, so
 * no mode needs an event source registered on the fly. (The shared etcd, in another namespace, is
 * not among a tenant's children: {@link ClusterShared}.)
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class EtcdStatefulSetsDependent
    extends KubernetesDependentResource<StatefulSet, TenantControlPlane>
    implements CRUDKubernetesBulkDependentResource<StatefulSet, TenantControlPlane>,
        KubernetesBulkDependentResource<StatefulSet, TenantControlPlane>,
        GarbageCollected<TenantControlPlane> {

  public EtcdStatefulSetsDependent() {
    super(StatefulSet.class);
  }

  @Override
  public Map<ResourceID, StatefulSet> desiredResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.byId(ControlPlaneModel.statefulSets(primary.getSpec(), Catalogue.PLANS));
  }

  @Override
  public Map<ResourceID, StatefulSet> getSecondaryResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.actual(primary, context, StatefulSet.class, s -> true);
  }
}
