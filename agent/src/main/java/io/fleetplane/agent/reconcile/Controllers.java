package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.tenant.KubernetesTenantApi;
import io.fleetplane.agent.tenant.TenantApi;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/** Starts the agent's controller on a client: the same configuration in tests and production. */
public final class Controllers {

  private Controllers() {}

  /**
   * A failed reconcile is tried again after 1, 1, 2, 4, 8 and 16 s (GenericRetry repeats its first
   * interval: half a minute in all; at once instead when an event came meanwhile), then the tenant
   * is Failed with the error until its next change; refusals that cannot mend are not retried at
   * all ({@link TenantControlPlaneReconciler#updateErrorStatus}). Beneath it the client retries
   * each request answered 429 or 5xx, or lost to an I/O error, by itself: ten times, after 100 ms
   * doubling to 3.2 s (fabric8's defaults, which Quarkus keeps), so a 5xx reaches the reconcile
   * only once it has lasted some 19 s. A 409 and a timeout reach it at once.
   */
  static final GenericRetry RETRY =
      new GenericRetry()
          .setMaxAttempts(6)
          .setInitialInterval(Duration.ofSeconds(1))
          .setIntervalMultiplier(2)
          .setMaxInterval(Duration.ofMinutes(1).toMillis());

  /**
   * How many tenants are reconciled at once by default (JOSDK's own default is 50 reconciles, and
   * as many threads again for their dependents).
   */
  public static final int CONCURRENT_RECONCILES = 10;

  /** As {@link #operator(KubernetesClient, int)} with {@link #CONCURRENT_RECONCILES}. */
  public static Operator operator(KubernetesClient client) {
    return operator(client, CONCURRENT_RECONCILES);
  }

  /** As {@link #operator(KubernetesClient, TenantApi)}, reaching tenants as their admin. */
  public static Operator operator(KubernetesClient client, int concurrentReconciles) {
    return operator(client, concurrentReconciles, Metrics.NOOP);
  }

  /** As production runs it: reaching tenants as their admin, telling {@code metrics}. */
  public static Operator operator(
      KubernetesClient client, int concurrentReconciles, Metrics metrics) {
    return operator(
        client,
        KubernetesTenantApi.viaAdminKubeconfig(client),
        concurrentReconciles,
        RETRY,
        metrics);
  }

  /** As {@link #operator(KubernetesClient, TenantApi, int, GenericRetry, Metrics)}: defaults. */
  public static Operator operator(KubernetesClient client, TenantApi tenantApi) {
    return operator(client, tenantApi, CONCURRENT_RECONCILES, RETRY, Metrics.NOOP);
  }

  /**
   * An operator with the tenant controller registered, not yet started. Server-side apply is off
   * for the dependents and for the primary (the test API server has none, and production must run
   * the same write path).
   *
   * <p>At most {@code concurrentReconciles} tenants are reconciled at once, and their dependents
   * run on a pool of as many threads (JOSDK's workflow executor); each thread makes one blocking
   * request at a time, so the agent has at most 2 × {@code concurrentReconciles} requests to the
   * API server in flight however many tenants change at once (its informers' watches apart). A
   * thousand tenants after a restart queue up rather than all asking at once.
   *
   * @param tenantApi how hosted operators' tokens are asked of tenants' API servers
   * @param retry when a failed reconcile is tried again ({@link #RETRY} but in tests)
   * @param metrics what is told of each reconcile (nothing is kept yet but in the benchmark)
   */
  static Operator operator(
      KubernetesClient client,
      TenantApi tenantApi,
      int concurrentReconciles,
      GenericRetry retry,
      Metrics metrics) {
    if (concurrentReconciles < 1) {
      throw new IllegalArgumentException(
          "concurrent reconciles must be at least 1, not " + concurrentReconciles);
    }
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withConcurrentReconciliationThreads(concurrentReconciles)
                    .withConcurrentWorkflowExecutorThreads(concurrentReconciles)
                    .withMetrics(metrics)
                    .withCloseClientOnStop(false));
    operator.register(new TenantControlPlaneReconciler(tenantApi), o -> o.withRetry(retry));
    return operator;
  }
}
