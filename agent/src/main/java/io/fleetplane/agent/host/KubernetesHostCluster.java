package io.fleetplane.agent.host;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.storage.CSIStorageCapacity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.agent.model.TenantNames;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@link HostCluster} on a real API server through fabric8: plain create, update and delete (no
 * server-side apply), the same calls against the test server as in production. A resource is named
 * after its tenant.
 *
 * <p>Capacity and the tenants' lifecycle come from informers, started on first use (so a report
 * costs no API call); {@link #close} stops them.
 */
public final class KubernetesHostCluster implements HostCluster, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(KubernetesHostCluster.class);

  /** How often a released tenant's namespace is looked at until it has gone. */
  static final Duration GONE_CHECK_EVERY = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<RuntimeClass> runtimeClasses;
  private SharedIndexInformer<TenantControlPlane> tenants;
  private SharedIndexInformer<StorageClass> storageClasses;
  private SharedIndexInformer<CSIStorageCapacity> storageCapacities;
  private SharedIndexInformer<PersistentVolumeClaim> claims;
  private final OptionalLong configuredStorageGib;

  /** A cluster whose storage is known only from what its drivers publish. */
  public KubernetesHostCluster(KubernetesClient client) {
    this(client, OptionalLong.empty());
  }

  /**
   * @param configuredStorageGib the volumes' GiB this cluster gives tenants' datastores when the
   *     default StorageClass's driver publishes no CSIStorageCapacity ({@code
   *     fleet.agent.storage-gib})
   */
  public KubernetesHostCluster(KubernetesClient client, OptionalLong configuredStorageGib) {
    this.client = client;
    this.configuredStorageGib = configuredStorageGib;
  }

  @Override
  public Map<String, TenantControlPlaneSpec> tenants() {
    Map<String, TenantControlPlaneSpec> out = new TreeMap<>();
    for (TenantControlPlane t :
        client
            .resources(TenantControlPlane.class)
            .withLabel(Labels.MANAGED_BY, Labels.AGENT)
            .list()
            .getItems()) {
      out.put(t.getMetadata().getName(), t.getSpec());
    }
    return out;
  }

  @Override
  public boolean apply(TenantControlPlaneSpec spec) {
    var resource = client.resources(TenantControlPlane.class).withName(spec.getTenantId());
    TenantControlPlane existing = resource.get();
    if (existing == null) {
      TenantControlPlane t = new TenantControlPlane();
      t.setMetadata(
          new ObjectMetaBuilder()
              .withName(spec.getTenantId())
              .withLabels(Labels.ofTenant(spec.getTenantId()))
              .build());
      t.setSpec(spec);
      try {
        client.resource(t).create();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = resource.get(); // created meanwhile: fall through to the update
      }
    }
    if (spec.equals(existing.getSpec())) {
      return false;
    }
    existing.setSpec(spec);
    client.resource(existing).update(); // 409 on a stale resourceVersion: the caller retries
    return true;
  }

  @Override
  public boolean delete(String tenantId) {
    return !client.resources(TenantControlPlane.class).withName(tenantId).delete().isEmpty();
  }

  @Override
  public synchronized HostCapacity capacity() {
    if (nodes == null) {
      nodes = client.nodes().inform();
      pods = client.pods().inAnyNamespace().inform();
      runtimeClasses = client.resources(RuntimeClass.class).inform();
      tenants = client.resources(TenantControlPlane.class).inform();
      informStorage();
    }
    return KubernetesCapacity.observe(
        nodes.getStore().list(),
        pods.getStore().list(),
        runtimeClasses.getStore().list(),
        storageObjects(),
        runningTenants());
  }

  /**
   * Watches what storage needs (StorageClasses, CSIStorageCapacity, the fleet's claims). A cluster
   * that refuses it (RBAC not yet updated, an API server without CSIStorageCapacity) still reports
   * everything else, storage as configured or not at all; the reason is logged once.
   */
  private void informStorage() {
    try {
      storageClasses = client.storage().v1().storageClasses().inform();
      storageCapacities = client.resources(CSIStorageCapacity.class).inAnyNamespace().inform();
      claims = client.persistentVolumeClaims().inAnyNamespace().withLabel(Labels.TENANT).inform();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "cannot watch the cluster's storage (StorageClasses, CSIStorageCapacity, claims): %s;"
              + " storage is reported %s",
          e.getMessage(),
          configuredStorageGib.isPresent()
              ? "as configured (" + configuredStorageGib.getAsLong() + " GiB)"
              : "as unknown: the scheduler does not limit it");
      closeStorage();
    }
  }

  private KubernetesCapacity.StorageObjects storageObjects() {
    if (storageClasses == null) {
      return new KubernetesCapacity.StorageObjects(
          java.util.List.of(), java.util.List.of(), java.util.List.of(), configuredStorageGib);
    }
    return new KubernetesCapacity.StorageObjects(
        storageClasses.getStore().list(),
        storageCapacities.getStore().list(),
        claims.getStore().list(),
        configuredStorageGib);
  }

  private void closeStorage() {
    for (SharedIndexInformer<?> i :
        new SharedIndexInformer<?>[] {storageClasses, storageCapacities, claims}) {
      if (i != null) {
        i.close();
      }
    }
    storageClasses = null;
    storageCapacities = null;
    claims = null;
  }

  /** Tenants whose control plane is Ready, as the controller last wrote their status. */
  private int runningTenants() {
    int n = 0;
    for (TenantControlPlane t : tenants.getStore().list()) {
      if (t.getStatus() != null && "Ready".equals(t.getStatus().getPhase())) {
        n++;
      }
    }
    return n;
  }

  /**
   * Phases come from the controller's status writes; a tenant is gone when its resource is deleted
   * and its namespace (which holds every other object of it, and may take a while to terminate) has
   * gone too, looked at every {@link #GONE_CHECK_EVERY}.
   */
  @Override
  public AutoCloseable watchTenants(TenantListener listener) {
    ScheduledExecutorService goneChecks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fleet-release-checks");
              t.setDaemon(true);
              return t;
            });
    SharedIndexInformer<TenantControlPlane> informer =
        client
            .resources(TenantControlPlane.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(TenantControlPlane t) {
                    phase(null, t);
                  }

                  @Override
                  public void onUpdate(TenantControlPlane before, TenantControlPlane after) {
                    phase(before, after);
                  }

                  @Override
                  public void onDelete(TenantControlPlane t, boolean finalStateUnknown) {
                    goneOnceNamespaceIs(t, 0);
                  }

                  private void phase(TenantControlPlane before, TenantControlPlane after) {
                    String was =
                        before == null || before.getStatus() == null
                            ? null
                            : before.getStatus().getPhase();
                    String now = after.getStatus() == null ? null : after.getStatus().getPhase();
                    if (now != null && !now.equals(was)) {
                      listener.phase(
                          tenantOf(after),
                          generationOf(after),
                          now,
                          after.getStatus().getMessage());
                    }
                  }

                  private void goneOnceNamespaceIs(TenantControlPlane t, int checks) {
                    String tenant = tenantOf(t);
                    if (client.namespaces().withName(TenantNames.namespace(tenant)).get() == null) {
                      listener.gone(tenant, generationOf(t));
                      return;
                    }
                    if (checks == 0) {
                      LOG.infof("tenant %s released: waiting for its namespace to go", tenant);
                    }
                    try {
                      goneChecks.schedule(
                          () -> goneOnceNamespaceIs(t, checks + 1),
                          GONE_CHECK_EVERY.toMillis(),
                          TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException closed) {
                      // stopping: the next agent's replay finds nothing of it, reports nothing more
                    }
                  }
                });
    return () -> {
      informer.close();
      goneChecks.shutdownNow();
    };
  }

  private static String tenantOf(TenantControlPlane t) {
    return t.getSpec() == null ? t.getMetadata().getName() : t.getSpec().getTenantId();
  }

  private static long generationOf(TenantControlPlane t) {
    return t.getSpec() == null ? 0 : t.getSpec().getPlacementGeneration();
  }

  @Override
  public synchronized void close() {
    if (nodes != null) {
      nodes.close();
      pods.close();
      runtimeClasses.close();
      tenants.close();
      closeStorage();
      nodes = null;
    }
  }
}
