package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.NamespaceModel;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The tenant's namespace. Deleted explicitly when the tenant is released (not left to the garbage
 * collector), which takes everything in it along.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.OURS))
public class NamespaceDependent
    extends CRUDNoGCKubernetesDependentResource<Namespace, TenantControlPlane> {

  public NamespaceDependent() {
    super(Namespace.class);
  }

  @Override
  protected Namespace desired(TenantControlPlane primary, Context<TenantControlPlane> context) {
    return Converged.stamped(NamespaceModel.namespace(primary.getSpec()));
  }

  /** As the server stores it: see {@link Converged}. */
  @Override
  public Result<Namespace> match(
      Namespace actual,
      Namespace desired,
      TenantControlPlane primary,
      Context<TenantControlPlane> context) {
    addMetadata(true, actual, desired, primary, context);
    return Result.computed(Converged.matches(desired, actual), desired);
  }
}
