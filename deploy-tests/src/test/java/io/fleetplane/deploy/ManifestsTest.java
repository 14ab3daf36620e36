package io.fleetplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests in deploy/, as kubectl 1.32's kustomize renders them and fabric8 loads them: every
 * kustomization directory renders; only APIs that Kubernetes 1.32 serves (or our custom resources)
 * are used; every container is pinned, sized, probed and runs as non-root under the restricted Pod
 * Security Standard; the KafkaTopics are the events module's topics; the Grafana dashboards read
 * only metrics the code exposes. Without kubectl these tests are skipped with the reason, and fail
 * when the environment variable CI is set.
 */
class ManifestsTest {

  /** Kubernetes 1.32's GA group/versions, and the kinds of each that the manifests use. */
  static final Map<String, Set<String>> SERVED_BY_KUBERNETES_1_32 =
      Map.of(
          "v1", Set.of("Namespace", "ServiceAccount", "Service", "ConfigMap", "Secret"),
          "apps/v1", Set.of("Deployment", "StatefulSet"),
          "policy/v1", Set.of("PodDisruptionBudget"),
          "networking.k8s.io/v1", Set.of("NetworkPolicy"),
          "rbac.authorization.k8s.io/v1",
              Set.of("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"),
          "node.k8s.io/v1", Set.of("RuntimeClass"),
          "apiextensions.k8s.io/v1", Set.of("CustomResourceDefinition"));

  /**
   * The custom resources the manifests may hold: ours (its CRD ships in deploy/crds, and {@link
   * #theCrdWeShipServesTheVersionWeAllow} checks the version), Strimzi's topics and the Prometheus
   * Operator's ServiceMonitor.
   */
  static final Map<String, Set<String>> CUSTOM_RESOURCES =
      Map.of(
          "fleetplane.io/v1alpha1", Set.of("TenantControlPlane"),
          "kafka.strimzi.io/v1", Set.of("KafkaTopic"),
          "monitoring.coreos.com/v1", Set.of("ServiceMonitor", "PodMonitor"));

  /** Group/versions that Kubernetes removed by 1.32 or deprecates in it: named, for the message. */
  static final Set<String> DEPRECATED_OR_REMOVED =
      Set.of(
          "extensions/v1beta1",
          "apps/v1beta1",
          "apps/v1beta2",
          "policy/v1beta1",
          "networking.k8s.io/v1beta1",
          "rbac.authorization.k8s.io/v1beta1",
          "rbac.authorization.k8s.io/v1alpha1",
          "apiextensions.k8s.io/v1beta1",
          "node.k8s.io/v1alpha1",
          "node.k8s.io/v1beta1",
          "scheduling.k8s.io/v1alpha1",
          "scheduling.k8s.io/v1beta1",
          "batch/v1beta1",
          "autoscaling/v2beta1",
          "autoscaling/v2beta2",
          "storage.k8s.io/v1beta1",
          "admissionregistration.k8s.io/v1beta1",
          "coordination.k8s.io/v1beta1",
          "discovery.k8s.io/v1beta1",
          "events.k8s.io/v1beta1",
          "certificates.k8s.io/v1beta1",
          "flowcontrol.apiserver.k8s.io/v1beta1",
          "flowcontrol.apiserver.k8s.io/v1beta2",
          "flowcontrol.apiserver.k8s.io/v1beta3",
          // Strimzi serves only v1 from 1.0; v1beta2 is deprecated since 0.49.
          "kafka.strimzi.io/v1beta2",
          "kafka.strimzi.io/v1beta1",
          "kafka.strimzi.io/v1alpha1");

  /** The kustomization directories this module knows of; any other found is tested as well. */
  static final Set<String> KNOWN =
      Set.of(
          "crds",
          "scheduler/base",
          "overlays/fleetplane-system",
          "agent/base",
          "agent/overlays/eu-west-h001",
          "kafka",
          "monitoring",
          "grafana");

  /** Where the code's meters are: the scheduler's and the agent's main sources. */
  static final List<Path> SOURCES =
      List.of(
          Kustomize.DEPLOY.resolveSibling("scheduler/src/main/java"),
          Kustomize.DEPLOY.resolveSibling("agent/src/main/java"));

  private static final Map<Path, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();

  static List<HasMetadata> rendered(String dir) {
    return RENDERED.computeIfAbsent(Kustomize.DEPLOY.resolve(dir), Kustomize::load);
  }

  static Stream<String> kustomizations() {
    return Kustomize.directories().stream().map(d -> Kustomize.DEPLOY.relativize(d).toString());
  }

