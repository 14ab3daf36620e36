package io.fleetplane.agent.reconcile;

import static io.fleetplane.agent.reconcile.FaultyApiServer.hang;
import static io.fleetplane.agent.reconcile.FaultyApiServer.status;
import static io.fleetplane.agent.reconcile.FaultyApiServer.tooManyRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.reconcile.FaultyApiServer.Fault;
import io.fleetplane.agent.tenant.KubernetesTenantApi;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller when the API server answers with errors, late or not at all: the faults are
 * injected on the HTTP path, in front of fabric8's API server in CRUD mode ({@link
 * FaultyApiServer}), so that the agent's client, JOSDK and the reconciler handle them as they would
 * a real server's.
 *
 * <p>Two layers retry. The fabric8 client retries a request answered 429 or 5xx, or lost to an I/O
 * error, by itself: after 100 ms doubling up to 3.2 s, ten times, and never sooner than a
 * Retry-After asks. What still fails fails the reconcile, which JOSDK tries again after {@link
 * Controllers#RETRY}'s 1, 2, 4, 8, 16 and 32 s (at once when an event came meanwhile).
 */
class ApiErrorsIT {

  private FaultyApiServer api;
  private KubernetesClient host;
  private final List<Operator> operators = new ArrayList<>();

  @BeforeEach
  void start() {
    api = new FaultyApiServer();
    host = api.observer();
    Fixtures.installCrd(host);
  }

  @AfterEach
  void stop() {
    operators.forEach(Operator::stop);
    api.close();
  }

  @Test
  void aConflictOnCreatingADependentIsRetriedAndTheTenantConverges() {
    TenantControlPlaneSpec spec = spec("c409", "medium", DatastoreMode.SHARED_ETCD);
    Fault conflict =
        api.fail(
            "POST",
            "/apis/apps/v1/namespaces/tenant-c409/deployments",
            2,
            () ->
                status(409, "AlreadyExists", "deployments.apps \"kube-apiserver\" already exists"));
    startAgent();

    place(spec);

    awaitMaterialised(spec);
    awaitPhase("c409", TenantControlPlaneStatus.PROVISIONING);
    // two refused, then the API server's own: one for each of the two Deployments
    assertThat(conflict.attempts()).hasSize(4);
  }

  @Test
  void aConflictOnUpdatingADependentIsRetriedAfterTheControllersGrowingWaits() {
    TenantControlPlaneSpec spec = spec("u409", "small", DatastoreMode.KINE);
    startAgent();
    place(spec);
    awaitMaterialised(spec);
    awaitPhase("u409", TenantControlPlaneStatus.PROVISIONING);
    Fault conflict =
        api.fail(
            "PUT|PATCH",
            "/api/v1/namespaces/tenant-u409/resourcequotas/" + TenantNames.QUOTA,
            4,
            () ->
                status(
                    409,
                    "Conflict",
                    "Operation cannot be fulfilled on resourcequotas \"tenant-quota\": the object"
                        + " has been modified; please apply your changes to the latest version and"
                        + " try again"));

    host.resourceQuotas()
        .inNamespace(TenantNames.namespace("u409"))
        .withName(TenantNames.QUOTA)
        .edit(
            q -> {
              q.getSpec().getHard().put("pods", new Quantity("600"));
              return q;
            });

    await().atMost(Duration.ofSeconds(20)).until(() -> new Quantity("6").equals(quotaPods("u409")));
    // A 409 is not the client's to retry: the reconcile fails, and JOSDK tries it again after 1 s,
    // 1 s again, 2 s and 4 s (Controllers.RETRY; GenericRetry repeats its first interval once).
    List<Long> gaps = conflict.gapsMillis();
    assertThat(gaps).hasSize(4);
    long[] expected = {1_000, 1_000, 2_000, 4_000};
    for (int i = 0; i < expected.length; i++) {
      assertThat(gaps.get(i))
          .as("wait %d of %s", i, gaps)
          .isBetween(expected[i], expected[i] + 900);
    }
    assertThat(phase("u409")).isEqualTo(TenantControlPlaneStatus.PROVISIONING);
  }

  @Test
  void tooManyRequestsOnCreatingADependentIsRetriedAfterGrowingWaits() {
    TenantControlPlaneSpec spec = spec("t429", "medium", DatastoreMode.SHARED_ETCD);
    Fault throttled =
        api.fail("POST", "/api/v1/namespaces/tenant-t429/services", 6, () -> tooManyRequests(1));
    startAgent();

    place(spec);

    awaitMaterialised(spec);
    // The client's own retries, all within one reconcile, after 100 ms × 2^n. fabric8 7.5.2 reads
    // the Retry-After but schedules the retry after its own interval all the same (AsyncUtils), so
    // the first three come sooner than the server asked; a client that honours it passes too.
    List<Long> gaps = throttled.gapsMillis();
    assertThat(gaps).hasSize(6);
    for (int i = 0; i < gaps.size(); i++) {
      assertThat(gaps.get(i)).as("wait %d of %s", i, gaps).isGreaterThanOrEqualTo(100L << i);
    }
    assertThat(gaps.get(5)).isGreaterThan(gaps.get(4)).isGreaterThan(gaps.get(3));
    awaitPhase("t429", TenantControlPlaneStatus.PROVISIONING);
  }

  @Test
  void serverErrorsOnCreatingADependentAreRetriedAfterGrowingWaits() {
    TenantControlPlaneSpec spec = spec("t5xx", "medium", DatastoreMode.DEDICATED_ETCD);
    AtomicInteger answered = new AtomicInteger();
    Fault failing =
        api.fail(
            "POST",
            "/apis/apps/v1/namespaces/tenant-t5xx/deployments",
            4,
            () ->
                answered.getAndIncrement() % 2 == 0
                    ? status(500, "InternalError", "etcdserver: request timed out")
                    : status(
                        503, "ServiceUnavailable", "the server is currently unable to handle"));
    startAgent();

    place(spec);

    awaitMaterialised(spec);
    List<Long> gaps = failing.gapsMillis();
    // 4 answered with errors, then the first Deployment and the second
    assertThat(gaps).hasSizeGreaterThanOrEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(gaps.get(i)).as("wait %d of %s", i, gaps).isGreaterThanOrEqualTo(100L << i);
      if (i > 0) {
        assertThat(gaps.get(i)).as("wait %d of %s", i, gaps).isGreaterThan(gaps.get(i - 1));
      }
    }
    awaitPhase("t5xx", TenantControlPlaneStatus.PROVISIONING);
  }

  @Test
  void aRequestThatHangsPastTheClientsTimeoutIsRetried() {
    TenantControlPlaneSpec spec = spec("slow", "medium", DatastoreMode.SHARED_ETCD);
    // fabric8's default request timeout is 10 s; 2 s here so that the test is quick
    KubernetesClient agent = api.agentClient(c -> c.withRequestTimeout(2_000));
    Fault hung =
        api.fail(
            "POST",
            "/api/v1/namespaces/tenant-slow/services",
            1,
            () -> hang(Duration.ofSeconds(30)));
    startAgent(agent, Controllers.RETRY);

    place(spec);

    awaitMaterialised(spec);
    awaitPhase("slow", TenantControlPlaneStatus.PROVISIONING);
    assertThat(hung.attempts()).hasSize(2);
    assertThat(hung.gapsMillis().get(0)).isGreaterThanOrEqualTo(2_000L);
  }

  @Test
  void aTenantWhoseDeploymentTheApiServerRefusesIsFailedWhileTwoOthersAreMaterialised() {
    String invalid =
        "Deployment.apps \"kube-apiserver\" is invalid: spec.template.spec.containers[0].image:"
            + " Required value";
    api.fail(
        "POST",
        "/apis/apps/v1/namespaces/tenant-bad/deployments",
        Integer.MAX_VALUE,
        () -> status(422, "Invalid", invalid));
    TenantControlPlaneSpec bad = spec("bad", "medium", DatastoreMode.SHARED_ETCD);
    TenantControlPlaneSpec dedicated =
        TenantControlPlaneSpec.of(
            Fixtures.placement(
                "eu-h1", "good-a", "large", 1, DatastoreMode.DEDICATED_ETCD, Isolation.GVISOR));
    TenantControlPlaneSpec kine = spec("good-b", "crossplane-medium", DatastoreMode.KINE);
    startAgent();

    place(bad);
    place(dedicated);
    place(kine);

    awaitPhase("bad", TenantControlPlaneStatus.FAILED);
    assertThat(message("bad")).isEqualTo("deployments: " + invalid);
    awaitMaterialised(dedicated);
    awaitMaterialised(kine);
    awaitPhase("good-a", TenantControlPlaneStatus.PROVISIONING);
    awaitPhase("good-b", TenantControlPlaneStatus.PROVISIONING);
    // all but its Deployments
    assertThat(TenantObjects.missing(host, bad))
        .containsExactlyInAnyOrder(
            "Deployment tenant-bad/kube-apiserver",
            "Deployment tenant-bad/kube-controller-manager");
  }

  @Test
  void aPersistentServerErrorMakesTheTenantFailedOnceTheRetriesAreSpent() throws Exception {
    TenantControlPlaneSpec spec = spec("down", "medium", DatastoreMode.SHARED_ETCD);
    Fault down =
        api.fail(
            "POST",
            "/api/v1/namespaces/tenant-down/services",
            Integer.MAX_VALUE,
            () -> status(500, "InternalError", "etcdserver: leader changed"));
    // Both layers shortened so that the test takes seconds, not the minutes that production's
    // ten client retries (~19 s) in each of seven reconciles (a minute of waits between) take.
    KubernetesClient agent = api.agentClient(c -> c.withRequestRetryBackoffLimit(2));
    GenericRetry quick =
        new GenericRetry().setMaxAttempts(6).setInitialInterval(100).setIntervalMultiplier(2);
    startAgent(agent, quick);

    place(spec);

    awaitPhase("down", TenantControlPlaneStatus.FAILED);
    assertThat(message("down"))
        .isEqualTo("gave up retrying: services: etcdserver: leader changed (500)");
    // every reconcile (the first and six retries at least) tried three times: once, and twice more
    // by the client
    int tried = down.attempts().size();
    assertThat(tried).isGreaterThanOrEqualTo(7 * 3);
    Thread.sleep(3_000);
    assertThat(down.attempts()).as("no retry once Failed").hasSize(tried);
    assertThat(phase("down")).isEqualTo(TenantControlPlaneStatus.FAILED);
  }

  @Test
  void noMoreRequestsAreInFlightThanTheBoundHoweverManyTenantsWait() {
    startAgent();
    api.answerLate(Duration.ofMillis(200));
    api.reset();
    List<TenantControlPlaneSpec> specs = new ArrayList<>();
    String[] plans = {"small", "medium", "large", "crossplane-medium"};
    DatastoreMode[] modes = DatastoreMode.values();
    for (int i = 0; i < 50; i++) {
      specs.add(spec(String.format("many-%02d", i), plans[i % 4], modes[i % modes.length]));
    }

    specs.forEach(this::place);

    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> specs.stream().allMatch(s -> phase(s.getTenantId()) != null));
    assertThat(TenantObjects.missing(host, specs)).isEmpty();
    int bound = 2 * Controllers.CONCURRENT_RECONCILES;
    assertThat(api.mostInFlight())
        .as("requests in flight at once, of %d tenants", specs.size())
        .isLessThanOrEqualTo(bound)
        // the slow answers did pile up: the workflow pool at least was full (54 at once were seen
        // with JOSDK's default pools of 50)
        .isGreaterThanOrEqualTo(Controllers.CONCURRENT_RECONCILES);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private void startAgent() {
    startAgent(api.agentClient(), Controllers.RETRY);
  }

  private void startAgent(KubernetesClient client, GenericRetry retry) {
    Operator operator =
        Controllers.operator(
            client,
            KubernetesTenantApi.viaAdminKubeconfig(client),
            Controllers.CONCURRENT_RECONCILES,
            retry,
            Metrics.NOOP);
    operators.add(operator);
    operator.start();
  }

  private static TenantControlPlaneSpec spec(String tenant, String plan, DatastoreMode mode) {
    return TenantControlPlaneSpec.of(
        Fixtures.placement("eu-h1", tenant, plan, 1, mode, Isolation.RUNC));
  }

  private void place(TenantControlPlaneSpec spec) {
    new KubernetesHostCluster(host).apply(spec);
  }

  private void awaitMaterialised(TenantControlPlaneSpec spec) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> TenantObjects.missing(host, spec).isEmpty());
  }

  private void awaitPhase(String tenant, String phase) {
    await().atMost(Duration.ofSeconds(60)).until(() -> phase.equals(phase(tenant)));
  }

  private TenantControlPlaneStatus tenantStatus(String tenant) {
    TenantControlPlane t = host.resources(TenantControlPlane.class).withName(tenant).get();
    return t == null ? null : t.getStatus();
  }

  private String phase(String tenant) {
    TenantControlPlaneStatus s = tenantStatus(tenant);
    return s == null ? null : s.getPhase();
  }

  private String message(String tenant) {
    TenantControlPlaneStatus s = tenantStatus(tenant);
    return s == null ? null : s.getMessage();
  }

  private Quantity quotaPods(String tenant) {
    return host.resourceQuotas()
        .inNamespace(TenantNames.namespace(tenant))
        .withName(TenantNames.QUOTA)
        .get()
        .getSpec()
        .getHard()
        .get("pods");
  }
}
