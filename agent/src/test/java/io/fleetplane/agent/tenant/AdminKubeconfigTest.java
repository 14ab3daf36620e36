package io.fleetplane.agent.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fleetplane.agent.model.PkiModel;
import io.fleetplane.agent.model.TenantNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminKubeconfigTest {

  @Test
  void theAgentReachesATenantAtItsServiceAsItsAdminWithShortTimeouts() {
    Secret admin =
        PkiModel.secrets("acme", List.of(), Map.of(), Clock.systemUTC()).stream()
            .filter(s -> s.getMetadata().getName().equals(TenantNames.ADMIN_KUBECONFIG_SECRET))
            .findFirst()
            .orElseThrow();
    String kubeconfig =
        new String(
            Base64.getDecoder().decode(admin.getData().get(PkiModel.KUBECONFIG)),
            StandardCharsets.UTF_8);

    Config config = AdminKubeconfig.config(kubeconfig);

    assertThat(config.getMasterUrl()).startsWith(PkiModel.apiserverUrl("acme"));
    assertThat(config.getClientCertData()).isNotBlank();
    assertThat(config.getClientKeyData()).isNotBlank();
    assertThat(config.getCaCertData()).isNotBlank();
    assertThat(config.getConnectionTimeout()).isEqualTo(5_000);
    assertThat(config.getRequestTimeout()).isEqualTo(10_000);
    assertThat(config.getRequestRetryBackoffLimit()).isZero();
  }
}