  // ---- every directory -----------------------------------------------------------------------

  @Test
  void findsEveryKustomizationDirectoryUnderDeploy() {
    assertThat(kustomizations().toList()).containsAll(KNOWN);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void rendersWithKubectlKustomize(String dir) {
    assertThat(rendered(dir)).as("objects rendered by deploy/%s", dir).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void usesOnlyApisKubernetes132ServesOrCustomResourcesWeShipOrName(String dir) {
    List<String> problems = new ArrayList<>();
    for (HasMetadata o : rendered(dir)) {
      String api = o.getApiVersion();
      String what = o.getKind() + " " + o.getMetadata().getName() + " (" + api + ")";
      if (DEPRECATED_OR_REMOVED.contains(api)) {
        problems.add(what + ": " + api + " is deprecated or removed by Kubernetes 1.32");
      } else if (!SERVED_BY_KUBERNETES_1_32.getOrDefault(api, Set.of()).contains(o.getKind())
          && !CUSTOM_RESOURCES.getOrDefault(api, Set.of()).contains(o.getKind())) {
        problems.add(what + ": not in the allow-list of APIs served by Kubernetes 1.32");
      }
    }
    assertThat(problems).as("objects of deploy/%s", dir).isEmpty();
  }

  @Test
  void theCrdWeShipServesTheVersionWeAllow() {
    CustomResourceDefinition crd =
        only(rendered("crds"), CustomResourceDefinition.class, "the TenantControlPlane CRD");
    String group = crd.getSpec().getGroup();
    Set<String> served = new TreeSet<>();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      if (Boolean.TRUE.equals(v.getServed())) {
        served.add(group + "/" + v.getName());
      }
    }
    assertThat(served).containsExactly("fleetplane.io/v1alpha1");
    assertThat(CUSTOM_RESOURCES.get("fleetplane.io/v1alpha1"))
        .containsExactly(crd.getSpec().getNames().getKind());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void everyContainerIsPinnedSizedProbedAndRunsAsNonRoot(String dir) {
    List<String> problems = new ArrayList<>();
    workloads(rendered(dir))
        .forEach(
            (name, pod) -> {
              for (Container c : pod.getContainers()) {
                problems.addAll(containerProblems(name, pod, c, true));
              }
              for (Container c : orEmpty(pod.getInitContainers())) {
                problems.addAll(containerProblems(name, pod, c, false));
              }
            });
    assertThat(problems).as("containers of deploy/%s", dir).isEmpty();
  }

  /**
   * The namespaces enforce the restricted Pod Security Standard: a pod that breaks it would be
   * refused at admission, so check it here.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void everyPodMeetsTheRestrictedPodSecurityStandard(String dir) {
    List<String> problems = new ArrayList<>();
    workloads(rendered(dir))
        .forEach(
            (name, pod) -> {
              if (Boolean.TRUE.equals(pod.getHostNetwork())
                  || Boolean.TRUE.equals(pod.getHostPID())
                  || Boolean.TRUE.equals(pod.getHostIPC())) {
                problems.add(name + ": uses the host's network, PID or IPC namespace");
              }
              orEmpty(pod.getVolumes()).stream()
                  .filter(v -> v.getHostPath() != null)
                  .forEach(v -> problems.add(name + ": hostPath volume " + v.getName()));
              PodSecurityContext psc = pod.getSecurityContext();
              String podSeccomp =
                  psc == null || psc.getSeccompProfile() == null
                      ? null
                      : psc.getSeccompProfile().getType();
              List<Container> all = new ArrayList<>(pod.getContainers());
              all.addAll(orEmpty(pod.getInitContainers()));
              for (Container c : all) {
                SecurityContext sc = c.getSecurityContext();
                String where = name + " container " + c.getName();
                if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                  problems.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
                  problems.add(where + ": privileged");
                }
                if (sc == null
                    || sc.getCapabilities() == null
                    || !orEmpty(sc.getCapabilities().getDrop()).contains("ALL")) {
                  problems.add(where + ": does not drop ALL capabilities");
                }
                if (sc != null
                    && sc.getCapabilities() != null
                    && !orEmpty(sc.getCapabilities().getAdd()).stream()
                        .allMatch("NET_BIND_SERVICE"::equals)) {
                  problems.add(where + ": adds capabilities " + sc.getCapabilities().getAdd());
                }
                String seccomp =
                    sc != null && sc.getSeccompProfile() != null
                        ? sc.getSeccompProfile().getType()
                        : podSeccomp;
                if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                  problems.add(where + ": seccomp profile is " + seccomp);
                }
              }
            });
    assertThat(problems).as("pods of deploy/%s", dir).isEmpty();
  }

  // ---- topics ----------------------------------------------------------------------------------

  @Test
  void kafkaTopicsAreTheEventsModulesTopicsWithTheirPartitionsAndSettings() {
    Map<String, GenericKubernetesResource> topics = new TreeMap<>();
    for (HasMetadata o : rendered("kafka")) {
      assertThat(o.getKind()).isEqualTo("KafkaTopic");
      GenericKubernetesResource t = (GenericKubernetesResource) o;
      Object topicName = spec(t).get("topicName");
      topics.put(topicName == null ? t.getMetadata().getName() : topicName.toString(), t);
    }
    assertThat(topics.keySet())
        .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(TopicSpec::name).toList());
    for (TopicSpec expected : Topics.all()) {
      Map<String, Object> spec = spec(topics.get(expected.name()));
      assertThat(((Number) spec.get("partitions")).intValue())
          .as("partitions of %s", expected.name())
          .isEqualTo(expected.defaultPartitions());
      @SuppressWarnings("unchecked")
      Map<String, Object> config = (Map<String, Object>) spec.get("config");
      Map<String, String> actual = new TreeMap<>();
      config.forEach((k, v) -> actual.put(k, String.valueOf(v)));
      // Every setting of the events module, with its value; the only addition is the durability
      // that replication 3 allows (TopicSpec leaves replication to the deployment).
      assertThat(actual)
          .as("config of %s", expected.name())
          .containsAllEntriesOf(expected.configs());
      assertThat(actual.keySet())
          .as("config of %s", expected.name())
          .isSubsetOf(union(expected.configs().keySet(), Set.of("min.insync.replicas")));
      assertThat(actual.get("cleanup.policy"))
          .isEqualTo(expected.compacted() ? "compact" : "delete");
    }
    assertThat(spec(topics.get(Topics.HOST_COMMANDS.name())).get("partitions"))
        .as("a host's commands and reports meet only with equal partition counts")
        .isEqualTo(spec(topics.get(Topics.HOST_REPORTS.name())).get("partitions"));
  }

  // ---- monitoring ------------------------------------------------------------------------------

  @Test
  void grafanaDashboardsParseAndReadOnlyMetricsTheCodeExposes() throws IOException {
    Set<String> exposed = MicrometerNames.of(SOURCES);
    // The derivation itself, on metrics scheduler/README.md documents.
    assertThat(exposed)
        .contains(
            "fleet_decisions_total",
            "fleet_decision_latency_seconds_bucket",
            "fleet_rejections_total",
            "fleet_pending",
            "fleet_host_utilisation");

    List<Path> dashboards;
    try (Stream<Path> files = Files.walk(Kustomize.DEPLOY.resolve("grafana"))) {
      dashboards = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(dashboards).isNotEmpty();
    ObjectMapper json = new ObjectMapper();
    for (Path file : dashboards) {
      String text = Files.readString(file);
      JsonNode dashboard = json.readTree(text);
      assertThat(dashboard.path("panels").isArray()).as("panels of %s", file).isTrue();
      List<String> queries = queries(dashboard);
      assertThat(queries).as("queries of %s", file).hasSizeGreaterThan(5);
      Map<String, Set<String>> unknown = new TreeMap<>();
      for (String q : queries) {
        for (String metric : PromQl.metricNames(q)) {
          if (!exposed.contains(metric)) {
            unknown.computeIfAbsent(metric, k -> new TreeSet<>()).add(q);
          }
        }
      }
      assertThat(unknown)
          .as(
              "metrics %s reads that no Micrometer meter in %s exposes (exposed: %s)",
              file.getFileName(), SOURCES, exposed)
          .isEmpty();
      // What deploy/grafana renders for Grafana's sidecar is this very file.
      assertThat(
              rendered("grafana").stream()
                  .filter(ConfigMap.class::isInstance)
                  .map(o -> ((ConfigMap) o).getData().get(file.getFileName().toString()))
                  .filter(Objects::nonNull))
          .containsExactly(text);
    }
  }

  @Test
  void theServiceMonitorScrapesEachSchedulerReplicaOnceAtItsMetricsPath() {
    GenericKubernetesResource monitor =
        (GenericKubernetesResource)
            rendered("monitoring").stream()
                .filter(o -> o.getKind().equals("ServiceMonitor"))
                .findFirst()
                .orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, String> selector =
        (Map<String, String>)
            ((Map<String, Object>) spec(monitor).get("selector")).get("matchLabels");
    List<Service> selected =
        rendered("overlays/fleetplane-system").stream()
            .filter(Service.class::isInstance)
            .map(Service.class::cast)
            .filter(s -> labels(s).entrySet().containsAll(selector.entrySet()))
            .toList();
    assertThat(selected)
        .as("Services the ServiceMonitor selects: one, or each replica is scraped twice")
        .hasSize(1);
    assertThat(selected.get(0).getMetadata().getNamespace())
        .isEqualTo(monitor.getMetadata().getNamespace());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> endpoints =
        (List<Map<String, Object>>) spec(monitor).get("endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("path")).isEqualTo("/q/metrics");
              assertThat(selected.get(0).getSpec().getPorts())
                  .anyMatch(p -> p.getName().equals(e.get("port")));
            });
  }

  // ---- the scheduler and the agent -------------------------------------------------------------

  @Test
  void eachSchedulerReplicaAdvertisesItsOwnAddressAndKeepsItsStateOnItsClaim() throws IOException {
    List<HasMetadata> objects = rendered("overlays/fleetplane-system");
    StatefulSet sts = only(objects, StatefulSet.class, "the scheduler's StatefulSet");
    assertThat(sts.getMetadata().getNamespace()).isEqualTo("fleetplane-system");
    Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
    EnvVar server =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("QUARKUS_KAFKA_STREAMS_APPLICATION_SERVER"))
            .findFirst()
            .orElseThrow();
    assertThat(server.getValue()).isEqualTo("$(POD_IP):8080");
    // $(VAR) expands only from variables defined before it.
    assertThat(names.indexOf("POD_IP")).isBetween(0, names.indexOf(server.getName()) - 1);
    assertThat(c.getEnv().get(names.indexOf("POD_IP")).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.podIP");

    Properties settings = properties(only(objects, ConfigMap.class, "the scheduler's settings"));
    assertThat(settings.getProperty("kafka.bootstrap.servers"))
        .as("without it the scheduler starts an embedded broker")
        .isNotBlank();
    String stateDir = settings.getProperty("kafka-streams.state.dir");
    String claim = sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> m.getName().equals(claim))
        .extracting(VolumeMount::getMountPath)
        .containsExactly(stateDir);
    assertThat(sts.getSpec().getServiceName())
        .isIn(
            objects.stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .filter(s -> "None".equals(s.getSpec().getClusterIP()))
                .map(s -> s.getMetadata().getName())
                .toList());
  }

  @Test
  void theAgentRunsInANamespaceTenantPoliciesAdmitAndKnowsWhichClusterItIs() throws IOException {
    List<HasMetadata> objects = rendered("agent/overlays/eu-west-h001");
    Deployment agent = only(objects, Deployment.class, "the agent's Deployment");
    Namespace ns =
        objects.stream()
            .filter(Namespace.class::isInstance)
            .map(Namespace.class::cast)
            .filter(n -> n.getMetadata().getName().equals(agent.getMetadata().getNamespace()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the agent's namespace is not rendered"));
    // io.fleetplane.agent.model.TenantNames.AGENT_NAMESPACE_LABEL: tenant NetworkPolicies admit
    // namespaces with it to the tenant API servers.
    assertThat(labels(ns)).containsEntry("fleetplane.io/agent", "true");
    assertThat(agent.getSpec().getReplicas()).isEqualTo(2);

    RuntimeClass gvisor = only(objects, RuntimeClass.class, "the gvisor RuntimeClass");
    assertThat(gvisor.getMetadata().getName()).isEqualTo("gvisor");
    assertThat(gvisor.getHandler()).isEqualTo("runsc");
    assertThat(only(objects, CustomResourceDefinition.class, "the CRD").getMetadata().getName())
        .isEqualTo("tenantcontrolplanes.fleetplane.io");

    Properties settings = properties(only(objects, ConfigMap.class, "the agent's settings"));
    assertThat(settings.getProperty("fleet.agent.cluster-id")).isEqualTo("eu-west-h001");
    assertThat(settings.getProperty("fleet.agent.region")).isEqualTo("eu-west");
    assertThat(settings.getProperty("kafka.bootstrap.servers")).isNotBlank();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Every pod template of the objects, by "Kind name". */
  static Map<String, PodSpec> workloads(List<HasMetadata> objects) {
    Map<String, PodSpec> out = new LinkedHashMap<>();
    for (HasMetadata o : objects) {
      String name = o.getKind() + " " + o.getMetadata().getName();
      if (o instanceof Deployment d) {
        out.put(name, d.getSpec().getTemplate().getSpec());
      } else if (o instanceof StatefulSet s) {
        out.put(name, s.getSpec().getTemplate().getSpec());
      } else if (o instanceof DaemonSet s) {
        out.put(name, s.getSpec().getTemplate().getSpec());
      } else if (o instanceof Job j) {
        out.put(name, j.getSpec().getTemplate().getSpec());
      } else if (o instanceof CronJob j) {
        out.put(name, j.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
      } else if (o instanceof io.fabric8.kubernetes.api.model.Pod p) {
        out.put(name, p.getSpec());
      }
    }
    return out;
  }

  static List<String> containerProblems(String owner, PodSpec pod, Container c, boolean probed) {
    List<String> problems = new ArrayList<>();
    String where = owner + " container " + c.getName();
    String image = c.getImage();
    if (image == null || image.isBlank()) {
      problems.add(where + ": no image");
    } else if (!image.contains("@sha256:")) {
      String last = image.substring(image.lastIndexOf('/') + 1);
      int colon = last.indexOf(':');
      if (colon < 0) {
        problems.add(where + ": image " + image + " has no tag");
      } else if (last.substring(colon + 1).equals("latest")) {
        problems.add(where + ": image " + image + " is tagged latest");
      }
    }
    var resources = c.getResources();
    for (String kind : List.of("requests", "limits")) {
      Map<String, Quantity> amounts =
          resources == null
              ? null
              : kind.equals("requests") ? resources.getRequests() : resources.getLimits();
      for (String r : List.of("cpu", "memory")) {
        if (amounts == null || amounts.get(r) == null) {
          problems.add(where + ": no " + r + " in resources." + kind);
        }
      }
    }
    if (probed && c.getLivenessProbe() == null) {
      problems.add(where + ": no liveness probe");
    }
    if (probed && c.getReadinessProbe() == null) {
      problems.add(where + ": no readiness probe");
    }
    Boolean containerNonRoot =
        c.getSecurityContext() == null ? null : c.getSecurityContext().getRunAsNonRoot();
    Boolean podNonRoot =
        pod.getSecurityContext() == null ? null : pod.getSecurityContext().getRunAsNonRoot();
    boolean nonRoot = containerNonRoot != null ? containerNonRoot : Boolean.TRUE.equals(podNonRoot);
    if (!nonRoot) {
      problems.add(where + ": runAsNonRoot is not true");
    }
    return problems;
  }

  /** All PromQL of a Grafana dashboard: panel targets (rows' panels too) and variable queries. */
  static List<String> queries(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(panels::add);
    for (int i = 0; i < panels.size(); i++) {
      JsonNode p = panels.get(i);
      p.path("panels").forEach(panels::add);
      p.path("targets")
          .forEach(
              t -> {
                if (t.hasNonNull("expr")) {
                  out.add(t.get("expr").asText());
                }
              });
    }
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (!v.path("type").asText().equals("query")) {
        continue;
      }
      JsonNode q = v.path("query");
      String text = q.isObject() ? q.path("query").asText() : q.asText();
      // Grafana's label_values(metric, label) reads metric; label_values(label) reads none.
      var lv =
          java.util.regex.Pattern.compile("^\\s*label_values\\((.*),\\s*[A-Za-z_]\\w*\\s*\\)\\s*$")
              .matcher(text);
      if (lv.matches()) {
        out.add(lv.group(1));
      } else if (!text.matches("^\\s*label_values\\(\\s*[A-Za-z_]\\w*\\s*\\)\\s*$")) {
        out.add(text.replaceAll("^\\s*query_result\\((.*)\\)\\s*$", "$1"));
      }
    }
    return out;
  }

  private static <T extends HasMetadata> T only(
      List<HasMetadata> objects, Class<T> type, String what) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(what).hasSize(1);
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  private static Map<String, String> labels(HasMetadata o) {
    return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
  }

  private static Properties properties(ConfigMap c) throws IOException {
    Properties p = new Properties();
    String file = c.getData().get("application.properties");
    assertThat(file)
        .as("application.properties in ConfigMap %s", c.getMetadata().getName())
        .isNotNull();
    p.load(new StringReader(file));
    return p;
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  static {
    // Fail early with the path if the module runs somewhere unexpected.
    if (!Files.isDirectory(Kustomize.DEPLOY)) {
      throw new UncheckedIOException(
          new IOException(
              "no deploy/ folder at " + Kustomize.DEPLOY + " (set -Dfleet.deploy.dir)"));
    }
  }
}
