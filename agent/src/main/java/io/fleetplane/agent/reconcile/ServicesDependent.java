package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.Service;
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

/** The API server's Service, and in dedicated-etcd mode etcd's client and peer Services. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class ServicesDependent extends KubernetesDependentResource<Service, TenantControlPlane>
    implements CRUDKubernetesBulkDependentResource<Service, TenantControlPlane>,
        KubernetesBulkDependentResource<Service, TenantControlPlane>,
        GarbageCollected<TenantControlPlane> {

  public ServicesDependent() {
    super(Service.class);
  }

  @Override
  public Map<ResourceID, Service> desiredResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.byId(ControlPlaneModel.services(primary.getSpec()));
  }

  @Override
  public Map<ResourceID, Service> getSecondaryResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.actual(primary, context, Service.class, s -> true);
  }
}
