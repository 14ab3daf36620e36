package io.fleetplane.agent.reconcile;

import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.time.Duration;
import java.util.Objects;

/**
 * Reconciles each {@link TenantControlPlane} into its objects, one dependent resource per kind; the
 * workflow creates what is missing, puts back what was edited or deleted, and deletes the namespace
 * when the tenant is released. Writes the status only when it changes, so a converged tenant costs
 * no write.
 */
@ControllerConfiguration(name = TenantControlPlaneReconciler.NAME)
@Workflow(
    dependents = {
      @Dependent(name = "namespace", type = NamespaceDependent.class),
      @Dependent(name = "quota", type = QuotaDependent.class, dependsOn = "namespace"),
      @Dependent(name = "limits", type = LimitRangeDependent.class, dependsOn = "namespace"),
      @Dependent(
          name = "network-policies",
          type = NetworkPoliciesDependent.class,
          dependsOn = "namespace"),
      @Dependent(name = "pki", type = PkiSecretsDependent.class, dependsOn = "namespace"),
    })
public class TenantControlPlaneReconciler implements Reconciler<TenantControlPlane> {

  public static final String NAME = "tenant-control-plane";

  /**
   * The shared RuntimeClass is looked at once a minute, not on every reconcile: a restart that
   * reconciles a thousand tenants would otherwise read it a thousand times.
   */
  static final Duration GVISOR_CHECK_EVERY = Duration.ofMinutes(1);

  private volatile long gvisorCheckedAt = System.nanoTime() - GVISOR_CHECK_EVERY.toNanos();

  /** The workloads are not built yet: a tenant whose objects exist is Provisioning. */
  static final String PROVISIONING = "Provisioning";

  @Override
  public UpdateControl<TenantControlPlane> reconcile(
      TenantControlPlane tenant, Context<TenantControlPlane> context) {
    long nanos = System.nanoTime();
    if (nanos - gvisorCheckedAt >= GVISOR_CHECK_EVERY.toNanos()) {
      GvisorRuntimeClass.ensure(context.getClient());
      gvisorCheckedAt = nanos; // after success only: a failed check is tried on the next reconcile
    }
    TenantControlPlaneStatus now = tenant.getStatus();
    long generation =
        tenant.getMetadata().getGeneration() == null ? 0 : tenant.getMetadata().getGeneration();
    if (now != null
        && PROVISIONING.equals(now.getPhase())
        && Objects.equals(now.getObservedGeneration(), generation)) {
      return UpdateControl.noUpdate();
    }
    TenantControlPlaneStatus next = new TenantControlPlaneStatus();
    next.setPhase(PROVISIONING);
    next.setMessage("namespace, quota, limits, network policies and PKI in place");
    next.setObservedGeneration(generation);
    TenantControlPlane patch = new TenantControlPlane();
    patch.setMetadata(tenant.getMetadata());
    patch.setStatus(next);
    return UpdateControl.patchStatus(patch);
  }
}
