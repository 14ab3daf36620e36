package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.NamespaceModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Default container requests and limits in the tenant's namespace. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class LimitRangeDependent extends TenantSingleDependent<LimitRange> {

  public LimitRangeDependent() {
    super(LimitRange.class);
  }

  @Override
  LimitRange desired(TenantControlPlaneSpec spec) {
    return NamespaceModel.limits(spec);
  }
}
