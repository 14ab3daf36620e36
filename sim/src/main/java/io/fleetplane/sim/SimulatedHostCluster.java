package io.fleetplane.sim;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.fleetplane.agent.host.HostCapacity;
import io.fleetplane.agent.host.HostCluster;
import io.fleetplane.agent.host.TenantListener;
import io.fleetplane.events.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A host cluster in memory, for the demo, the failure drills and the scale run: nodes with
 * allocatable capacity, a fixed share taken by system pods on each, and tenants that "run" a
 * configurable delay after they are applied. A tenant can be made to fail (with its reason), a node
 * can be lost and come back. The agent's follower and reporters run on it unchanged.
 *
 * <p>A tenant goes Provisioning when applied (or re-applied with a different spec), then Ready
 * after {@code runAfter}, unless {@code failure} names a reason for it, in which case it goes
 * Failed with that reason. A deleted tenant is gone after {@code goneAfter} (its namespace
 * terminating). Pods are not modelled one by one: a tenant's requests are its placement's
 * resources, and a lost node's tenants are taken to be rescheduled on the others (the report's
 * allocatable shrinks; the scheduler stops placing where it no longer fits).
 *
 * <p>Thread-safe; timed steps run on the given timer, which many clusters share.
 */
public final class SimulatedHostCluster implements HostCluster {

  /**
   * One node: its zone, its allocatable (storage: the volumes it can give, as a CSI driver with
   * node-local topology publishes them), whether its runtime has gVisor's {@code runsc}.
   */
  public record Node(String name, String zone, Resources allocatable, boolean gvisor) {}

  /** The phases a simulated tenant goes through: the controller's own. */
  public static final String PROVISIONING = TenantControlPlaneStatus.PROVISIONING;

  public static final String READY = TenantControlPlaneStatus.READY;
  public static final String FAILED = TenantControlPlaneStatus.FAILED;

  private static final class Tenant {
    final TenantControlPlaneSpec spec;
    String phase = PROVISIONING;
    String message = "control plane starting";

    Tenant(TenantControlPlaneSpec spec) {
      this.spec = spec;
    }
  }

  private final ScheduledExecutorService timer;
  private final Duration runAfter;
  private final Duration goneAfter;
  private final Resources systemPerNode;
  private final Function<TenantControlPlaneSpec, String> failure;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, Boolean> nodeReady = new HashMap<>();
  private final Map<String, Tenant> tenants = new HashMap<>();

  /** Deleted tenants whose objects are still going: the generation to report gone. */
  private final Map<String, Long> going = new HashMap<>();

  private TenantListener listener;

  /**
   * @param nodes the cluster's nodes, all Ready at first
   * @param systemPerNode what system pods and daemonsets request on each Ready node
   * @param runAfter how long a tenant provisions before it is Ready (or Failed)
   * @param goneAfter how long a deleted tenant's objects take to go
   * @param failure the reason a tenant fails to start, or null for one that runs
   * @param timer runs the timed steps
   */
  public SimulatedHostCluster(
      List<Node> nodes,
      Resources systemPerNode,
      Duration runAfter,
      Duration goneAfter,
      Function<TenantControlPlaneSpec, String> failure,
      ScheduledExecutorService timer) {
    for (Node n : nodes) {
      this.nodes.put(n.name(), n);
      this.nodeReady.put(n.name(), true);
    }
    this.systemPerNode = systemPerNode;
    this.runAfter = runAfter;
    this.goneAfter = goneAfter;
    this.failure = failure == null ? s -> null : failure;
    this.timer = timer;
  }

  @Override
  public synchronized Map<String, TenantControlPlaneSpec> tenants() {
    Map<String, TenantControlPlaneSpec> out = new TreeMap<>();
    tenants.forEach((id, t) -> out.put(id, t.spec));
    return out;
  }

