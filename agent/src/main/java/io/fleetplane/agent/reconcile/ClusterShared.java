package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fleetplane.agent.model.ControlPlaneModel;
import io.fleetplane.agent.model.DatastoreModel;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What a host cluster holds once for every tenant: the {@code gvisor} RuntimeClass, the control
 * planes' PriorityClass and, once a tenant uses it, the shared etcd (its namespace, StatefulSet and
 * two Services). None is a dependent resource: no tenant owns them, releasing one tenant must not
 * take them from the others, and one object desired by many primaries' dependents would be written
 * by each (and answered 409). Tenant reconciles make sure of each at most once a {@link
 * #CHECK_EVERY}: reads, and a create only when something is missing.
 *
 * <p>An object that exists is left as it is (but for the RuntimeClass's handler): a PriorityClass's
 * value is immutable, and rewriting the shared etcd under running tenants is an upgrade for a
 * person to run, not a reconcile.
 */
final class ClusterShared {

  private static final Logger LOG = Logger.getLogger(ClusterShared.class);

  /**
   * A restart that reconciles a thousand tenants would otherwise read each object a thousand times.
   */
  static final Duration CHECK_EVERY = Duration.ofMinutes(1);

  private final Throttle runtimeClass = new Throttle();
  private final Throttle priorityClass = new Throttle();
  private final Throttle sharedEtcd = new Throttle();

  /** Makes sure of what the tenant needs that it does not own, where the last check is old. */
  void ensureFor(ControlPlaneModel.Workloads workloads, KubernetesClient client) {
    runtimeClass.run(() -> GvisorRuntimeClass.ensure(client));
    priorityClass.run(
        () -> {
          PriorityClass desired = ControlPlaneModel.priorityClass();
          PriorityClass actual =
              client.resources(PriorityClass.class).withName(desired.getMetadata().getName()).get();
          if (actual == null) {
            createIfMissing(client, desired);
          } else if (!desired.getValue().equals(actual.getValue())) {
            LOG.warnf(
                "PriorityClass %s has value %d, not %d; its value cannot be changed in place",
                desired.getMetadata().getName(), actual.getValue(), desired.getValue());
          }
        });
    if (workloads.sharedEtcd()) {
      sharedEtcd.run(
          () ->
              List.of(
                      DatastoreModel.sharedEtcdNamespace(),
                      DatastoreModel.sharedEtcdService(),
                      DatastoreModel.sharedEtcdHeadlessService(),
                      DatastoreModel.sharedEtcdStatefulSet())
                  .forEach(desired -> ensureExists(client, desired)));
    }
  }

  private static void ensureExists(KubernetesClient client, HasMetadata desired) {
    if (client.resource(desired).get() == null) {
      createIfMissing(client, desired);
    }
  }

  private static void createIfMissing(KubernetesClient client, HasMetadata desired) {
    try {
      client.resource(desired).create();
      LOG.infof("created the shared %s %s", desired.getKind(), desired.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // 409: another reconcile created it a moment ago
        throw e;
      }
    }
  }

  /**
   * Runs a check when the last successful one is older than {@link #CHECK_EVERY}. One check at a
   * time: the reconciles that start together after a restart would otherwise each find the object
   * missing and each create it (all but one answered 409).
   */
  private static final class Throttle {

    private long checkedAt;
    private boolean everChecked;

    synchronized void run(Runnable check) {
      long now = System.nanoTime();
      if (everChecked && now - checkedAt < CHECK_EVERY.toNanos()) {
        return;
      }
      check.run();
      // After success only: a failed check is tried again on the next reconcile.
      checkedAt = now;
      everChecked = true;
    }
  }
}
