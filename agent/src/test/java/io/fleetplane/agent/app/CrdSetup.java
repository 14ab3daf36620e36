package io.fleetplane.agent.app;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Installs the TenantControlPlane CRD in the test API server before the agent starts. */
public final class CrdSetup implements Consumer<KubernetesServer> {
  @Override
  public void accept(KubernetesServer server) {
    try (InputStream in =
        getClass()
            .getResourceAsStream("/META-INF/fabric8/tenantcontrolplanes.fleetplane.io-v1.yml")) {
      var client = server.getClient();
      client
          .resource(
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
          .create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
