package io.fleetplane.agent.host;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.storage.CSIStorageCapacity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.report.HostFacts;
import io.fleetplane.agent.report.HostReports;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Resources;
import io.fleetplane.events.Taint;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The capacity of a Kubernetes host cluster, computed from the nodes, pods, runtime classes and
 * storage objects its API lists. Pure: the caller lists the objects and passes the time ({@link
 * KubernetesHostCluster}).
 */
public final class KubernetesCapacity {

  private KubernetesCapacity() {}

  /** The well-known label of the zone a node runs in. */
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  /**
   * Set to {@code "true"} on the nodes of the pool whose container runtime has the {@code runsc}
   * handler. The RuntimeClass alone proves nothing: where no node has the handler, a sandboxed pod
   * is accepted and then never starts.
   */
  public static final String GVISOR_NODE_LABEL = "fleetplane.io/gvisor";

  /** GKE Sandbox labels its gVisor nodes so itself ({@code =gvisor}); accepted like ours. */
  public static final String GKE_SANDBOX_LABEL = "sandbox.gke.io/runtime";

  /**
   * The node lifecycle controller's taints on cordoned, not-ready and unreachable nodes. They say a
   * node is out, not that the cluster restricts tenants: such a node is not counted, and the taints
   * are never reported.
   */
  private static final Set<String> HEALTH_TAINTS =
      Set.of(
          "node.kubernetes.io/unschedulable",
          "node.kubernetes.io/not-ready",
          "node.kubernetes.io/unreachable");

  private static final String TENANT_NAMESPACE_PREFIX = TenantNames.namespace("");
  private static final BigDecimal MIB = BigDecimal.valueOf(1024 * 1024);

  /**
   * The report. Counted nodes are those Ready, not cordoned and without a NoSchedule or NoExecute
   * health taint; nodes = (counted, all). allocatable = sum of the counted nodes' {@code
   * status.allocatable}; zones = their distinct zone labels, sorted; taints = those every one of
   * them has. A pod counts when it is neither Succeeded nor Failed and is bound to a counted node:
   * tenantUsed = sum of the requests ({@code request}) of the fleet's tenant pods, unmanagedUsed =
   * the same for every other pod. gvisor = a {@code gvisor} RuntimeClass with handler {@code runsc}
   * exists and a counted node runs it. The rest comes from {@code facts}.
   */
  public static HostReport report(
      HostFacts facts,
      List<Node> nodes,
      List<Pod> pods,
      List<RuntimeClass> runtimeClasses,
      StorageObjects storage,
      int tenantsRunning,
      Instant now) {
    return HostReports.report(
        facts, observe(nodes, pods, runtimeClasses, storage, tenantsRunning), now);
  }

  /**
   * What the cluster's API says about storage for the tenants' datastores: its StorageClasses, the
   * CSIStorageCapacity objects their drivers publish, the fleet's own claims (labelled with a
   * tenant), and the amount configured for a driver that publishes none ({@code
   * fleet.agent.storage-gib}).
   */
  public record StorageObjects(
      List<StorageClass> classes,
      List<CSIStorageCapacity> capacities,
      List<PersistentVolumeClaim> claims,
      OptionalLong configuredGib) {

    /** Nothing known of storage: it goes unreported. */
    public static final StorageObjects NONE =
        new StorageObjects(List.of(), List.of(), List.of(), OptionalLong.empty());

    public StorageObjects {
      classes = List.copyOf(classes);
      capacities = List.copyOf(capacities);
      claims = List.copyOf(claims);
    }
  }

