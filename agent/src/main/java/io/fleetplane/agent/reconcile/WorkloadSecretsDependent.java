package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.ControlPlaneModel;
import io.fleetplane.agent.model.DatastoreModel;
import io.fleetplane.agent.model.OperatorModel;
import io.fleetplane.agent.model.PkiModel;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.model.WorkloadNames;
import io.fleetplane.agent.tenant.TenantApi;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The Secrets the workloads read besides the PKI: kine's database endpoint, and each hosted
 * operator's token for the tenant's API server. Created when missing and never rewritten (no
 * updater): the kine endpoint may have had credentials added by hand, and a token is the tenant's
 * to issue, not the agent's to recompute. A token is asked of the tenant's API server (through
 * {@link TenantApi}, found in the workflow's context) only while its host copy is missing and once
 * the API server's Deployment is available; what is still missing, and why, is left in the context
 * under {@link #PENDING_TOKENS} for the status. A token of an operator no longer in the plan is
 * deleted.
 */
public class WorkloadSecretsDependent
    extends KubernetesDependentResource<Secret, TenantControlPlane>
    implements KubernetesBulkDependentResource<Secret, TenantControlPlane>,
        Creator<Secret, TenantControlPlane>,
        GarbageCollected<TenantControlPlane> {

  private static final Logger LOG = Logger.getLogger(WorkloadSecretsDependent.class);

  /**
   * Context key of a {@code Map<String, String>}: what a workload waits for ("crossplane's token",
   * "kine's database credential") to why it is not there yet.
   */
  static final String PENDING_TOKENS = "pending-tokens";

  /** Every name this dependent may own in a tenant's namespace. */
  static final Set<String> NAMES = names();

  public WorkloadSecretsDependent() {
    super(Secret.class);
  }

  @Override
  public Map<ResourceID, Secret> desiredResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    TenantControlPlaneSpec spec = primary.getSpec();
    ControlPlaneModel.Workloads workloads = ControlPlaneModel.workloadsOf(spec, Catalogue.PLANS);
    Map<String, Secret> existing = new LinkedHashMap<>();
    getSecondaryResources(primary, context)
        .values()
        .forEach(s -> existing.put(s.getMetadata().getName(), s));

    List<Secret> desired = new ArrayList<>();
    Map<String, String> pending = new TreeMap<>();
    if (workloads.kine()) {
      Secret kine = existing.get(TenantNames.KINE_DATABASE_SECRET);
      if (kine != null) {
        desired.add(kine);
      } else {
        kineSecret(spec, context, pending).ifPresent(desired::add);
      }
    }
    for (String operator : workloads.operators()) {
      Secret token = existing.get(WorkloadNames.operatorTokenSecret(operator));
      if (token != null) {
        desired.add(token);
      } else {
        tokenSecret(primary, context, operator, pending).ifPresent(desired::add);
      }
    }
    context.managedWorkflowAndDependentResourceContext().put(PENDING_TOKENS, pending);
    return TenantChildren.byId(desired);
  }

  @Override
  public Map<ResourceID, Secret> getSecondaryResources(
      TenantControlPlane primary, Context<TenantControlPlane> context) {
    return TenantChildren.actual(
        primary, context, Secret.class, s -> NAMES.contains(s.getMetadata().getName()));
  }

  /** The operator's token from the tenant's API server, or why not now (into {@code pending}). */
  private Optional<Secret> tokenSecret(
      TenantControlPlane primary,
      Context<TenantControlPlane> context,
      String operator,
      Map<String, String> pending) {
    TenantControlPlaneSpec spec = primary.getSpec();
    boolean apiserverAvailable =
        TenantChildren.actual(
                primary,
                context,
                Deployment.class,
                d -> TenantNames.APISERVER.equals(d.getMetadata().getName()))
            .values()
            .stream()
            .anyMatch(TenantHealth::available);
    if (!apiserverAvailable) {
      pending.put(operator + "'s token", "the tenant API server is not available yet");
      return Optional.empty();
    }
    Optional<String> caCrt =
        TenantChildren.actual(
                primary,
                context,
                Secret.class,
                s -> TenantNames.CA_SECRET.equals(s.getMetadata().getName()))
            .values()
            .stream()
            .map(s -> s.getData() == null ? null : s.getData().get(PkiModel.CA_CRT))
            .filter(c -> c != null)
            .findFirst();
    if (caCrt.isEmpty()) {
      pending.put(operator + "'s token", "the tenant CA is not there yet");
      return Optional.empty();
    }
    TenantApi tenantApi =
        context
            .managedWorkflowAndDependentResourceContext()
            .getMandatory(TenantApi.class, TenantApi.class);
    try {
      Optional<String> token =
          tenantApi.serviceAccountToken(
              spec,
              OperatorModel.tenantNamespace(operator),
              OperatorModel.tenantServiceAccount(operator));
      if (token.isEmpty()) {
        pending.put(operator + "'s token", "the tenant's controller manager has not issued it yet");
        return Optional.empty();
      }
      return Optional.of(OperatorModel.tokenSecret(spec, operator, token.get(), caCrt.get()));
    } catch (RuntimeException e) {
      // The tenant's API server may be available to the host's probes before it serves clients;
      // a later reconcile asks again.
      LOG.infof("%s's token for tenant %s: %s", operator, spec.getTenantId(), e.toString());
      pending.put(
          operator + "'s token", "the tenant API server did not give it: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * kine's endpoint Secret. With a {@code credentialsSecret}, the database's password (and user)
   * come from that Secret in the agent's own namespace, put there by the platform team: events
   * never carry one. Read once, when the tenant's Secret is created.
   */
  private static Optional<Secret> kineSecret(
      TenantControlPlaneSpec spec,
      Context<TenantControlPlane> context,
      Map<String, String> pending) {
    String name = spec.getCredentialsSecret();
    if (name == null) {
      return Optional.of(DatastoreModel.kineDatabaseSecret(spec, Optional.empty()));
    }
    String namespace = context.getClient().getNamespace();
    Secret source = context.getClient().secrets().inNamespace(namespace).withName(name).get();
    Optional<DatastoreModel.DatabaseCredential> credential =
        DatastoreModel.DatabaseCredential.from(source);
    if (credential.isEmpty()) {
      pending.put(
          "kine's database credential",
          "the Secret "
              + namespace
              + "/"
              + name
              + (source == null ? " does not exist" : " has no key 'password'")
              + ": create it in the agent's namespace with the key 'password' (and 'username' if"
              + " the databaseRef names no user)");
      return Optional.empty();
    }
    return Optional.of(DatastoreModel.kineDatabaseSecret(spec, credential));
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
