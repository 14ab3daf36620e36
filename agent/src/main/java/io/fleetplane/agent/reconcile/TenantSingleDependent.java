package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * A tenant's one object of a kind, owned by its custom resource: subclasses say what it should be,
 * from the tenant's models; whether it needs writing is decided as the server stores it ({@link
 * Converged}).
 */
abstract class TenantSingleDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, TenantControlPlane> {

  TenantSingleDependent(Class<R> type) {
    super(type);
  }

  /** The object the tenant should have. */
  abstract R desired(TenantControlPlaneSpec spec);

  @Override
  protected final R desired(TenantControlPlane primary, Context<TenantControlPlane> context) {
    return Converged.stamped(desired(primary.getSpec()));
  }

  @Override
  public final Result<R> match(
      R actual, R desired, TenantControlPlane primary, Context<TenantControlPlane> context) {
    addMetadata(true, actual, desired, primary, context);
    return Result.computed(Converged.matches(desired, actual), desired);
  }
}
