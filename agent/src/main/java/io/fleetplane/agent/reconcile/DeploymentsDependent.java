package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.apps.Deployment;
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
 * The tenant's Deployments: kube-apiserver (with kine beside it in kine mode),
 * kube-controller-manager, and one per hosted operator of its plan; an operator no longer in the
 * plan is deleted. Their status changes reach the reconciler through this informer.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class DeploymentsDependent
    extends KubernetesDependentResource<Deployment, TenantControlPlane>
    implements CRUDKubernetesBulkDependentResource<Deployment, TenantControlPlane>,
        KubernetesBulkDependentResource<Deployment, TenantControlPlane>,
        GarbageCollected<TenantControlPlane> {

  public DeploymentsDependent() {
    super(Deployment.class);
  }

  @Override
  public Map<ResourceID, Deployment> desiredResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.byId(ControlPlaneModel.deployments(primary.getSpec(), Catalogue.PLANS));
  }

  @Override
  public Map<ResourceID, Deployment> getSecondaryResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.actual(primary, context, Deployment.class, d -> true);
  }
}
