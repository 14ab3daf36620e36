package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.NamespaceModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Default container requests and limits in the tenant's namespace. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class LimitRangeDependent
    extends CRUDKubernetesDependentResource<LimitRange, TenantControlPlane> {

  public LimitRangeDependent() {
    super(LimitRange.class);
  }

  @Override
  protected LimitRange desired(TenantControlPlane primary, Context<TenantControlPlane> context) {
    return Converged.stamped(NamespaceModel.limits(primary.getSpec()));
  }

  /** As the server stores it: see {@link Converged}. */
  @Override
  public Result<LimitRange> match(
      LimitRange actual,
      LimitRange desired,
      TenantControlPlane primary,
      Context<TenantControlPlane> context) {
    addMetadata(true, actual, desired, primary, context);
    return Result.computed(Converged.matches(desired, actual), desired);
  }
}
