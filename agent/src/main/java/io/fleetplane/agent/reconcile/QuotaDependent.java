package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.NamespaceModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The tenant's hard quota: what the scheduler committed for it. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class QuotaDependent
    extends CRUDKubernetesDependentResource<ResourceQuota, TenantControlPlane> {

  public QuotaDependent() {
    super(ResourceQuota.class);
  }

  @Override
  protected ResourceQuota desired(TenantControlPlane primary, Context<TenantControlPlane> context) {
    return Converged.stamped(NamespaceModel.quota(primary.getSpec(), Catalogue.PLANS));
  }

  /** As the server stores it: see {@link Converged}. */
  @Override
  public Result<ResourceQuota> match(
      ResourceQuota actual,
      ResourceQuota desired,
      TenantControlPlane primary,
      Context<TenantControlPlane> context) {
    addMetadata(true, actual, desired, primary, context);
    return Result.computed(Converged.matches(desired, actual), desired);
  }
}
