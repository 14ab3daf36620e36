package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.model.OperatorModel;
import io.fleetplane.agent.model.PkiModel;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.model.WorkloadNames;
import io.fleetplane.agent.tenant.TenantApiServer;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's workloads and the status it derives from them, on fabric8's API server in CRUD
 * mode, with a second one standing in for tenants' own API servers. The mock runs no controllers:
 * the tests write workload statuses and pods themselves ({@link HostControllers}).
 */
@EnableKubernetesMockClient(crud = true)
class TenantWorkloadsIT {

  KubernetesClient client;
  KubernetesMockServer server;
  private TenantApiServer tenantApiServer;
  private Operator operator;

  @BeforeEach
  void start() {
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

  static TenantControlPlaneSpec spec(
      String tenant, String plan, DatastoreMode mode, Isolation isolation) {
    return TenantControlPlaneSpec.of(Fixtures.placement("eu-h1", tenant, plan, 1, mode, isolation));
  }

  private void place(String tenant, String plan, DatastoreMode mode, Isolation isolation) {
    new KubernetesHostCluster(client).apply(spec(tenant, plan, mode, isolation));
  }

  @Test
  void eachDatastoreModeGetsItsWorkloadsAndServicesOwnedByTheTenant() {
    place("ded", "medium", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC);
    place("shr", "medium", DatastoreMode.SHARED_ETCD, Isolation.RUNC);
    place("kin", "medium", DatastoreMode.KINE, Isolation.RUNC);
    awaitObjects("ded", 2, 1, 3);
    awaitObjects("shr", 2, 0, 1);
    awaitObjects("kin", 2, 0, 1);

    // dedicated: its own etcd, one member with the plan's 8Gi, and the API server points at it
    StatefulSet etcd = statefulSets("ded").get(TenantNames.ETCD);
    assertThat(etcd.getSpec().getReplicas()).isEqualTo(1);
    assertThat(etcd.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources())
        .satisfies(r -> assertThat(r.getRequests().get("storage").toString()).isEqualTo("8Gi"));
    assertThat(services("ded")).containsOnlyKeys("kube-apiserver", "etcd", "etcd-peers");
    assertThat(apiserverArgs("ded")).contains("--etcd-servers=http://etcd.tenant-ded.svc:2379");

    // shared: no etcd of its own; the cluster's shared etcd exists, owned by no tenant
    assertThat(services("shr")).containsOnlyKeys("kube-apiserver");
    assertThat(apiserverArgs("shr"))
        .contains(
            "--etcd-servers=http://etcd.fleetplane-shared-etcd.svc:2379",
            "--etcd-prefix=/tenants/shr");
    String shared = TenantNames.SHARED_ETCD_NAMESPACE;
    assertThat(client.namespaces().withName(shared).get()).isNotNull();
    StatefulSet sharedEtcd =
        client.apps().statefulSets().inNamespace(shared).withName(TenantNames.ETCD).get();
    assertThat(sharedEtcd.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sharedEtcd.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(client.services().inNamespace(shared).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("etcd", "etcd-peers");

    // kine: beside the API server, its endpoint in a Secret made from the placement's databaseRef
    assertThat(deployments("kin").get(TenantNames.APISERVER).getSpec().getTemplate().getSpec())
        .satisfies(
            p ->
                assertThat(p.getContainers())
                    .extracting(c -> c.getName())
                    .containsExactly("kube-apiserver", "kine"));
    Secret kine =
        client.secrets().inNamespace(ns("kin")).withName(TenantNames.KINE_DATABASE_SECRET).get();
    assertThat(TenantApiServer.unbase64(kine.getData().get("endpoint")))
        .isEqualTo("postgres://db.example:5432/kin");

    for (String tenant : List.of("ded", "shr", "kin")) {
      assertThat(deployments(tenant))
          .containsOnlyKeys(TenantNames.APISERVER, TenantNames.CONTROLLER_MANAGER);
      List<HasMetadata> children = new ArrayList<>();
      children.addAll(deployments(tenant).values());
      children.addAll(statefulSets(tenant).values());
      children.addAll(services(tenant).values());
      if (tenant.equals("kin")) {
        children.add(kine);
      }
      assertOwnedBy(tenant, children);
      assertThat(phase(tenant)).isEqualTo(TenantControlPlaneStatus.PROVISIONING);
    }
    assertThat(statefulSets("shr")).isEmpty();
    assertThat(statefulSets("kin")).isEmpty();

    PriorityClass priority =
        client.resources(PriorityClass.class).withName(WorkloadNames.PRIORITY_CLASS).get();
    assertThat(priority.getValue()).isEqualTo(100_000_000);
    assertThat(priority.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void kinesPasswordComesFromThePlatformTeamsSecretAndWaitsForIt() {
    TenantControlPlaneSpec spec = spec("kcred", "medium", DatastoreMode.KINE, Isolation.RUNC);
    spec.setCredentialsSecret("acme-db");
    new KubernetesHostCluster(client).apply(spec);

    awaitMessage(
        "kcred",
        "kine's database credential (the Secret "
            + client.getNamespace()
            + "/acme-db does not exist");
    assertThat(
            client
                .secrets()
                .inNamespace(ns("kcred"))
                .withName(TenantNames.KINE_DATABASE_SECRET)
                .get())
        .as("no endpoint without its password")
        .isNull();

    client
        .secrets()
        .inNamespace(client.getNamespace())
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("acme-db")
                .endMetadata()
                .addToStringData("password", "s3cret:/@")
                .build())
        .create();
    // The mock keeps stringData as it is; a real server moves it into data.
    client
        .secrets()
        .inNamespace(client.getNamespace())
        .withName("acme-db")
        .edit(
            sec -> {
              sec.setData(
                  java.util.Map.of(
                      "password",
                      java.util.Base64.getEncoder()
                          .encodeToString(
                              "s3cret:/@".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
              sec.setStringData(null);
              return sec;
            });

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                        .secrets()
                        .inNamespace(ns("kcred"))
                        .withName(TenantNames.KINE_DATABASE_SECRET)
                        .get()
                    != null);
    Secret kine =
        client.secrets().inNamespace(ns("kcred")).withName(TenantNames.KINE_DATABASE_SECRET).get();
    assertThat(TenantApiServer.unbase64(kine.getData().get("endpoint")))
        .isEqualTo("postgres://:s3cret%3A%2F%40@db.example:5432/kcred");
  }

  @Test
  void gvisorTenantsRunEveryPodUnderGvisorAndRuncTenantsUnderTheHostsDefault() {
    place("gv", "crossplane-medium", DatastoreMode.DEDICATED_ETCD, Isolation.GVISOR);
    place("rc", "crossplane-medium", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC);
    awaitObjects("gv", 3, 1, 3);
    awaitObjects("rc", 3, 1, 3);

    assertThat(podSpecs("gv"))
        .hasSize(4)
        .allSatisfy(p -> assertThat(p.getRuntimeClassName()).isEqualTo("gvisor"));
    assertThat(podSpecs("rc"))
        .hasSize(4)
        .allSatisfy(p -> assertThat(p.getRuntimeClassName()).isNull());
  }

  @Test
  void aHostedOperatorRunsWithATokenIssuedByTheTenantsApiServer() throws Exception {
    place("xp", "crossplane-medium", DatastoreMode.SHARED_ETCD, Isolation.RUNC);
    awaitObjects("xp", 3, 0, 1);
    awaitMessage("xp", "crossplane's token (the tenant API server is not available yet)");
    assertThat(tokenSecret("xp")).isNull();
    assertThat(tenantApiServer.client.namespaces().list().getItems()).isEmpty();

    HostControllers.makeAvailable(client, "xp", TenantNames.APISERVER);

    String sa = OperatorModel.tenantServiceAccount("crossplane");
    String tenantNs = OperatorModel.tenantNamespace("crossplane");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                tenantApiServer.client.secrets().inNamespace(tenantNs).withName(sa + "-token").get()
                    != null);
    Secret unissued =
        tenantApiServer.client.secrets().inNamespace(tenantNs).withName(sa + "-token").get();
    assertThat(unissued.getType()).isEqualTo(TenantApiServer.TOKEN_TYPE);
    assertThat(unissued.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/service-account.name", sa);
    assertThat(
            tenantApiServer
                .client
                .resources(ServiceAccount.class)
                .inNamespace(tenantNs)
                .withName(sa)
                .get())
        .isNotNull();
    assertThat(tenantApiServer.client.resources(ClusterRoleBinding.class).list().getItems())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.getRoleRef().getName()).isEqualTo("cluster-admin");
              assertThat(b.getSubjects())
                  .singleElement()
                  .satisfies(
                      s ->
                          assertThat(s.getNamespace() + "/" + s.getName())
                              .isEqualTo(tenantNs + "/" + sa));
            });
    awaitMessage(
        "xp", "crossplane's token (the tenant's controller manager has not issued it yet)");
    assertThat(tokenSecret("xp")).isNull();

    assertThat(tenantApiServer.issueTokens("tok-xp")).isEqualTo(1);

    await().atMost(Duration.ofSeconds(30)).until(() -> tokenSecret("xp") != null);
    Secret copied = tokenSecret("xp");
    assertThat(copied.getData()).containsOnlyKeys(OperatorModel.TOKEN_KEYS);
    assertThat(TenantApiServer.unbase64(copied.getData().get("token"))).isEqualTo("tok-xp");
    assertThat(TenantApiServer.unbase64(copied.getData().get("namespace"))).isEqualTo(tenantNs);
    // The operator trusts the tenant's API server by the tenant CA that signed its certificate.
    assertThat(copied.getData().get("ca.crt"))
        .isEqualTo(
            client
                .secrets()
                .inNamespace(ns("xp"))
                .withName(TenantNames.CA_SECRET)
                .get()
                .getData()
                .get(PkiModel.CA_CRT));
    assertOwnedBy("xp", List.of(copied));
    Deployment crossplane = deployments("xp").get("crossplane");
    assertThat(crossplane.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(
            v ->
                assertThat(v.getSecret().getSecretName())
                    .isEqualTo(copied.getMetadata().getName()));

    HostControllers.makeAvailable(client, "xp");
    awaitPhase("xp", TenantControlPlaneStatus.READY);
    assertThat(message("xp")).isEqualTo("all 3 workloads available");
  }

  @Test
  void readyOnceEveryWorkloadIsAvailableAndProvisioningAgainWhenOneIsNot() {
    place("rdy", "medium", DatastoreMode.DEDICATED_ETCD, Isolation.GVISOR);
    awaitObjects("rdy", 2, 1, 3);
    awaitMessage("rdy", "waiting for kube-apiserver, kube-controller-manager, etcd");

    HostControllers.makeAvailable(client, "rdy");
    awaitPhase("rdy", TenantControlPlaneStatus.READY);
    assertThat(message("rdy")).isEqualTo("all 3 workloads available");

    HostControllers.setReadyReplicas(client, "rdy", TenantNames.ETCD, 0);
    awaitPhase("rdy", TenantControlPlaneStatus.PROVISIONING);
    assertThat(message("rdy")).isEqualTo("waiting for etcd");
  }

  @Test
  void failedWithTheApiServersReasonWhenADeploymentsPodsAreRefused() {
    place("quo", "medium", DatastoreMode.SHARED_ETCD, Isolation.RUNC);
    awaitObjects("quo", 2, 0, 1);
    HostControllers.makeAvailable(client, "quo");
    awaitPhase("quo", TenantControlPlaneStatus.READY);

    String refusal =
        "pods \"kube-apiserver-5c7d9\" is forbidden: exceeded quota: tenant-quota, requested:"
            + " limits.cpu=500m, used: limits.cpu=1500m, limited: limits.cpu=1500m";
    HostControllers.refusePods(client, "quo", TenantNames.APISERVER, refusal);

    awaitPhase("quo", TenantControlPlaneStatus.FAILED);
    assertThat(message("quo")).isEqualTo("kube-apiserver: FailedCreate: " + refusal);

    HostControllers.makeAvailable(client, "quo", TenantNames.APISERVER);
    awaitPhase("quo", TenantControlPlaneStatus.READY);
  }

  @Test
  void failedWhileAPodOfTheTenantIsCrashLooping() {
    place("crash", "medium", DatastoreMode.KINE, Isolation.RUNC);
    awaitObjects("crash", 2, 0, 1);
    HostControllers.makeAvailable(client, "crash");
    awaitPhase("crash", TenantControlPlaneStatus.READY);

    HostControllers.crashLoopingPod(client, "crash", TenantNames.APISERVER, "kube-apiserver-x1");

    awaitPhase("crash", TenantControlPlaneStatus.FAILED);
    assertThat(message("crash"))
        .isEqualTo(
            "pod kube-apiserver-x1: container kube-apiserver CrashLoopBackOff: back-off 5m0s"
                + " restarting failed container");

    client.pods().inNamespace(ns("crash")).withName("kube-apiserver-x1").delete();
    awaitPhase("crash", TenantControlPlaneStatus.READY);
  }

  @Test
  void aTenantWhoseDeploymentTheApiServerRefusesIsFailedWhileAnotherGoesReady() throws Exception {
    String invalid =
        "Deployment.apps \"kube-apiserver\" is invalid: spec.template.spec.containers[0].image:"
            + " Required value";
    server
        .expect()
        .post()
        .withPath("/apis/apps/v1/namespaces/tenant-bad/deployments")
        .andReturn(
            422,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage(invalid)
                .build())
        .always();
    place("bad", "medium", DatastoreMode.SHARED_ETCD, Isolation.RUNC);
    place("good", "medium", DatastoreMode.SHARED_ETCD, Isolation.RUNC);

    awaitPhase("bad", TenantControlPlaneStatus.FAILED);
    assertThat(message("bad")).isEqualTo("deployments: " + invalid);
    awaitObjects("good", 2, 0, 1);
    HostControllers.makeAvailable(client, "good");
    awaitPhase("good", TenantControlPlaneStatus.READY);

    // An invalid object is refused again on every try: it is not retried.
    drain();
    Thread.sleep(5_000);
    assertThat(drain())
        .noneMatch(r -> r.startsWith("POST /apis/apps/v1/namespaces/tenant-bad/deployments"));
    assertThat(phase("bad")).isEqualTo(TenantControlPlaneStatus.FAILED);
  }

  @Test
  void aTenantOfAPlanThisAgentDoesNotKnowIsFailedWithTheReason() {
    place("odd", "huge", DatastoreMode.SHARED_ETCD, Isolation.RUNC);

    awaitPhase("odd", TenantControlPlaneStatus.FAILED);
    assertThat(message("odd")).startsWith("tenant odd: unknown plan 'huge'; known: [");
  }

  @Test
  void aDeletedDeploymentIsPutBack() {
    place("drift", "crossplane-medium", DatastoreMode.DEDICATED_ETCD, Isolation.RUNC);
    awaitObjects("drift", 3, 1, 3);
    String uid = deployments("drift").get(TenantNames.CONTROLLER_MANAGER).getMetadata().getUid();

    client
        .apps()
        .deployments()
        .inNamespace(ns("drift"))
        .withName(TenantNames.CONTROLLER_MANAGER)
        .delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Deployment back = deployments("drift").get(TenantNames.CONTROLLER_MANAGER);
              return back != null && !back.getMetadata().getUid().equals(uid);
            });
  }

  @Test
  void releasingATenantLeavesNothingOfItsOwnButKeepsWhatTenantsShare() {
    place("gone", "crossplane-medium", DatastoreMode.DEDICATED_ETCD, Isolation.GVISOR);
    place("stays", "medium", DatastoreMode.SHARED_ETCD, Isolation.RUNC);
    awaitObjects("gone", 3, 1, 3);
    awaitObjects("stays", 2, 0, 1);

    // The host's garbage collector deletes what the tenant owns; the mock has none, so this checks
    // every object in its namespace is owned, and that the namespace itself is deleted.
    List<HasMetadata> everything = new ArrayList<>();
    everything.addAll(deployments("gone").values());
    everything.addAll(statefulSets("gone").values());
    everything.addAll(services("gone").values());
    everything.addAll(client.secrets().inNamespace(ns("gone")).list().getItems());
    everything.addAll(
        client.network().v1().networkPolicies().inNamespace(ns("gone")).list().getItems());
    everything.addAll(client.resourceQuotas().inNamespace(ns("gone")).list().getItems());
    everything.addAll(client.limitRanges().inNamespace(ns("gone")).list().getItems());
    assertThat(everything).hasSizeGreaterThan(14);
    assertOwnedBy("gone", everything);

    new KubernetesHostCluster(client).delete("gone");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.namespaces().withName(ns("gone")).get() == null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.resources(TenantControlPlane.class).withName("gone").get() == null);
    assertThat(client.resources(PriorityClass.class).withName(WorkloadNames.PRIORITY_CLASS).get())
        .isNotNull();
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace(TenantNames.SHARED_ETCD_NAMESPACE)
                .withName(TenantNames.ETCD)
                .get())
        .isNotNull();
    assertThat(deployments("stays")).hasSize(2);
  }

