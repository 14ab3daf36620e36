package io.fleetplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fleetplane.agent.app.Leadership;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.fleetplane.agent.follow.PlacementFollower;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.model.WorkloadNames;
import io.fleetplane.agent.reconcile.Controllers;
import io.fleetplane.agent.reconcile.HostControllers;
import io.fleetplane.agent.report.HostFacts;
import io.fleetplane.agent.report.HostReporter;
import io.fleetplane.agent.report.StatusReporter;
import io.fleetplane.agent.tenant.TenantApiServer;
import io.fleetplane.agent.tenant.ViaAdminKubeconfig;
import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.PlacementKey;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent's RBAC in deploy/ is exactly what its code needs, found by watching the code rather
 * than by reading it. Every part of the agent runs as in production — leader election on a Lease
 * (two replicas, one takes over), the follower replaying and following its partition of the
 * placements from a real broker, the controller (the operator of {@link Controllers}) reconciling
 * tenants of every datastore mode and isolation and the hosted-operator plan, putting back edited
 * and deleted objects, deleting what a tenant no longer needs, being restarted, releasing a tenant,
 * and the host and status reporters — against fabric8's API server in CRUD mode. Every request the
 * agent's client sends (told apart from the test's own by its User-Agent) is turned into the verb,
 * API group and resource the API server would authorize; then the overlay
 * deploy/agent/overlays/eu-west-h001 is rendered with kubectl kustomize, and the rules bound to the
 * agent's ServiceAccount must grant every request seen, and nothing that was not seen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentRbacIT {

  static final String CLUSTER = "eu-west-h001";
  static final Path OVERLAY = Path.of("..", "deploy", "agent", "overlays", CLUSTER);
  static final String AGENT = "fleetplane-agent-under-rbac-test";

  /**
   * Grants no test here can observe, each with the reason. Empty: every grant of the agent's RBAC
   * is needed by a request the scenario makes the agent send.
   */
  static final Set<String> GRANTED_THOUGH_NOT_OBSERVED = Set.of();

  /**
   * Non-resource URLs every authenticated account may read (roles system:discovery and
   * system:public-info-viewer).
   */
  static final Set<String> DISCOVERY =
      Set.of("/api", "/apis", "/version", "/healthz", "/livez", "/readyz");

  private RenderedRbac rbac;
  private KubernetesMockServer host;
  private KubernetesClient admin;
  private KubernetesClient agent;
  private TenantApiServer tenantApi;
  private KafkaBroker kafka;
  private final List<ApiRequest> observed = new ArrayList<>();
  private int testRequests;

  @BeforeAll
  void runTheAgentsCodePaths() throws Exception {
    rbac = RenderedRbac.of(OVERLAY); // first: without kubectl there is nothing to compare with
    host = Fixtures.crudApiServer();
    admin = host.createClient();
    agent =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(admin.getConfiguration()).withUserAgent(AGENT).build())
            .build();
    tenantApi = new TenantApiServer();
    kafka = KafkaBrokers.start();
    kafka.createTopics(
        List.of(
            Topics.PLACEMENTS.newTopic((short) 1),
            Topics.HOST_REPORTS.newTopic((short) 1),
            Topics.TENANT_EVENTS.newTopic((short) 1)));

    // What `kubectl apply -k` and the cluster provide before the agent starts.
    Fixtures.installCrd(admin);
    admin
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(rbac.namespace())
                .endMetadata()
                .build())
        .create();
    node("node-a");
    node("node-b");

    Scenario scenario = new Scenario();
    try {
      scenario.run();
    } finally {
      scenario.close();
    }
    drain();
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (tenantApi != null) {
      tenantApi.close();
    }
    if (host != null) {
      host.destroy();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  // ---- what is checked -----------------------------------------------------------------------

  @Test
  void theScenarioMadeTheAgentDoEveryKindOfWork() {
    assertThat(testRequests).as("the test's own requests, told apart").isPositive();
    assertThat(triples(observed))
        .contains(
            "fleetplane.io tenantcontrolplanes create",
            "fleetplane.io tenantcontrolplanes update",
            "fleetplane.io tenantcontrolplanes delete",
            "fleetplane.io tenantcontrolplanes watch",
            "coordination.k8s.io leases create",
            "coordination.k8s.io leases patch",
            "\"\" namespaces create",
            "\"\" namespaces delete",
            "\"\" secrets create",
            "apps deployments create",
            "apps deployments update",
            "apps deployments delete",
            "apps statefulsets update",
            "networking.k8s.io networkpolicies delete",
            "\"\" nodes watch",
            "\"\" pods watch",
            "\"\" persistentvolumeclaims watch",
            "storage.k8s.io storageclasses watch",
            "storage.k8s.io csistoragecapacities watch",
            "node.k8s.io runtimeclasses update",
            "scheduling.k8s.io priorityclasses create");
  }

  @Test
  void everyRequestTheAgentMadeIsGrantedToItsServiceAccount() {
    Map<String, Set<String>> refused = new TreeMap<>();
    for (ApiRequest r : observed) {
      if (r.isResource() && rbac.grants().stream().noneMatch(g -> g.covers(r))) {
        refused
            .computeIfAbsent(
                r.triple() + (r.namespace() == null ? "" : " in " + r.namespace()),
                k -> new TreeSet<>())
            .add(r.requestLine());
      }
    }
    assertThat(refused)
        .as(
            "requests of the agent that %s's RBAC does not grant (grants: %s)",
            OVERLAY, rbac.grants())
        .isEmpty();
  }

  @Test
  void itsRbacGrantsNothingTheAgentWasNotSeenToDo() {
    List<String> unused = new ArrayList<>();
    for (RenderedRbac.Grant g : rbac.grants()) {
      if (observed.stream().noneMatch(g::covers)
          && !GRANTED_THOUGH_NOT_OBSERVED.contains(g.triple())) {
        unused.add(g.toString());
      }
    }
    assertThat(unused)
        .as(
            "grants of %s that the agent was never seen to use (seen: %s)",
            OVERLAY, triples(observed))
        .isEmpty();
  }

  @Test
  void itReadsOnlyDiscoveryOutsideResources() {
    assertThat(observed)
        .filteredOn(r -> !r.isResource())
        .allSatisfy(
            r ->
                assertThat(
                        DISCOVERY.contains(r.nonResourcePath())
                            || r.nonResourcePath().startsWith("/api/")
                            || r.nonResourcePath().startsWith("/apis/")
                            || r.nonResourcePath().startsWith("/openapi/"))
                    .as(r.requestLine())
                    .isTrue());
  }

  // ---- the scenario --------------------------------------------------------------------------

  /** The agent's parts, started and driven as the application drives them. */
  private final class Scenario implements AutoCloseable {

    private final String lease = "fleet-agent-" + CLUSTER;
    private Leadership first;
    private Leadership second;
    private Operator operator;
    private KafkaProducer<String, byte[]> producer;
    private PlacementFollower follower;
    private KubernetesHostCluster agentCluster;
    private HostReporter hostReporter;
    private StatusReporter statusReporter;

    void run() throws Exception {
      leaderElection();

      producer =
          new KafkaProducer<>(
              kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer());
      operator = Controllers.operator(agent, ViaAdminKubeconfig.to(agent, tenantApi));
      operator.start();
      agentCluster = new KubernetesHostCluster(agent);
      hostReporter =
          new HostReporter(
              agentCluster, facts(), producer, Clock.systemUTC(), Duration.ofSeconds(30));
      statusReporter = new StatusReporter(agentCluster, CLUSTER, producer, Clock.systemUTC());

      // A tenant of ours that is no longer placed: the replay removes it.
      new KubernetesHostCluster(admin)
          .apply(spec("stale", "small", DatastoreMode.SHARED_ETCD, Isolation.RUNC, 1));
      publish(
          placement("ded", "medium", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC, 1),
          placement("shr", "medium", DatastoreMode.SHARED_ETCD, Isolation.GVISOR, 1),
          placement("kin", "medium", DatastoreMode.KINE, Isolation.RUNC, 1),
          placement("xp", "crossplane-medium", DatastoreMode.DEDICATED_ETCD, Isolation.GVISOR, 1),
          placement("gone", "small", DatastoreMode.SHARED_ETCD, Isolation.RUNC, 1));
      follower =
          new PlacementFollower(
                  kafka.clientProperties(),
                  Topics.PLACEMENTS.name(),
                  CLUSTER,
                  new KubernetesHostCluster(agent))
              .start();
      assertThat(follower.awaitReplayed(Duration.ofSeconds(60))).isTrue();
      assertThat(follower.desired()).containsOnlyKeys("ded", "shr", "kin", "xp", "gone");
      awaitGone("stale");

      awaitObjects("ded", 2, 1, 3);
      awaitObjects("shr", 2, 0, 1);
      awaitObjects("kin", 2, 0, 1);
      awaitObjects("xp", 3, 1, 3);
      awaitObjects("gone", 2, 0, 1);
      for (String t : List.of("ded", "shr", "kin", "xp", "gone")) {
        HostControllers.makeAvailable(admin, t);
      }
      // The hosted operator's token: the agent reads the admin kubeconfig from the host and asks
      // the tenant's API server, whose controller manager (the test) issues it.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> tenantApi.issueTokens("tok-xp") > 0 || tokenSecret("xp") != null);
      await().atMost(Duration.ofSeconds(60)).until(() -> tokenSecret("xp") != null);
      HostControllers.makeAvailable(admin, "xp");
      for (String t : List.of("ded", "shr", "kin", "xp", "gone")) {
        awaitPhase(t, TenantControlPlaneStatus.READY);
      }
      hostReporter.maybeReport();

      drift();
      HostControllers.makeAvailable(
          admin, "ded"); // its controller manager's Deployment was deleted and made again
      leftovers();

      // The plan loses its hosted operator: its Deployment and token Secret go.
      publish(placement("xp", "medium", DatastoreMode.DEDICATED_ETCD, Isolation.GVISOR, 2));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> deployment("xp", "crossplane") == null && tokenSecret("xp") == null);

      restart();

      // Release: the follower deletes the resource, the controller the namespace.
      publish(release("gone"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.namespaces().withName(TenantNames.namespace("gone")).get() == null);
      awaitGone("gone");
      hostReporter.maybeReport();

      // The leader lets go of the Lease on shutdown.
      second.close();
      second = null;
    }

    /** Two replicas on one Lease: the first leads, the second takes over when it goes. */
    private void leaderElection() {
      AtomicBoolean firstLeads = new AtomicBoolean();
      AtomicBoolean secondLeads = new AtomicBoolean();
      first =
          new Leadership(
              agent, rbac.namespace(), lease, "agent-0", () -> firstLeads.set(true), () -> {});
      await().atMost(Duration.ofSeconds(30)).untilTrue(firstLeads);
      second =
          new Leadership(
              agent, rbac.namespace(), lease, "agent-1", () -> secondLeads.set(true), () -> {});
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilFalse(secondLeads);
      first.close();
      first = null;
      await().atMost(Duration.ofSeconds(30)).untilTrue(secondLeads);
    }

    /** Objects edited or deleted by hand are put back. */
    private void drift() {
      String ns = TenantNames.namespace("ded");
      String cmUid = deployment("ded", TenantNames.CONTROLLER_MANAGER).getMetadata().getUid();
      admin.apps().deployments().inNamespace(ns).withName(TenantNames.CONTROLLER_MANAGER).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var d = deployment("ded", TenantNames.CONTROLLER_MANAGER);
                return d != null && !d.getMetadata().getUid().equals(cmUid);
              });

      int replicas = deployment("ded", TenantNames.APISERVER).getSpec().getReplicas();
      admin
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName(TenantNames.APISERVER)
          .edit(
              d ->
                  new DeploymentBuilder(d).editSpec().withReplicas(replicas + 4).endSpec().build());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> deployment("ded", TenantNames.APISERVER).getSpec().getReplicas() == replicas);

      int members =
          admin
              .apps()
              .statefulSets()
              .inNamespace(ns)
              .withName(TenantNames.ETCD)
              .get()
              .getSpec()
              .getReplicas();
      admin
          .apps()
          .statefulSets()
          .inNamespace(ns)
          .withName(TenantNames.ETCD)
          .edit(
              s ->
                  new StatefulSetBuilder(s).editSpec().withReplicas(members + 2).endSpec().build());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                          .apps()
                          .statefulSets()
                          .inNamespace(ns)
                          .withName(TenantNames.ETCD)
                          .get()
                          .getSpec()
                          .getReplicas()
                      == members);

      admin
          .services()
          .inNamespace(ns)
          .withName(TenantNames.APISERVER)
          .edit(
              s ->
                  new ServiceBuilder(s)
                      .editSpec()
                      .editFirstPort()
                      .withPort(7443)
                      .endPort()
                      .endSpec()
                      .build());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                          .services()
                          .inNamespace(ns)
                          .withName(TenantNames.APISERVER)
                          .get()
                          .getSpec()
                          .getPorts()
                          .get(0)
                          .getPort()
                      == TenantNames.APISERVER_PORT);

      admin
          .network()
          .v1()
          .networkPolicies()
          .inNamespace(ns)
          .withName("allow-dns")
          .edit(
              p ->
                  new NetworkPolicyBuilder(p)
                      .editSpec()
                      .editFirstEgress()
                      .editFirstPort()
                      .withPort(new IntOrString(5353))
                      .endPort()
                      .endEgress()
                      .endSpec()
                      .build());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                          .network()
                          .v1()
                          .networkPolicies()
                          .inNamespace(ns)
                          .withName("allow-dns")
                          .get()
                          .getSpec()
                          .getEgress()
                          .get(0)
                          .getPorts()
                          .get(0)
                          .getPort()
                          .getIntVal()
                      == 53);

      Map<String, Quantity> hard =
          admin
              .resourceQuotas()
              .inNamespace(ns)
              .withName(TenantNames.QUOTA)
              .get()
              .getSpec()
              .getHard();
      admin
          .resourceQuotas()
          .inNamespace(ns)
          .withName(TenantNames.QUOTA)
          .edit(
              q -> {
                q.getSpec().setHard(Map.of("pods", new Quantity("1000")));
                return q;
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  hard.equals(
                      admin
                          .resourceQuotas()
                          .inNamespace(ns)
                          .withName(TenantNames.QUOTA)
                          .get()
                          .getSpec()
                          .getHard()));

      var limits = admin.limitRanges().inNamespace(ns).withName(TenantNames.LIMITS).get().getSpec();
      admin
          .limitRanges()
          .inNamespace(ns)
          .withName(TenantNames.LIMITS)
          .edit(
              l -> {
                l.getSpec().getLimits().get(0).setDefault(Map.of("cpu", new Quantity("7")));
                return l;
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  limits.equals(
                      admin
                          .limitRanges()
                          .inNamespace(ns)
                          .withName(TenantNames.LIMITS)
                          .get()
                          .getSpec()));

      Map<String, String> nsLabels =
          admin.namespaces().withName(ns).get().getMetadata().getLabels();
      admin
          .namespaces()
          .withName(ns)
          .edit(
              n -> {
                n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "privileged");
                return n;
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  nsLabels.equals(admin.namespaces().withName(ns).get().getMetadata().getLabels()));

      // A certificate that no longer parses is issued again.
      Secret ca = admin.secrets().inNamespace(ns).withName(TenantNames.CA_SECRET).get();
      String caCrt = ca.getData().get("tls.crt");
      admin
          .secrets()
          .inNamespace(ns)
          .withName(TenantNames.CA_SECRET)
          .edit(
              s -> {
                s.getData().put("tls.crt", "bm90IGEgY2VydGlmaWNhdGU=");
                return s;
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                String now =
                    admin
                        .secrets()
                        .inNamespace(ns)
                        .withName(TenantNames.CA_SECRET)
                        .get()
                        .getData()
                        .get("tls.crt");
                return !now.equals("bm90IGEgY2VydGlmaWNhdGU=") && !now.equals(caCrt);
              });

      // kine's Secret is never rewritten, but put back when deleted.
      String kns = TenantNames.namespace("kin");
      admin.secrets().inNamespace(kns).withName(TenantNames.KINE_DATABASE_SECRET).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin.secrets().inNamespace(kns).withName(TenantNames.KINE_DATABASE_SECRET).get()
                      != null);
    }

    /**
     * Objects of a tenant that this agent no longer desires, as an earlier version of it may have
     * left them (ours by label, owned by the tenant): every bulk dependent deletes them.
     */
    private void leftovers() {
      String ns = TenantNames.namespace("shr");
      TenantControlPlane owner = admin.resources(TenantControlPlane.class).withName("shr").get();
      var ref =
          new OwnerReferenceBuilder()
              .withApiVersion(owner.getApiVersion())
              .withKind(owner.getKind())
              .withName("shr")
              .withUid(owner.getMetadata().getUid())
              .withController(true)
              .build();
      Map<String, String> labels = Labels.ofComponent("shr", "legacy");
      List<HasMetadata> left =
          List.of(
              new NetworkPolicyBuilder()
                  .withNewMetadata()
                  .withName("allow-legacy")
                  .withNamespace(ns)
                  .withLabels(labels)
                  .withOwnerReferences(ref)
                  .endMetadata()
                  .withNewSpec()
                  .withNewPodSelector()
                  .withMatchLabels(labels)
                  .endPodSelector()
                  .endSpec()
                  .build(),
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("legacy")
                  .withNamespace(ns)
                  .withLabels(labels)
                  .withOwnerReferences(ref)
                  .endMetadata()
                  .withNewSpec()
                  .withSelector(labels)
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build(),
              new StatefulSetBuilder()
                  .withNewMetadata()
                  .withName("legacy-etcd")
                  .withNamespace(ns)
                  .withLabels(labels)
                  .withOwnerReferences(ref)
                  .endMetadata()
                  .withNewSpec()
                  .withReplicas(1)
                  .withServiceName("legacy")
                  .withNewSelector()
                  .withMatchLabels(labels)
                  .endSelector()
                  .withNewTemplate()
                  .withNewMetadata()
                  .withLabels(labels)
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("etcd")
                  .withImage("registry.k8s.io/etcd:3.5.16-0")
                  .endContainer()
                  .endSpec()
                  .endTemplate()
                  .endSpec()
                  .build(),
              new DeploymentBuilder()
                  .withNewMetadata()
                  .withName("legacy")
                  .withNamespace(ns)
                  .withLabels(labels)
                  .withOwnerReferences(ref)
                  .endMetadata()
                  .withNewSpec()
                  .withReplicas(1)
                  .withNewSelector()
                  .withMatchLabels(labels)
                  .endSelector()
                  .withNewTemplate()
                  .withNewMetadata()
                  .withLabels(labels)
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("legacy")
                  .withImage("registry.k8s.io/pause:3.10")
                  .endContainer()
                  .endSpec()
                  .endTemplate()
                  .endSpec()
                  .build());
      left.forEach(o -> admin.resource(o).create());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> left.stream().allMatch(o -> admin.resource(o).get() == null));
    }

    /**
     * A new operator, as after a restart, finds every tenant converged; the cluster-shared objects
     * are made sure of again, and a RuntimeClass whose handler was changed meanwhile is mended.
     */
    private void restart() {
      operator.stop();
      admin
          .resources(RuntimeClass.class)
          .withName(TenantNames.GVISOR_RUNTIME_CLASS)
          .edit(
              rc -> {
                rc.setHandler("runc");
                return rc;
              });
      operator = Controllers.operator(agent, ViaAdminKubeconfig.to(agent, tenantApi));
      operator.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  TenantNames.GVISOR_HANDLER.equals(
                      admin
                          .resources(RuntimeClass.class)
                          .withName(TenantNames.GVISOR_RUNTIME_CLASS)
                          .get()
                          .getHandler()));
      for (String t : List.of("ded", "shr", "kin", "xp")) {
        awaitPhase(t, TenantControlPlaneStatus.READY);
      }
    }

    @Override
    public void close() {
      if (statusReporter != null) {
        statusReporter.close();
      }
      if (agentCluster != null) {
        agentCluster.close();
      }
      if (operator != null) {
        operator.stop();
      }
      if (first != null) {
        first.close();
      }
      if (second != null) {
        second.close();
      }
      if (follower != null) {
        follower.close();
      }
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
    }
  }

  // ---- recording -----------------------------------------------------------------------------

  /** Every request the host received, the agent's parsed, the test's counted apart. */
  private void drain() throws InterruptedException {
    for (var r = host.takeRequest(200, TimeUnit.MILLISECONDS);
        r != null;
        r = host.takeRequest(200, TimeUnit.MILLISECONDS)) {
      if (AGENT.equals(r.getHeader("User-Agent"))) {
        observed.add(ApiRequest.of(r.getMethod(), r.getPath()));
      } else {
        testRequests++;
      }
    }
  }

  private static Set<String> triples(List<ApiRequest> requests) {
    Set<String> out = new TreeSet<>();
    requests.stream().filter(ApiRequest::isResource).forEach(r -> out.add(r.triple()));
    return out;
  }

  // ---- the cluster and Kafka, played by the test ---------------------------------------------

  private void node(String name) {
    admin
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(
                    Map.of(
                        "topology.kubernetes.io/zone",
                        "eu-west-1a",
                        "fleetplane.io/gvisor",
                        "true"))
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .withAllocatable(
                    Map.of(
                        "cpu",
                        new Quantity("16"),
                        "memory",
                        new Quantity("64Gi"),
                        "pods",
                        new Quantity("110")))
                .endStatus()
                .build())
        .create();
  }

  private static HostFacts facts() {
    return new HostFacts(
        CLUSTER, "eu-west", Map.of(), EnumSet.allOf(DatastoreMode.class), 100, "rbac-it");
  }

  private static Placement placement(
      String tenant, String plan, DatastoreMode mode, Isolation isolation, long gen) {
    return Fixtures.placement(CLUSTER, tenant, plan, gen, mode, isolation);
  }

  private static TenantControlPlaneSpec spec(
      String tenant, String plan, DatastoreMode mode, Isolation isolation, long gen) {
    return TenantControlPlaneSpec.of(placement(tenant, plan, mode, isolation, gen));
  }

  private int partition() {
    return ClusterPartitioning.partitionFor(CLUSTER, Topics.PLACEMENTS.defaultPartitions());
  }

  private void publish(Placement... placements) throws Exception {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> out =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (Placement pl : placements) {
        out.send(
                new ProducerRecord<>(
                    Topics.PLACEMENTS.name(), partition(), pl.key(), Codecs.PLACEMENT.encode(pl)))
            .get();
      }
    }
  }

  private void publish(ProducerRecord<String, byte[]> tombstone) throws Exception {
    try (KafkaProducer<String, byte[]> out =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      out.send(tombstone).get();
    }
  }

  private ProducerRecord<String, byte[]> release(String tenant) {
    return new ProducerRecord<>(
        Topics.PLACEMENTS.name(), partition(), PlacementKey.of(CLUSTER, tenant), null);
  }

  private io.fabric8.kubernetes.api.model.apps.Deployment deployment(String tenant, String name) {
    return admin
        .apps()
        .deployments()
        .inNamespace(TenantNames.namespace(tenant))
        .withName(name)
        .get();
  }

  private Secret tokenSecret(String tenant) {
    return admin
        .secrets()
        .inNamespace(TenantNames.namespace(tenant))
        .withName(WorkloadNames.operatorTokenSecret("crossplane"))
        .get();
  }

  private void awaitObjects(String tenant, int deployments, int statefulSets, int services) {
    String ns = TenantNames.namespace(tenant);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin.apps().deployments().inNamespace(ns).list().getItems().size() == deployments
                    && admin.apps().statefulSets().inNamespace(ns).list().getItems().size()
                        == statefulSets
                    && admin.services().inNamespace(ns).list().getItems().size() == services
                    && phase(tenant) != null);
  }

  private void awaitPhase(String tenant, String phase) {
    await()
        .alias(tenant + " " + phase)
        .atMost(Duration.ofSeconds(60))
        .until(() -> phase.equals(phase(tenant)));
  }

  private void awaitGone(String tenant) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> admin.resources(TenantControlPlane.class).withName(tenant).get() == null);
  }

  private String phase(String tenant) {
    TenantControlPlane t = admin.resources(TenantControlPlane.class).withName(tenant).get();
    return t == null || t.getStatus() == null ? null : t.getStatus().getPhase();
  }
}
