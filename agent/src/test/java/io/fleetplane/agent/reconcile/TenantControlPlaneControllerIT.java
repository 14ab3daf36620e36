package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.agent.model.NetworkPolicyModel;
import io.fleetplane.agent.model.PkiModel;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.tenant.TenantApiServer;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller on fabric8's API server in CRUD mode: objects, quiet convergence, drift, release.
 */
@EnableKubernetesMockClient(crud = true)
class TenantControlPlaneControllerIT {

  KubernetesClient client;
  KubernetesMockServer server;
  private TenantApiServer tenantApiServer;
  private Operator operator;

  @BeforeEach
  void start() throws Exception {
    Fixtures.installCrd(client);
    tenantApiServer = new TenantApiServer();
    operator = Controllers.operator(client, tenantApiServer.api());
    operator.start();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    tenantApiServer.close();
  }

  private static TenantControlPlaneSpec spec(String tenant, DatastoreMode mode) {
    return TenantControlPlaneSpec.of(
        Fixtures.placement("eu-h1", tenant, "medium", 1, mode, Isolation.GVISOR));
  }

  private String ns(String tenant) {
    return TenantNames.namespace(tenant);
  }

  private Map<String, NetworkPolicy> policies(String tenant) {
    return client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(ns(tenant))
        .list()
        .getItems()
        .stream()
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
  }