  // ---- reading the host ---------------------------------------------------------------------

  private static String ns(String tenant) {
    return TenantNames.namespace(tenant);
  }

  private Map<String, Deployment> deployments(String tenant) {
    return byName(client.apps().deployments().inNamespace(ns(tenant)).list().getItems());
  }

  private Map<String, StatefulSet> statefulSets(String tenant) {
    return byName(client.apps().statefulSets().inNamespace(ns(tenant)).list().getItems());
  }

  private Map<String, Service> services(String tenant) {
    return byName(client.services().inNamespace(ns(tenant)).list().getItems());
  }

  private Secret tokenSecret(String tenant) {
    return client
        .secrets()
        .inNamespace(ns(tenant))
        .withName(WorkloadNames.operatorTokenSecret("crossplane"))
        .get();
  }

  private List<String> apiserverArgs(String tenant) {
    return deployments(tenant)
        .get(TenantNames.APISERVER)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getArgs();
  }

  private List<PodSpec> podSpecs(String tenant) {
    List<PodSpec> out = new ArrayList<>();
    deployments(tenant).values().forEach(d -> out.add(d.getSpec().getTemplate().getSpec()));
    statefulSets(tenant).values().forEach(s -> out.add(s.getSpec().getTemplate().getSpec()));
    return out;
  }

