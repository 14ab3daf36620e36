package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.NamespaceModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The tenant's hard quota: what the scheduler committed for it. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class QuotaDependent extends TenantSingleDependent<ResourceQuota> {

  public QuotaDependent() {
    super(ResourceQuota.class);
  }

  @Override
  ResourceQuota desired(TenantControlPlaneSpec spec) {
    return NamespaceModel.quota(spec, Catalogue.PLANS);
  }
}
