package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;

/**
 * A tenant's objects of one kind, several of them: created, put back when edited or deleted, and
 * deleted when no longer desired (a bulk dependent). Owned by the tenant's custom resource
 * (GarbageCollected sets the owner reference), so a release removes them with it. Subclasses say
 * what the tenant should have, from its models; whether an object needs writing is decided as the
 * server stores it ({@link Converged}), so a converged tenant costs no write.
 */
abstract class TenantBulkDependent<R extends HasMetadata>
    extends KubernetesDependentResource<R, TenantControlPlane>
    implements CRUDKubernetesBulkDependentResource<R, TenantControlPlane>,
        KubernetesBulkDependentResource<R, TenantControlPlane>,
        GarbageCollected<TenantControlPlane> {

  private final Class<R> type;

  TenantBulkDependent(Class<R> type) {
    super(type);
    this.type = type;
  }

  /** The objects of this kind the tenant should have. */
  abstract List<R> desired(TenantControlPlaneSpec spec);

  @Override
  public final Map<ResourceID, R> desiredResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.byId(
        desired(primary.getSpec()).stream().map(Converged::stamped).toList());
  }

  /** As the server stores it: see {@link Converged}. */
  @Override
  public Result<R> match(
      R actual, R desired, TenantControlPlane primary, Context<TenantControlPlane> context) {
    addMetadata(true, actual, desired, primary, context);
    return Result.computed(Converged.matches(desired, actual), desired);
  }

  @Override
  public final Map<ResourceID, R> getSecondaryResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.actual(primary, context, type, r -> true);
  }
}
