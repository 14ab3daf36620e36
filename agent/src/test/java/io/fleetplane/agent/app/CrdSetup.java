package io.fleetplane.agent.app;

import io.fleetplane.agent.Fixtures;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.function.Consumer;

/** Installs the TenantControlPlane CRD in the test API server before the agent starts. */
public final class CrdSetup implements Consumer<KubernetesServer> {
  @Override
  public void accept(KubernetesServer server) {
    Fixtures.installCrd(server.getClient());
  }
}