  /**
   * The capacity the listed objects give, by the rules of {@link #report(HostFacts, List, List,
   * List, StorageObjects, int, Instant)} and {@link #storage}.
   */
  public static HostCapacity observe(
      List<Node> nodes,
      List<Pod> pods,
      List<RuntimeClass> runtimeClasses,
      StorageObjects storage,
      int tenantsRunning) {
    List<Node> counted = nodes.stream().filter(KubernetesCapacity::counts).toList();
    Set<String> countedNames =
        counted.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    Resources allocatable = Resources.ZERO;
    for (Node node : counted) {
      allocatable =
          allocatable.plus(resources(node.getStatus().getAllocatable(), RoundingMode.FLOOR));
    }
    Resources tenantUsed = Resources.ZERO;
    Resources unmanagedUsed = Resources.ZERO;
    for (Pod pod : pods) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue; // a finished pod's requests are free again for the scheduler
      }
      if (pod.getSpec() == null || !countedNames.contains(pod.getSpec().getNodeName())) {
        continue; // pending, or on a node whose capacity is not counted either
      }
      if (isTenantPod(pod)) {
        tenantUsed = tenantUsed.plus(request(pod.getSpec()));
      } else {
        unmanagedUsed = unmanagedUsed.plus(request(pod.getSpec()));
      }
    }
    List<String> zones =
        counted.stream()
            .map(n -> labels(n.getMetadata()).get(ZONE_LABEL))
            .filter(z -> z != null)
            .distinct()
            .sorted()
            .toList();
    boolean gvisor =
        runtimeClasses.stream()
                .anyMatch(
                    rc ->
                        rc.getMetadata() != null
                            && TenantNames.GVISOR_RUNTIME_CLASS.equals(rc.getMetadata().getName())
                            && TenantNames.GVISOR_HANDLER.equals(rc.getHandler()))
            && counted.stream()
                .map(n -> labels(n.getMetadata()))
                .anyMatch(KubernetesCapacity::runsc);
    long[] volumes = storage(storage);
    return new HostCapacity(
        zones,
        commonTaints(counted),
        allocatable.with(Dimension.STORAGE, volumes[0]),
        unmanagedUsed,
        tenantUsed.with(Dimension.STORAGE, volumes[1]),
        gvisor,
        counted.size(),
        nodes.size(),
        tenantsRunning);
  }

  /** Kubernetes marks its default StorageClass so; the beta spelling is still honoured. */
  static final List<String> DEFAULT_CLASS_ANNOTATIONS =
      List.of(
          "storageclass.kubernetes.io/is-default-class",
          "storageclass.beta.kubernetes.io/is-default-class");

  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  /**
   * Storage, in GiB: {allocatable, tenantUsed}. A tenant's etcd claims its volumes without naming a
   * class, so they come from the cluster's default StorageClass (the newest one marked default, as
   * the API server chooses). allocatable = what that class's driver publishes it can still
   * provision (its CSIStorageCapacity objects, summed over their topology segments, rounded down) +
   * what the fleet's own bound claims of the class hold; when the driver publishes nothing, the
   * configured amount; else {@link Resources#UNREPORTED}, and the scheduler does not limit it.
   * tenantUsed = the fleet's bound claims (rounded up). Nothing is unmanaged: the volumes of others
   * are already outside what the driver can still provision.
   */
  static long[] storage(StorageObjects s) {
    String defaultClass =
        s.classes().stream()
            .filter(KubernetesCapacity::isDefault)
            .max(
                Comparator.comparing(
                        (StorageClass c) ->
                            c.getMetadata().getCreationTimestamp() == null
                                ? ""
                                : c.getMetadata().getCreationTimestamp())
                    .thenComparing(c -> c.getMetadata().getName(), Comparator.reverseOrder()))
            .map(c -> c.getMetadata().getName())
            .orElse(null);
    long ours = 0;
    long oursOfClass = 0;
    for (PersistentVolumeClaim claim : s.claims()) {
      if (!labels(claim.getMetadata()).containsKey(Labels.TENANT)
          || claim.getStatus() == null
          || !"Bound".equals(claim.getStatus().getPhase())) {
        continue; // not the fleet's, or not yet holding a volume
      }
      long gib = gib(claimSize(claim), RoundingMode.CEILING);
      ours += gib;
      String cls = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
      if (cls == null || cls.equals(defaultClass)) {
        oursOfClass += gib;
      }
    }
    boolean published = false;
    BigDecimal available = BigDecimal.ZERO;
    for (CSIStorageCapacity c : s.capacities()) {
      if (defaultClass != null && defaultClass.equals(c.getStorageClassName())) {
        published = true;
        available = available.add(amount(c.getCapacity()));
      }
    }
    long allocatable;
    if (published) {
      allocatable = gib(available, RoundingMode.FLOOR) + oursOfClass;
    } else if (s.configuredGib().isPresent()) {
      allocatable = s.configuredGib().getAsLong();
    } else {
      allocatable = Resources.UNREPORTED;
    }
    if (allocatable != Resources.UNREPORTED) {
      allocatable = Math.min(allocatable, Dimension.STORAGE.max());
    }
    return new long[] {allocatable, Math.min(ours, Dimension.STORAGE.max())};
  }

  private static boolean isDefault(StorageClass c) {
    if (c.getMetadata() == null || c.getMetadata().getAnnotations() == null) {
      return false;
    }
    return DEFAULT_CLASS_ANNOTATIONS.stream()
        .anyMatch(a -> "true".equals(c.getMetadata().getAnnotations().get(a)));
  }

  /** What a bound claim holds: its volume's capacity, else what it asked for. */
  private static BigDecimal claimSize(PersistentVolumeClaim claim) {
    Map<String, Quantity> capacity = claim.getStatus().getCapacity();
    if (capacity != null && capacity.get("storage") != null) {
      return amount(capacity.get("storage"));
    }
    if (claim.getSpec() != null
        && claim.getSpec().getResources() != null
        && claim.getSpec().getResources().getRequests() != null) {
      return amount(claim.getSpec().getResources().getRequests().get("storage"));
    }
    return BigDecimal.ZERO;
  }

  private static long gib(BigDecimal bytes, RoundingMode round) {
    BigDecimal g = bytes.divide(GIB, 0, round);
    return g.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : g.longValue();
  }

  /**
   * What the scheduler reserves for a pod, by kube-scheduler's own rule (its NodeResourcesFit
   * plugin sums {@code k8s.io/component-helpers/resource.PodRequests}): per resource, the larger of
   * sum(app containers) + sum(sidecars) and the largest need of the init phase, where init
   * container i needs its own requests plus those of the sidecars (init containers with {@code
   * restartPolicy: Always}) started before it; pod-level {@code spec.resources.requests}, where
   * set, replace that for their resource; then {@code spec.overhead} (the RuntimeClass's, e.g.
   * gVisor's) is added. Every pod takes one pod slot, even one that requests nothing.
   */
  static Resources request(PodSpec spec) {
    Resources containers = Resources.ZERO;
    for (Container c : list(spec.getContainers())) {
      containers = containers.plus(requests(c));
    }
    Resources sidecars = Resources.ZERO;
    Resources init = Resources.ZERO;
    for (Container c : list(spec.getInitContainers())) {
      if ("Always".equals(c.getRestartPolicy())) {
        sidecars = sidecars.plus(requests(c));
        init = max(init, sidecars);
      } else {
        init = max(init, sidecars.plus(requests(c)));
      }
    }
    Resources need = max(containers.plus(sidecars), init);
    if (spec.getResources() != null && spec.getResources().getRequests() != null) {
      Map<String, Quantity> podLevel = spec.getResources().getRequests();
      Resources set = resources(podLevel, RoundingMode.CEILING);
      for (Dimension d : Dimension.values()) {
        if (d != Dimension.PODS && podLevel.containsKey(KUBERNETES_NAMES.get(d))) {
          need = need.with(d, set.get(d));
        }
      }
    }
    // Every pod takes one pod slot, whatever its containers ask.
    return need.plus(resources(spec.getOverhead(), RoundingMode.CEILING)).with(Dimension.PODS, 1);
  }

  /**
   * The name of each dimension in a node's or container's resource list. Storage has none there: it
   * is counted from claims and what the driver publishes ({@link #storage}).
   */
  private static final Map<Dimension, String> KUBERNETES_NAMES =
      Map.of(Dimension.CPU, "cpu", Dimension.MEMORY, "memory", Dimension.PODS, "pods");

  /**
   * The fleet's: labelled with a tenant id, or in a tenant namespace and labelled as the agent's.
   * The namespace prefix alone is not enough, as anyone may name a namespace {@code tenant-x}.
   */
  static boolean isTenantPod(Pod pod) {
    Map<String, String> labels = labels(pod.getMetadata());
    String namespace = pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
    return labels.containsKey(Labels.TENANT)
        || (namespace != null
            && namespace.startsWith(TENANT_NAMESPACE_PREFIX)
            && Labels.AGENT.equals(labels.get(Labels.MANAGED_BY)));
  }

  static boolean counts(Node node) {
    boolean ready =
        node.getStatus() != null
            && list(node.getStatus().getConditions()).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    boolean cordoned =
        node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    boolean unhealthy =
        taints(node).stream()
            .anyMatch(
                t ->
                    HEALTH_TAINTS.contains(t.getKey())
                        && ("NoSchedule".equals(t.getEffect())
                            || "NoExecute".equals(t.getEffect())));
    return ready && !cordoned && !unhealthy;
  }

  /**
   * The taints every counted node has: a tenant that does not tolerate one of them fits on no node,
   * while one that only some nodes have still leaves it the others.
   */
  private static List<Taint> commonTaints(List<Node> counted) {
    if (counted.isEmpty()) {
      return List.of();
    }
    return ownTaints(counted.get(0)).stream()
        .filter(t -> counted.stream().allMatch(n -> ownTaints(n).contains(t)))
        .distinct()
        .sorted(
            Comparator.comparing(Taint::key)
                .thenComparing(Taint::effect)
                .thenComparing(Taint::value, Comparator.nullsFirst(Comparator.naturalOrder())))
        .toList();
  }

  private static List<Taint> ownTaints(Node node) {
    return taints(node).stream()
        .filter(t -> !HEALTH_TAINTS.contains(t.getKey()))
        .map(t -> new Taint(t.getKey(), t.getValue(), t.getEffect()))
        .toList();
  }

  private static boolean runsc(Map<String, String> nodeLabels) {
    return "true".equals(nodeLabels.get(GVISOR_NODE_LABEL))
        || "gvisor".equals(nodeLabels.get(GKE_SANDBOX_LABEL));
  }

  /**
   * Whole millicores, MiB and pods of a resource list. A node's allocatable is rounded down and a
   * container's request up, so that the report never shows more room than there is.
   */
  private static Resources resources(Map<String, Quantity> list, RoundingMode round) {
    if (list == null) {
      return Resources.ZERO;
    }
    Resources r = Resources.ZERO;
    for (Map.Entry<Dimension, String> e : KUBERNETES_NAMES.entrySet()) {
      BigDecimal a = amount(list.get(e.getValue()));
      BigDecimal whole =
          switch (e.getKey()) {
            case CPU -> a.movePointRight(3).setScale(0, round);
            case MEMORY -> a.divide(MIB, 0, round);
            default -> a.setScale(0, round);
          };
      r = r.with(e.getKey(), whole.longValueExact());
    }
    return r;
  }

  private static BigDecimal amount(Quantity q) {
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }

  private static Resources requests(Container c) {
    return c.getResources() == null
        ? Resources.ZERO
        : resources(c.getResources().getRequests(), RoundingMode.CEILING);
  }

  private static Resources max(Resources a, Resources b) {
    long[] m = new long[Dimension.COUNT];
    for (Dimension d : Dimension.values()) {
      m[d.ordinal()] = Math.max(a.get(d), b.get(d));
    }
    return Resources.of(m);
  }

  private static List<io.fabric8.kubernetes.api.model.Taint> taints(Node node) {
    return node.getSpec() == null ? List.of() : list(node.getSpec().getTaints());
  }

  private static Map<String, String> labels(ObjectMeta meta) {
    return meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
