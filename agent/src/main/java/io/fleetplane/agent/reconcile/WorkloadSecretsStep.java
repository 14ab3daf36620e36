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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The reading the workload Secrets need, as one explicit step of the reconcile, before its
 * workflow: the Secrets there already are kept; a missing hosted operator's token is asked of the
 * tenant's API server (only once its Deployment is available and the tenant CA is there); a missing
 * kine endpoint is made, with the database password from the platform team's Secret in the agent's
 * namespace when the tenant names one. The result is typed: the Secrets to have, and what is still
 * missing and why.
 */
final class WorkloadSecretsStep {

  private WorkloadSecretsStep() {}

  private static final Logger LOG = Logger.getLogger(WorkloadSecretsStep.class);

  /**
   * @param secrets the workload Secrets the tenant should have now
   * @param pending what a workload still waits for ("crossplane's token", "kine's database
   *     credential") and why
   */
  record Result(List<Secret> secrets, Map<String, String> pending) {}

  static Result run(
      TenantControlPlane primary, Context<TenantControlPlane> context, TenantApi tenantApi) {
    TenantControlPlaneSpec spec = primary.getSpec();
    ControlPlaneModel.Workloads workloads = ControlPlaneModel.workloadsOf(spec, Catalogue.PLANS);
    Map<String, Secret> existing = new LinkedHashMap<>();
    TenantChildren.actual(
            primary,
            context,
            Secret.class,
            s -> WorkloadSecretsDependent.NAMES.contains(s.getMetadata().getName()))
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
        tokenSecret(primary, context, tenantApi, operator, pending).ifPresent(desired::add);
      }
    }
    return new Result(List.copyOf(desired), Map.copyOf(pending));
  }

  /** The operator's token from the tenant's API server, or why not now (into {@code pending}). */
  private static Optional<Secret> tokenSecret(
      TenantControlPlane primary,
      Context<TenantControlPlane> context,
      TenantApi tenantApi,
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
}
