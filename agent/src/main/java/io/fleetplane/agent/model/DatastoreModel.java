package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Resources;
import io.fleetplane.events.plan.Component;
import io.fleetplane.events.plan.PlanCatalogue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * etcd: a tenant's dedicated StatefulSet with its Services, or the host cluster's shared one, which
 * tenants of mode shared-etcd use under a key prefix each. (kine runs inside the API server's pod:
 * see {@link ApiServerModel}.)
 */
public final class DatastoreModel {

  private DatastoreModel() {}

  /** etcd's health endpoints, apart from the client port so that probes never queue behind it. */
  public static final int ETCD_METRICS_PORT = 2381;

  /** One store for many tenants: sized for them, and surviving the loss of one member. */
  public static final int SHARED_ETCD_REPLICAS = 3;

  public static final int SHARED_ETCD_STORAGE_GI = 20;
  public static final Resources SHARED_ETCD_RESOURCES = new Resources(1000, 2048, 1);

  /** etcd's own ceiling on its database size, however large the volume. */
  static final long MAX_BACKEND_BYTES = 8L << 30;

  static final String DATA_DIR = "/var/lib/etcd";

  /** Where the tenant's API server finds its dedicated etcd. */
  public static String etcdUrl(TenantControlPlaneSpec spec) {
    return "http://"
        + TenantNames.ETCD
        + "."
        + TenantNames.namespace(spec.getTenantId())
        + ".svc:"
        + TenantNames.ETCD_CLIENT_PORT;
  }

  public static String sharedEtcdUrl() {
    return "http://"
        + TenantNames.ETCD
        + "."
        + TenantNames.SHARED_ETCD_NAMESPACE
        + ".svc:"
        + TenantNames.ETCD_CLIENT_PORT;
  }

  /** The tenant's keys in the shared etcd. */
  public static String sharedEtcdPrefix(TenantControlPlaneSpec spec) {
    return "/tenants/" + spec.getTenantId();
  }

  /** The tenant's requested volume size, or its plan's when it asked for none. */
  public static int storageGi(TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    return spec.getStorageGi() != null
        ? spec.getStorageGi()
        : ControlPlaneModel.plan(spec, catalogue).storageGi();
  }

  // ---- dedicated -----------------------------------------------------------------------------

  /**
   * @throws IllegalArgumentException if the tenant's datastore is not a dedicated etcd
   */
  public static StatefulSet etcdStatefulSet(TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    if (ControlPlaneModel.datastoreMode(spec) != DatastoreMode.DEDICATED_ETCD) {
      throw new IllegalArgumentException(
          "tenant " + spec.getTenantId() + " uses " + spec.getDatastore() + ", not its own etcd");
    }
    Component etcd = catalogue.datastore(DatastoreMode.DEDICATED_ETCD);
    return statefulSet(
        TenantNames.namespace(spec.getTenantId()),
        Labels.ofComponent(spec.getTenantId(), TenantNames.ETCD),
        ControlPlaneModel.replicas(etcd, spec.isHighAvailability()),
        storageGi(spec, catalogue),
        etcd.perReplica(),
        Pods.runtimeClassName(spec));
  }

  /** The client endpoint, over the members that are ready. */
  public static Service etcdService(TenantControlPlaneSpec spec) {
    return clientService(
        TenantNames.namespace(spec.getTenantId()),
        Labels.ofComponent(spec.getTenantId(), TenantNames.ETCD));
  }

  public static Service etcdHeadlessService(TenantControlPlaneSpec spec) {
    return headlessService(
        TenantNames.namespace(spec.getTenantId()),
        Labels.ofComponent(spec.getTenantId(), TenantNames.ETCD));
  }

  // ---- kine ----------------------------------------------------------------------------------

  /**
   * A database credential from the platform team's Secret: keys {@code password} and, optionally,
   * {@code username}.
   */
  public record DatabaseCredential(String username, String password) {

    @Override
    public String toString() {
      return "DatabaseCredential[username=" + username + ", password=(hidden)]";
    }

    /** The credential in {@code secret}, or empty if it is missing or has no password. */
    public static Optional<DatabaseCredential> from(Secret secret) {
      if (secret == null || secret.getData() == null) {
        return Optional.empty();
      }
      String password = Pem.unbase64(secret.getData().get("password")).orElse(null);
      String username = Pem.unbase64(secret.getData().get("username")).orElse(null);
      return password == null || password.isEmpty()
          ? Optional.empty()
          : Optional.of(new DatabaseCredential(username, password));
    }
  }

