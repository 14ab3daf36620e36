package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;

/** Starts the agent's controller on a client: the same configuration in tests and production. */
public final class Controllers {

  private Controllers() {}

  /**
   * An operator with the tenant controller registered, not yet started. Server-side apply is off
   * for the dependents and for the primary (the test API server has none, and production must run
   * the same write path).
   */
  public static Operator operator(KubernetesClient client) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false));
    operator.register(new TenantControlPlaneReconciler());
    return operator;
  }
}
