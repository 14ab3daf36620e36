package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.model.WorkloadNames;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The Secrets the workloads read besides the PKI: kine's database endpoint, and each hosted
 * operator's token for the tenant's API server. Created when missing and never rewritten (no
 * updater): a token is the tenant's to issue, not the agent's to recompute. What they should be is
 * found before the workflow by an explicit step that does the reading ({@link WorkloadSecretsStep}:
 * the tenant's API server, the platform team's credential Secret); this dependent only takes its
 * typed result. A token of an operator no longer in the plan is deleted.
 */
public class WorkloadSecretsDependent
    extends KubernetesDependentResource<Secret, TenantControlPlane>
    implements KubernetesBulkDependentResource<Secret, TenantControlPlane>,
        Creator<Secret, TenantControlPlane>,
        GarbageCollected<TenantControlPlane> {

  private static final Logger LOG = Logger.getLogger(WorkloadSecretsDependent.class);

  /** Every name this dependent may own in a tenant's namespace. */
  static final Set<String> NAMES = names();

  public WorkloadSecretsDependent() {
    super(Secret.class);
  }

  /** What the reconcile's explicit step found ({@link WorkloadSecretsStep}): no I/O here. */
  @Override
  public Map<ResourceID, Secret> desiredResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.byId(
        context
            .managedWorkflowAndDependentResourceContext()
            .getMandatory(WorkloadSecretsStep.Result.class, WorkloadSecretsStep.Result.class)
            .secrets());
  }

  @Override
  public Map<ResourceID, Secret> getSecondaryResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.actual(
        primary, context, Secret.class, s -> NAMES.contains(s.getMetadata().getName()));
  }

  private static Set<String> names() {
    Set<String> names = new HashSet<>();
    names.add(TenantNames.KINE_DATABASE_SECRET);
    Catalogue.PLANS
        .operators()
        .keySet()
        .forEach(o -> names.add(WorkloadNames.operatorTokenSecret(o)));
    return Set.copyOf(names);
  }
}
