package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.tenant.KubernetesTenantApi;
import io.fleetplane.agent.tenant.TenantApi;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/** Starts the agent's controller on a client: the same configuration in tests and production. */
public final class Controllers {

  private Controllers() {}

  /**
   * A failed reconcile is tried again after 1, 2, 4, 8, 16 and 32 s (about a minute in all), then
   * the tenant is Failed with the error until its next change; refusals that cannot mend are not
   * retried at all ({@link TenantControlPlaneReconciler#updateErrorStatus}).
   */
  static final GenericRetry RETRY =
      new GenericRetry()
          .setMaxAttempts(6)
          .setInitialInterval(Duration.ofSeconds(1))
          .setIntervalMultiplier(2)
          .setMaxInterval(Duration.ofMinutes(1).toMillis());

  /** As {@link #operator(KubernetesClient, TenantApi)}, reaching tenants as their admin. */
  public static Operator operator(KubernetesClient client) {
    return operator(client, KubernetesTenantApi.viaAdminKubeconfig(client));
  }

  /**
   * An operator with the tenant controller registered, not yet started. Server-side apply is off
   * for the dependents and for the primary (the test API server has none, and production must run
   * the same write path).
   *
   * @param tenantApi how hosted operators' tokens are asked of tenants' API servers
   */
  public static Operator operator(KubernetesClient client, TenantApi tenantApi) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false));
    operator.register(new TenantControlPlaneReconciler(tenantApi), o -> o.withRetry(RETRY));
    return operator;
  }
}