  /**
   * kine's database endpoint ({@link ApiServerModel#KINE_ENDPOINT_KEY}): the placement's {@code
   * databaseRef}, with {@code credential}'s user and password put in as its user information
   * (percent-encoded), when there is one. The placement never carries a password (events are stored
   * in Kafka and refuse one).
   *
   * @throws IllegalArgumentException if the tenant does not use kine or names no database
   */
  public static Secret kineDatabaseSecret(
      TenantControlPlaneSpec spec, Optional<DatabaseCredential> credential) {
    if (ControlPlaneModel.datastoreMode(spec) != DatastoreMode.KINE) {
      throw new IllegalArgumentException(
          "tenant " + spec.getTenantId() + " uses " + spec.getDatastore() + ", not kine");
    }
    if (spec.getDatabaseRef() == null || spec.getDatabaseRef().isBlank()) {
      throw new IllegalArgumentException(
          "tenant " + spec.getTenantId() + " uses kine but names no database (databaseRef)");
    }
    String endpoint =
        credential.map(c -> withCredential(spec.getDatabaseRef(), c)).orElse(spec.getDatabaseRef());
    return new SecretBuilder()
        .withNewMetadata()
        .withName(TenantNames.KINE_DATABASE_SECRET)
        .withNamespace(TenantNames.namespace(spec.getTenantId()))
        .withLabels(Labels.ofComponent(spec.getTenantId(), TenantNames.KINE))
        .endMetadata()
        .withType(PkiModel.OPAQUE_TYPE)
        .withData(Map.of(ApiServerModel.KINE_ENDPOINT_KEY, Pem.base64(endpoint)))
        .build();
  }

