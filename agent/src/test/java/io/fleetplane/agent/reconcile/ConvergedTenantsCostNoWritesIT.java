package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.tenant.TenantApiServer;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A converged tenant costs zero writes, on an API server that stores objects as a real one does:
 * the ten tenants of the recorded fixtures (every datastore mode, gVisor, HA, crossplane), made
 * available, then every object of theirs rewritten with a real server's defaults and canonical
 * quantities ({@link ServerLike}). From then on the agent writes nothing — while crossplane tenants
 * wait for their token and are reconciled every 10 s, after a restart of the agent, and while a
 * tenant's namespace is terminating — and it puts back what someone else changes.
 */
class ConvergedTenantsCostNoWritesIT {

  private static final String AGENT = "agent-under-write-count";

  private KubernetesMockServer server;
  private KubernetesClient admin;
  private TenantApiServer tenantApi;
  private Operator operator;

  @BeforeEach
  void start() {
    server = Fixtures.crudApiServer();
    admin = server.createClient();
    Fixtures.installCrd(admin);
    tenantApi = new TenantApiServer();
    operator = startAgent();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    tenantApi.close();
    server.destroy();
  }

  private Operator startAgent() {
    KubernetesClient agent =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(admin.getConfiguration()).withUserAgent(AGENT).build())
            .build();
    Operator o = Controllers.operator(agent, tenantApi.api());
    o.start();
    return o;
  }

  /** The ten tenants of the recorded pairs (k8s-fixtures/README.md). */
  private static List<TenantControlPlaneSpec> tenants() {
    List<TenantControlPlaneSpec> specs = new ArrayList<>();
    specs.add(spec("t-ded", "small", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC, false));
    specs.add(spec("t-shared", "small", DatastoreMode.SHARED_ETCD, Isolation.RUNC, false));
    specs.add(spec("t-kine", "small", DatastoreMode.KINE, Isolation.RUNC, false));
    specs.add(spec("t-ded-gv", "small", DatastoreMode.DEDICATED_ETCD, Isolation.GVISOR, false));
    specs.add(spec("t-shared-gv", "medium", DatastoreMode.SHARED_ETCD, Isolation.GVISOR, false));
    specs.add(spec("t-kine-gv", "small", DatastoreMode.KINE, Isolation.GVISOR, false));
    specs.add(spec("t-ha", "medium", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC, true));
    specs.add(spec("t-ha-kine", "large", DatastoreMode.KINE, Isolation.RUNC, true));
    specs.add(
        spec("t-xp", "crossplane-medium", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC, false));
    specs.add(
        spec("t-xp-gv-ha", "crossplane-medium", DatastoreMode.SHARED_ETCD, Isolation.GVISOR, true));
    return specs;
  }

  private static TenantControlPlaneSpec spec(
      String tenant, String plan, DatastoreMode mode, Isolation isolation, boolean ha) {
    TenantControlPlaneSpec s =
        TenantControlPlaneSpec.of(Fixtures.placement("eu-h1", tenant, plan, 1, mode, isolation));
    s.setHighAvailability(ha);
    return s;
  }

  @Test
  void aConvergedTenantCostsNoWriteWhileWaitingAfterARestartAndWhileItsNamespaceTerminates()
      throws Exception {
    List<TenantControlPlaneSpec> specs = tenants();
    List<String> namespaces =
        specs.stream().map(s -> TenantNames.namespace(s.getTenantId())).toList();
    KubernetesHostCluster host = new KubernetesHostCluster(admin);
    specs.forEach(host::apply);
    for (TenantControlPlaneSpec s : specs) {
      String t = s.getTenantId();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  !admin
                      .apps()
                      .deployments()
                      .inNamespace(TenantNames.namespace(t))
                      .list()
                      .getItems()
                      .isEmpty());
    }
    for (TenantControlPlaneSpec s : specs) {
      HostControllers.makeAvailable(admin, s.getTenantId());
    }
    // Every tenant settled: Ready, or (crossplane) waiting for a token its API server never issues.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> specs.stream().allMatch(s -> settled(s.getTenantId())));

    drainAgentWrites();
    // From here on every agent write counts, those the server's defaults would provoke included.
    assertThat(ServerLike.storeAsARealServerWould(admin, namespaces)).isGreaterThan(100);

    // Crossplane tenants are reconciled every 10 s while they wait: two rounds of that.
    List<String> waiting = agentWritesFor(Duration.ofSeconds(25));
    assertThat(waiting).as("writes while converged and waiting").isEmpty();
    assertThat(message("t-xp")).contains("crossplane's token");

    operator.stop();
    operator = startAgent();
    List<String> restarted = agentWritesFor(Duration.ofSeconds(20));
    assertThat(restarted).as("writes after a restart on converged tenants").isEmpty();

    // Someone edits what the agent set: put back, once.
    admin
        .apps()
        .deployments()
        .inNamespace(TenantNames.namespace("t-ded"))
        .withName(TenantNames.APISERVER)
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:1");
              return d;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !"evil:1"
                    .equals(
                        admin
                            .apps()
                            .deployments()
                            .inNamespace(TenantNames.namespace("t-ded"))
                            .withName(TenantNames.APISERVER)
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage()));

    assertThat(agentWritesFor(Duration.ofSeconds(2)))
        .as("the edit put back, seen by the count")
        .anyMatch(w -> w.startsWith("PUT") && w.contains("/deployments/" + TenantNames.APISERVER));

    // A namespace that is terminating (held by a finalizer here, by its contents on a real
    // server): a child of it deleted meanwhile is not put back, nothing is written but the status.
    String ns = TenantNames.namespace("t-shared");
    admin
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().getFinalizers().add("test.fleetplane.io/hold");
              return n;
            });
    admin.namespaces().withName(ns).delete();
    admin.services().inNamespace(ns).withName(TenantNames.APISERVER).delete();
    drainAgentWrites();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> String.valueOf(message("t-shared")).contains("to finish terminating"));
    List<String> terminating = agentWritesFor(Duration.ofSeconds(12));
    assertThat(terminating)
        .as("writes while the namespace terminates: at most the status saying so")
        .allMatch(w -> w.contains("/tenantcontrolplanes/t-shared/status"));
    assertThat(admin.services().inNamespace(ns).withName(TenantNames.APISERVER).get()).isNull();

    // Once it is gone, the tenant is made again.
    admin
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().getFinalizers().clear();
              return n;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> admin.services().inNamespace(ns).withName(TenantNames.APISERVER).get() != null);
  }

  private boolean settled(String tenant) {
    String m = message(tenant);
    return m != null && (m.startsWith("all ") || m.contains("'s token"));
  }

  private String message(String tenant) {
    TenantControlPlane t = admin.resources(TenantControlPlane.class).withName(tenant).get();
    return t == null || t.getStatus() == null ? null : t.getStatus().getMessage();
  }

  private void drainAgentWrites() throws InterruptedException {
    while (server.takeRequest(20, TimeUnit.MILLISECONDS) != null) {
      // what was asked before this point is not counted
    }
  }

  /** The agent's writes (POST, PUT, PATCH, DELETE) seen over {@code d}, as request lines. */
  private List<String> agentWritesFor(Duration d) throws InterruptedException {
    List<String> writes = new ArrayList<>();
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      var r = server.takeRequest(200, TimeUnit.MILLISECONDS);
      if (r != null && AGENT.equals(r.getHeader("User-Agent")) && !r.getMethod().equals("GET")) {
        writes.add(r.getRequestLine());
      }
    }
    return writes;
  }
}
