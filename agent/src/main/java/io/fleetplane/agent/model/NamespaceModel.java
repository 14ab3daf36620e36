package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.plan.PlanCatalogue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tenant's namespace, its quota and its default limits. Pure: the same spec always gives the
 * same objects.
 */
public final class NamespaceModel {

  private NamespaceModel() {}

  /**
   * Pod Security: {@code baseline} is enforced (etcd and the API server need nothing more, and no
   * tenant pod may be privileged); {@code restricted} is warned about and audited.
   */
  public static Namespace namespace(TenantControlPlaneSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>(Labels.ofTenant(spec.getTenantId()));
    labels.put("pod-security.kubernetes.io/enforce", "baseline");
    labels.put("pod-security.kubernetes.io/enforce-version", "latest");
    labels.put("pod-security.kubernetes.io/warn", "restricted");
    labels.put("pod-security.kubernetes.io/audit", "restricted");
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(TenantNames.namespace(spec.getTenantId()))
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  /**
   * What the scheduler committed for the tenant, as a hard quota: requests equal limits, so the
   * namespace can never use more than the host's ledger counts for it. Storage and claims are those
   * of a dedicated etcd: one volume of {@link DatastoreModel#storageGi} per member (3 x 8Gi = 24Gi
   * for a highly available medium tenant); other modes claim none.
   */
  public static ResourceQuota quota(TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    Map<String, Quantity> hard = new LinkedHashMap<>();
    hard.put("requests.cpu", new Quantity(spec.getCpuMillis() + "m"));
    hard.put("limits.cpu", new Quantity(spec.getCpuMillis() + "m"));
    hard.put("requests.memory", new Quantity(spec.getMemoryMiB() + "Mi"));
    hard.put("limits.memory", new Quantity(spec.getMemoryMiB() + "Mi"));
    hard.put("pods", new Quantity(Long.toString(spec.getPods())));
    int claims = 0;
    int storage = 0;
    if (ControlPlaneModel.datastoreMode(spec) == DatastoreMode.DEDICATED_ETCD) {
      claims =
          ControlPlaneModel.replicas(
              catalogue.datastore(DatastoreMode.DEDICATED_ETCD), spec.isHighAvailability());
      storage =
          (int)
              catalogue.storageGi(
                  spec.getPlan(),
                  DatastoreMode.DEDICATED_ETCD,
                  spec.isHighAvailability(),
                  DatastoreModel.storageGi(spec, catalogue));
    }
    hard.put("requests.storage", new Quantity(storage + "Gi"));
    hard.put("persistentvolumeclaims", new Quantity(Integer.toString(claims)));
    hard.put("services.loadbalancers", new Quantity("0"));
    hard.put("services.nodeports", new Quantity("0"));
    return new ResourceQuotaBuilder()
        .withNewMetadata()
        .withName(TenantNames.QUOTA)
        .withNamespace(TenantNames.namespace(spec.getTenantId()))
        .withLabels(Labels.ofTenant(spec.getTenantId()))
        .endMetadata()
        .withNewSpec()
        .withHard(hard)
        .endSpec()
        .build();
  }

  /** Defaults for a container that names no resources, so that the quota can admit it. */
  public static LimitRange limits(TenantControlPlaneSpec spec) {
    return new LimitRangeBuilder()
        .withNewMetadata()
        .withName(TenantNames.LIMITS)
        .withNamespace(TenantNames.namespace(spec.getTenantId()))
        .withLabels(Labels.ofTenant(spec.getTenantId()))
        .endMetadata()
        .withNewSpec()
        .addNewLimit()
        .withType("Container")
        .withDefault(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
        .withDefaultRequest(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
        .endLimit()
        .endSpec()
        .build();
  }
}