  @Override
  public synchronized boolean apply(TenantControlPlaneSpec spec) {
    Tenant was = tenants.get(spec.getTenantId());
    if (was != null && was.spec.equals(spec)) {
      return false;
    }
    Long wasGoing = going.remove(spec.getTenantId());
    if (wasGoing != null && listener != null) {
      // Placed here again before its old objects went: the old generation is gone first.
      listener.gone(spec.getTenantId(), wasGoing);
    }
    Tenant t = new Tenant(spec);
    tenants.put(spec.getTenantId(), t);
    tell(spec.getTenantId(), t);
    timer.schedule(() -> settle(t), runAfter.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  /** The tenant runs, or fails with the reason {@code failure} gives, unless it was replaced. */
  private synchronized void settle(Tenant t) {
    if (tenants.get(t.spec.getTenantId()) != t || !PROVISIONING.equals(t.phase)) {
      return;
    }
    String reason = failure.apply(t.spec);
    if (reason == null) {
      t.phase = READY;
      t.message = "every component is available";
    } else {
      t.phase = FAILED;
      t.message = reason;
    }
    tell(t.spec.getTenantId(), t);
  }

  @Override
  public synchronized boolean delete(String tenantId) {
    Tenant t = tenants.remove(tenantId);
    if (t == null) {
      return false;
    }
    long generation = t.spec.getPlacementGeneration();
    going.put(tenantId, generation);
    timer.schedule(() -> gone(tenantId, generation), goneAfter.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  private synchronized void gone(String tenantId, long generation) {
    if (going.remove(tenantId, generation) && listener != null) {
      listener.gone(tenantId, generation);
    }
  }

  /**
   * Makes a tenant that is here fail now, with {@code reason} (e.g. a crash loop that began after
   * it ran).
   *
   * @return whether the tenant is here
   */
  public synchronized boolean fail(String tenantId, String reason) {
    Tenant t = tenants.get(tenantId);
    if (t == null) {
      return false;
    }
    t.phase = FAILED;
    t.message = Objects.requireNonNull(reason);
    tell(tenantId, t);
    return true;
  }

  /** The node stops counting: NotReady, as when its kubelet is gone. */
  public synchronized void loseNode(String name) {
    requireNode(name);
    nodeReady.put(name, false);
  }

  /** The node counts again. */
  public synchronized void restoreNode(String name) {
    requireNode(name);
    nodeReady.put(name, true);
  }

  private void requireNode(String name) {
    if (!nodes.containsKey(name)) {
      throw new IllegalArgumentException("no node " + name + "; nodes: " + nodes.keySet());
    }
  }

  /** The tenant's phase, or null when it is not here. */
  public synchronized String phaseOf(String tenantId) {
    Tenant t = tenants.get(tenantId);
    return t == null ? null : t.phase;
  }

  /** How many tenants the cluster holds. */
  public synchronized int tenantCount() {
    return tenants.size();
  }

  /** How many of its tenants are in {@code phase}. */
  public synchronized int countIn(String phase) {
    int n = 0;
    for (Tenant t : tenants.values()) {
      if (phase.equals(t.phase)) {
        n++;
      }
    }
    return n;
  }

  public synchronized List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  @Override
  public synchronized HostCapacity capacity() {
    Resources allocatable = Resources.ZERO;
    Resources system = Resources.ZERO;
    TreeSet<String> zones = new TreeSet<>();
    boolean gvisor = false;
    int ready = 0;
    for (Node n : nodes.values()) {
      if (nodeReady.get(n.name())) {
        ready++;
        allocatable = allocatable.plus(n.allocatable());
        system = system.plus(systemPerNode);
        zones.add(n.zone());
        gvisor |= n.gvisor();
      }
    }
    Resources used = Resources.ZERO;
    int running = 0;
    for (Tenant t : tenants.values()) {
      used = used.plus(t.spec.resources());
      if (READY.equals(t.phase)) {
        running++;
      }
    }
    return new HostCapacity(
        new ArrayList<>(zones),
        List.of(),
        allocatable,
        system,
        used,
        gvisor,
        ready,
        nodes.size(),
        running);
  }

  @Override
  public synchronized AutoCloseable watchTenants(TenantListener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("this cluster's tenants are watched already");
    }
    this.listener = listener;
    tenants.forEach(this::tell);
    return () -> {
      synchronized (this) {
        this.listener = null;
      }
    };
  }

  private void tell(String tenantId, Tenant t) {
    if (listener != null) {
      listener.phase(tenantId, t.spec.getPlacementGeneration(), t.phase, t.message);
    }
  }
}