  private static <R extends HasMetadata> Map<String, R> byName(List<R> items) {
    return items.stream()
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), Function.identity()));
  }

  private TenantControlPlaneStatus status(String tenant) {
    TenantControlPlane t = client.resources(TenantControlPlane.class).withName(tenant).get();
    return t == null ? null : t.getStatus();
  }

  private String phase(String tenant) {
    TenantControlPlaneStatus s = status(tenant);
    return s == null ? null : s.getPhase();
  }

  private String message(String tenant) {
    TenantControlPlaneStatus s = status(tenant);
    return s == null ? null : s.getMessage();
  }

  private void awaitPhase(String tenant, String phase) {
    await().atMost(Duration.ofSeconds(20)).until(() -> phase.equals(phase(tenant)));
  }

  private void awaitMessage(String tenant, String part) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> message(tenant) != null && message(tenant).contains(part));
  }

  private void awaitObjects(String tenant, int deployments, int statefulSets, int services) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                deployments(tenant).size() == deployments
                    && statefulSets(tenant).size() == statefulSets
                    && services(tenant).size() == services
                    && phase(tenant) != null);
  }

  private void assertOwnedBy(String tenant, List<? extends HasMetadata> objects) {
    String uid =
        client.resources(TenantControlPlane.class).withName(tenant).get().getMetadata().getUid();
    assertThat(objects)
        .isNotEmpty()
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getOwnerReferences())
                    .as("owner of %s %s", o.getKind(), o.getMetadata().getName())
                    .singleElement()
                    .satisfies(
                        r -> {
                          assertThat(r.getKind()).isEqualTo("TenantControlPlane");
                          assertThat(r.getUid()).isEqualTo(uid);
                        }));
  }

  /** The write requests the host's API server received since the last call. */
  private List<String> drain() throws InterruptedException {
    List<String> writes = new ArrayList<>();
    for (var r = server.takeRequest(50, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
      if (!r.getMethod().equals("GET")) {
        writes.add(r.getRequestLine());
      }
    }
    return writes;
  }
}