  private void awaitConverged(String tenant) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              TenantControlPlane t =
                  client.resources(TenantControlPlane.class).withName(tenant).get();
              return t != null
                  && t.getStatus() != null
                  && "Provisioning".equals(t.getStatus().getPhase())
                  && policies(tenant).size() >= 4;
            });
  }

  @Test
  void buildsTheNamespaceQuotaLimitsAndNetworkPoliciesOfATenant() {
    new KubernetesHostCluster(client).apply(spec("acme", DatastoreMode.SHARED_ETCD));
    awaitConverged("acme");

    Namespace n = client.namespaces().withName(ns("acme")).get();
    assertThat(n.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted")
        .containsEntry(Labels.TENANT, "acme")
        .containsEntry(Labels.MANAGED_BY, Labels.AGENT);

    ResourceQuota q =
        client.resourceQuotas().inNamespace(ns("acme")).withName(TenantNames.QUOTA).get();
    assertThat(q.getSpec().getHard())
        .containsEntry("requests.cpu", new Quantity("1500m"))
        .containsEntry("limits.memory", new Quantity("3072Mi"))
        .containsEntry("pods", new Quantity("6"))
        .as("a shared etcd claims no volume")
        .containsEntry("requests.storage", new Quantity("0Gi"))
        .containsEntry("persistentvolumeclaims", new Quantity("0"));
    TenantControlPlane owner = client.resources(TenantControlPlane.class).withName("acme").get();
    assertThat(q.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(owner.getMetadata().getUid()));
    LimitRange l = client.limitRanges().inNamespace(ns("acme")).withName(TenantNames.LIMITS).get();
    assertThat(l.getSpec().getLimits())
        .singleElement()
        .satisfies(i -> assertThat(i.getType()).isEqualTo("Container"));

    Map<String, NetworkPolicy> p = policies("acme");
    assertThat(p)
        .containsOnlyKeys(
            NetworkPolicyModel.DENY_ALL,
            NetworkPolicyModel.ALLOW_NAMESPACE,
            NetworkPolicyModel.ALLOW_DNS,
            NetworkPolicyModel.ALLOW_DATASTORE,
            NetworkPolicyModel.ALLOW_GATEWAY);
    NetworkPolicy deny = p.get(NetworkPolicyModel.DENY_ALL);
    assertThat(deny.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(owner.getMetadata().getUid()));
    assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
    assertThat(deny.getSpec().getEgress()).isNullOrEmpty();

    NetworkPolicy dns = p.get(NetworkPolicyModel.ALLOW_DNS);
    NetworkPolicyPeer dnsPeer = dns.getSpec().getEgress().get(0).getTo().get(0);
    assertThat(dnsPeer.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system"));
    assertThat(dnsPeer.getPodSelector().getMatchLabels())
        .containsExactly(Map.entry("k8s-app", "kube-dns"));
    assertThat(dns.getSpec().getEgress().get(0).getPorts())
        .extracting(x -> x.getProtocol() + "/" + x.getPort().getIntVal())
        .containsExactlyInAnyOrder("UDP/53", "TCP/53");

    NetworkPolicy datastore = p.get(NetworkPolicyModel.ALLOW_DATASTORE);
    assertThat(datastore.getSpec().getPodSelector().getMatchLabels())
        .containsExactly(Map.entry(Labels.COMPONENT, TenantNames.APISERVER));
    NetworkPolicyPeer etcd = datastore.getSpec().getEgress().get(0).getTo().get(0);
    assertThat(etcd.getNamespaceSelector().getMatchLabels())
        .containsExactly(
            Map.entry("kubernetes.io/metadata.name", TenantNames.SHARED_ETCD_NAMESPACE));
    assertThat(datastore.getSpec().getEgress().get(0).getPorts())
        .extracting(x -> x.getPort().getIntVal())
        .containsExactly(2379);

    NetworkPolicy gateway = p.get(NetworkPolicyModel.ALLOW_GATEWAY);
    assertThat(gateway.getSpec().getIngress().get(0).getFrom())
        .extracting(peer -> peer.getNamespaceSelector().getMatchLabels())
        .containsExactly(
            Map.of(TenantNames.GATEWAY_NAMESPACE_LABEL, "true"),
            Map.of(TenantNames.AGENT_NAMESPACE_LABEL, "true"));
    assertThat(gateway.getSpec().getIngress().get(0).getPorts())
        .extracting(x -> x.getPort().getIntVal())
        .containsExactly(6443);

    RuntimeClass gvisor = client.resources(RuntimeClass.class).withName("gvisor").get();
    assertThat(gvisor.getHandler()).isEqualTo("runsc");
    assertThat(gvisor.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void issuesTheTenantPkiOnceWithAServingCertificateThatChainsToTheTenantCa() throws Exception {
    new KubernetesHostCluster(client).apply(spec("pki", DatastoreMode.SHARED_ETCD));
    awaitConverged("pki");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client.secrets().inNamespace(ns("pki")).list().getItems().stream()
                    .map(x -> x.getMetadata().getName())
                    .collect(Collectors.toSet())
                    .containsAll(PkiSecretsDependent.NAMES));
    var ca =
        PkiModel.certificate(
            client.secrets().inNamespace(ns("pki")).withName(TenantNames.CA_SECRET).get(),
            PkiModel.TLS_CRT);
    var serving =
        PkiModel.certificate(
            client
                .secrets()
                .inNamespace(ns("pki"))
                .withName(TenantNames.APISERVER_CERT_SECRET)
                .get(),
            PkiModel.TLS_CRT);
    serving.verify(ca.getPublicKey()); // throws unless the tenant CA signed it
    assertThat(serving.getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .contains((Object) "kube-apiserver.tenant-pki.svc", "127.0.0.1");
    assertThat(
            client
                .secrets()
                .inNamespace(ns("pki"))
                .withName(TenantNames.CA_SECRET)
                .get()
                .getMetadata()
                .getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("TenantControlPlane"));
  }

  @Test
  void aDedicatedEtcdNeedsNoDatastoreAllowAndKineReachesItsDatabasePorts() {
    new KubernetesHostCluster(client).apply(spec("ded", DatastoreMode.DEDICATED_ETCD));
    new KubernetesHostCluster(client).apply(spec("kin", DatastoreMode.KINE));
    awaitConverged("ded");
    awaitConverged("kin");
    assertThat(policies("ded")).doesNotContainKey(NetworkPolicyModel.ALLOW_DATASTORE).hasSize(4);
    // one etcd member (medium, not HA) with its 8Gi volume
    assertThat(
            client
                .resourceQuotas()
                .inNamespace(ns("ded"))
                .withName(TenantNames.QUOTA)
                .get()
                .getSpec()
                .getHard())
        .containsEntry("requests.storage", new Quantity("8Gi"))
        .containsEntry("persistentvolumeclaims", new Quantity("1"));
    assertThat(
            policies("kin")
                .get(NetworkPolicyModel.ALLOW_DATASTORE)
                .getSpec()
                .getEgress()
                .get(0)
                .getPorts())
        .extracting(x -> x.getPort().getIntVal())
        .containsExactlyInAnyOrder(5432, 3306);
  }

  @Test
  void aConvergedTenantCostsNoWriteEvenAfterARestart() throws Exception {
    new KubernetesHostCluster(client).apply(spec("quiet", DatastoreMode.SHARED_ETCD));
    awaitConverged("quiet");
    // And one with every kind of workload: its own etcd, a hosted operator and its token.
    new KubernetesHostCluster(client)
        .apply(
            TenantControlPlaneSpec.of(
                Fixtures.placement(
                    "eu-h1",
                    "quiet-xp",
                    "crossplane-medium",
                    1,
                    DatastoreMode.DEDICATED_ETCD,
                    Isolation.GVISOR)));
    awaitConverged("quiet-xp");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> workloads("quiet") == 2 && workloads("quiet-xp") == 4);
    HostControllers.makeAvailable(client, "quiet");
    HostControllers.makeAvailable(client, "quiet-xp");
    await().atMost(Duration.ofSeconds(20)).until(() -> tenantApiServer.issueTokens("tok") == 1);
    awaitPhase("quiet", "Ready");
    awaitPhase("quiet-xp", "Ready");
    operator.stop();
    drain();
    tenantApiServer.drain();

    operator = Controllers.operator(client, tenantApiServer.api());
    operator.start();
    Thread.sleep(3_000); // informers list, the tenant is reconciled once
    List<String> requests = drainAll();
    assertThat(requests)
        .as("the restarted controller reconciled (it looks at the shared PriorityClass first)")
        .anyMatch(r -> r.startsWith("GET /apis/scheduling.k8s.io/v1/priorityclasses/"));
    List<String> writes = requests.stream().filter(r -> !r.startsWith("GET ")).toList();
    assertThat(writes).isEmpty();
    assertThat(tenantApiServer.drain()).as("requests to the tenant's API server").isEmpty();
    assertThat(client.resources(TenantControlPlane.class).list().getItems())
        .extracting(t -> t.getStatus().getPhase())
        .containsExactly("Ready", "Ready");
  }

  /** The tenant's Deployments and StatefulSets. */
  private int workloads(String tenant) {
    return client.apps().deployments().inNamespace(ns(tenant)).list().getItems().size()
        + client.apps().statefulSets().inNamespace(ns(tenant)).list().getItems().size();
  }

  private void awaitPhase(String tenant, String phase) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              TenantControlPlane t =
                  client.resources(TenantControlPlane.class).withName(tenant).get();
              return t != null && t.getStatus() != null && phase.equals(t.getStatus().getPhase());
            });
  }

  @Test
  void putsBackAChildThatWasDeletedOrEdited() {
    new KubernetesHostCluster(client).apply(spec("drift", DatastoreMode.SHARED_ETCD));
    awaitConverged("drift");

    client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(ns("drift"))
        .withName(NetworkPolicyModel.DENY_ALL)
        .delete();
    client
        .resourceQuotas()
        .inNamespace(ns("drift"))
        .withName(TenantNames.QUOTA)
        .edit(
            q -> {
              q.getSpec().getHard().put("pods", new Quantity("600"));
              return q;
            });

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> policies("drift").containsKey(NetworkPolicyModel.DENY_ALL));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                new Quantity("6")
                    .equals(
                        client
                            .resourceQuotas()
                            .inNamespace(ns("drift"))
                            .withName(TenantNames.QUOTA)
                            .get()
                            .getSpec()
                            .getHard()
                            .get("pods")));
  }

  @Test
  void releasingATenantDeletesItsNamespaceButNotTheSharedRuntimeClass() {
    KubernetesHostCluster cluster = new KubernetesHostCluster(client);
    cluster.apply(spec("gone", DatastoreMode.SHARED_ETCD));
    awaitConverged("gone");

    cluster.delete("gone");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.namespaces().withName(ns("gone")).get() == null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.resources(TenantControlPlane.class).withName("gone").get() == null);
    assertThat(client.resources(RuntimeClass.class).withName("gvisor").get()).isNotNull();
  }

  /** The write requests the API server received since the last call. */
  private List<String> drain() throws InterruptedException {
    return drainAll().stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  /** Every request the API server received since the last call, as request lines. */
  private List<String> drainAll() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    for (var r = server.takeRequest(50, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
      requests.add(r.getRequestLine());
    }
    return requests;
  }
}