  /**
   * {@code scheme://user:password@rest}: the reference's own user unless the credential names one.
   */
  static String withCredential(String ref, DatabaseCredential c) {
    int scheme = ref.indexOf("://");
    String head = ref.substring(0, scheme + 3);
    String rest = ref.substring(scheme + 3);
    int end = rest.length();
    for (char stop : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(stop);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    int at = rest.lastIndexOf('@', end);
    String user = at >= 0 ? rest.substring(0, at) : "";
    String hostAndAfter = at >= 0 ? rest.substring(at + 1) : rest;
    if (c.username() != null && !c.username().isEmpty()) {
      user = encode(c.username());
    }
    return head + user + ":" + encode(c.password()) + "@" + hostAndAfter;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  // ---- shared, once per host cluster ---------------------------------------------------------

  /** Pod Security "restricted" is enforced: nothing but the hardened etcd runs here. */
  public static Namespace sharedEtcdNamespace() {
    Map<String, String> labels = new LinkedHashMap<>(Labels.ours());
    labels.put("pod-security.kubernetes.io/enforce", "restricted");
    labels.put("pod-security.kubernetes.io/enforce-version", "latest");
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(TenantNames.SHARED_ETCD_NAMESPACE)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  /** No tenant's runtime class: it is no tenant's, and gVisor may not be on every host. */
  public static StatefulSet sharedEtcdStatefulSet() {
    return statefulSet(
        TenantNames.SHARED_ETCD_NAMESPACE,
        sharedEtcdLabels(),
        SHARED_ETCD_REPLICAS,
        SHARED_ETCD_STORAGE_GI,
        SHARED_ETCD_RESOURCES,
        null);
  }

  public static Service sharedEtcdService() {
    return clientService(TenantNames.SHARED_ETCD_NAMESPACE, sharedEtcdLabels());
  }

  public static Service sharedEtcdHeadlessService() {
    return headlessService(TenantNames.SHARED_ETCD_NAMESPACE, sharedEtcdLabels());
  }

  /** No tenant label, so releasing a tenant never selects it; tenants' policies select etcd. */
  static Map<String, String> sharedEtcdLabels() {
    Map<String, String> labels = new LinkedHashMap<>(Labels.ours());
    labels.put(Labels.COMPONENT, TenantNames.ETCD);
    return labels;
  }

  // ---- shared by both ------------------------------------------------------------------------

  /**
   * The members start in parallel and are addressed through the headless Service: with ordered
   * start, the first member would wait for a quorum whose other members are never created.
   */
  static StatefulSet statefulSet(
      String namespace,
      Map<String, String> labels,
      int replicas,
      int storageGi,
      Resources perReplica,
      String runtimeClassName) {
    PodSpec pod =
        Pods.hardened(runtimeClassName)
            .withAffinity(Pods.spreadOverNodes(labels))
            .addNewContainer()
            .withName(TenantNames.ETCD)
            .withImage(Images.ETCD)
            .withCommand("etcd")
            .withArgs(etcdArgs(namespace, replicas, storageGi))
            .addNewEnv()
            .withName("POD_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .withPorts(
                Pods.port("client", TenantNames.ETCD_CLIENT_PORT),
                Pods.port("peer", TenantNames.ETCD_PEER_PORT),
                Pods.port("metrics", ETCD_METRICS_PORT))
            .withResources(Pods.resources(perReplica))
            .withSecurityContext(Pods.containerSecurityContext())
            // Liveness must not need a quorum, or losing one would restart every member at once.
            .withStartupProbe(Pods.startup("HTTP", "/health?serializable=false", ETCD_METRICS_PORT))
            .withLivenessProbe(
                Pods.liveness(
                    "HTTP", "/health?exclude=NOSPACE&serializable=true", ETCD_METRICS_PORT))
            .withReadinessProbe(
                Pods.readiness("HTTP", "/health?serializable=false", ETCD_METRICS_PORT))
            .addNewVolumeMount()
            .withName(WorkloadNames.ETCD_DATA)
            .withMountPath(DATA_DIR)
            .endVolumeMount()
            .endContainer()
            .build();
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(TenantNames.ETCD)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(WorkloadNames.ETCD_PEERS)
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(labels)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .addNewVolumeClaimTemplate()
        .withNewMetadata()
        .withName(WorkloadNames.ETCD_DATA)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(storageGi + "Gi")))
        .endResources()
        .endSpec()
        .endVolumeClaimTemplate()
        .endSpec()
        .build();
  }

  /** Member {@code i} is pod {@code etcd-i}, which the peer Service names in DNS. */
  static List<String> etcdArgs(String namespace, int replicas, int storageGi) {
    String peerDomain = WorkloadNames.ETCD_PEERS + "." + namespace + ".svc";
    List<String> initialCluster = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      String member = TenantNames.ETCD + "-" + i;
      initialCluster.add(
          member + "=http://" + member + "." + peerDomain + ":" + TenantNames.ETCD_PEER_PORT);
    }
    String self = "$(POD_NAME)." + peerDomain;
    return List.of(
        "--name=$(POD_NAME)",
        // A directory below the mount: etcd wants it 0700 and empty, which a volume's root is not.
        "--data-dir=" + DATA_DIR + "/data",
        "--listen-client-urls=http://0.0.0.0:" + TenantNames.ETCD_CLIENT_PORT,
        "--advertise-client-urls=http://" + self + ":" + TenantNames.ETCD_CLIENT_PORT,
        "--listen-peer-urls=http://0.0.0.0:" + TenantNames.ETCD_PEER_PORT,
        "--initial-advertise-peer-urls=http://" + self + ":" + TenantNames.ETCD_PEER_PORT,
        "--initial-cluster=" + String.join(",", initialCluster),
        "--initial-cluster-state=new",
        "--initial-cluster-token=" + namespace,
        "--listen-metrics-urls=http://0.0.0.0:" + ETCD_METRICS_PORT,
        // Half the volume: the write-ahead log and snapshots need the rest, and an etcd whose
        // volume fills up stops, while one that reaches its quota only refuses writes.
        "--quota-backend-bytes=" + Math.min(MAX_BACKEND_BYTES, ((long) storageGi << 30) / 2));
  }

  private static Service clientService(String namespace, Map<String, String> labels) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(TenantNames.ETCD)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(labels)
        .withPorts(servicePort("client", TenantNames.ETCD_CLIENT_PORT))
        .endSpec()
        .build();
  }

  /** Members must find each other before they are ready: readiness needs the quorum they form. */
  private static Service headlessService(String namespace, Map<String, String> labels) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.ETCD_PEERS)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(labels)
        .withPorts(
            servicePort("client", TenantNames.ETCD_CLIENT_PORT),
            servicePort("peer", TenantNames.ETCD_PEER_PORT))
        .endSpec()
        .build();
  }

  private static ServicePort servicePort(String name, int port) {
    return new ServicePortBuilder()
        .withName(name)
        .withProtocol("TCP")
        .withPort(port)
        .withTargetPort(new IntOrString(port))
        .build();
  }
}
