package io.fleetplane.agent;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/** What the agent's integration tests share: the CRD on a test API server, and placements. */
public final class Fixtures {

  private Fixtures() {}

  /**
   * A started API server in CRUD mode (with expectations too, for the tests that set some), over
   * plain HTTP: for tests that need more than the one {@code @EnableKubernetesMockClient} gives.
   */
  public static KubernetesMockServer crudApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    return server;
  }

  /** Installs the generated TenantControlPlane CRD, as `kubectl apply -f deploy/crds/` would. */
  public static void installCrd(KubernetesClient client) {
    try (InputStream in =
        Fixtures.class.getResourceAsStream(
            "/META-INF/fabric8/tenantcontrolplanes.fleetplane.io-v1.yml")) {
      client
          .resource(
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
          .create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A placement as the scheduler writes it: 1500m, 3 GiB, 6 pods, 8Gi, priority 100. */
  public static Placement placement(
      String cluster,
      String tenant,
      String plan,
      long generation,
      DatastoreMode mode,
      Isolation isolation) {
    return new Placement(
        tenant,
        cluster,
        generation,
        plan,
        mode == DatastoreMode.KINE
            ? Datastore.kine("postgres://db.example:5432/" + tenant)
            : Datastore.of(mode),
        isolation,
        new Resources(1500, 3072, 6),
        false,
        8,
        100,
        "r-" + tenant + "-" + generation,
        Instant.parse("2026-11-24T10:00:00Z"));
  }
}
