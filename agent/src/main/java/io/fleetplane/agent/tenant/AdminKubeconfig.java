package io.fleetplane.agent.tenant;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fleetplane.agent.model.PkiModel;
import io.fleetplane.agent.model.TenantNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A client of a tenant's API server as its admin, from the kubeconfig the agent issued. */
final class AdminKubeconfig {

  private AdminKubeconfig() {}

  /**
   * Short: a reconcile thread waits on these calls, and an unreachable tenant is tried again on a
   * later reconcile rather than held on to.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * @throws IllegalStateException if the tenant's admin kubeconfig is not there (yet)
   */
  static KubernetesClient connect(KubernetesClient host, String tenantId) {
    Secret secret =
        host.secrets()
            .inNamespace(TenantNames.namespace(tenantId))
            .withName(TenantNames.ADMIN_KUBECONFIG_SECRET)
            .get();
    if (secret == null
        || secret.getData() == null
        || secret.getData().get(PkiModel.KUBECONFIG) == null) {
      throw new IllegalStateException(
          "tenant " + tenantId + " has no " + TenantNames.ADMIN_KUBECONFIG_SECRET + " yet");
    }
    String kubeconfig =
        new String(
            Base64.getDecoder().decode(secret.getData().get(PkiModel.KUBECONFIG)),
            StandardCharsets.UTF_8);
    return new KubernetesClientBuilder().withConfig(config(kubeconfig)).build();
  }

  /** The kubeconfig's server and credentials, with this agent's timeouts and no retries. */
  static Config config(String kubeconfig) {
    Config config = Config.fromKubeconfig(kubeconfig);
    config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
    config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
    config.setRequestRetryBackoffLimit(0);
    return config;
  }
}
