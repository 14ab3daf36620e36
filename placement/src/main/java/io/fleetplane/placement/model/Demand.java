package io.fleetplane.placement.model;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a tenant needs of its host: resources (its plan plus datastore overhead, computed by the
 * caller from the plan catalogue) and constraints.
 *
 * @param region the tenant's region; null places anywhere
 * @param requiredLabels labels the host must carry, with these values
 * @param gvisor the tenant asked for gVisor isolation
 * @param datastoreMode the host must offer it; "shared-etcd" also takes shared-etcd headroom
 * @param highAvailability the host must span at least three zones
 * @param priority higher is placed first and moved last
 */
public record Demand(
    String tenantId,
    ResourceVector resources,
    String region,
    SortedMap<String, String> requiredLabels,
    List<Toleration> tolerations,
    boolean gvisor,
    String datastoreMode,
    boolean highAvailability,
    int priority) {

  public static final String SHARED_ETCD = "shared-etcd";

  public Demand {
    if (resources.anyNegative()) {
      throw new IllegalArgumentException("tenant " + tenantId + ": negative demand " + resources);
    }
    requiredLabels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(requiredLabels));
    tolerations = List.copyOf(tolerations);
  }

  public boolean usesSharedEtcd() {
    return SHARED_ETCD.equals(datastoreMode);
  }

  /** A demand with only resources and a region: the common case in tests and benchmarks. */
  public static Demand of(String tenantId, ResourceVector resources, String region) {
    return new Demand(
        tenantId, resources, region, new TreeMap<>(), List.of(), false, "dedicated-etcd", false, 0);
  }

  public Demand withResources(ResourceVector r) {
    return new Demand(
        tenantId,
        r,
        region,
        requiredLabels,
        tolerations,
        gvisor,
        datastoreMode,
        highAvailability,
        priority);
  }

  public Demand withLabels(Map<String, String> labels) {
    return new Demand(
        tenantId,
        resources,
        region,
        new TreeMap<>(labels),
        tolerations,
        gvisor,
        datastoreMode,
        highAvailability,
        priority);
  }

  public Demand withTolerations(List<Toleration> t) {
    return new Demand(
        tenantId,
        resources,
        region,
        requiredLabels,
        t,
        gvisor,
        datastoreMode,
        highAvailability,
        priority);
  }

  public Demand withGvisor(boolean g) {
    return new Demand(
        tenantId,
        resources,
        region,
        requiredLabels,
        tolerations,
        g,
        datastoreMode,
        highAvailability,
        priority);
  }

  public Demand withDatastoreMode(String mode) {
    return new Demand(
        tenantId,
        resources,
        region,
        requiredLabels,
        tolerations,
        gvisor,
        mode,
        highAvailability,
        priority);
  }

  public Demand withHighAvailability(boolean ha) {
    return new Demand(
        tenantId,
        resources,
        region,
        requiredLabels,
        tolerations,
        gvisor,
        datastoreMode,
        ha,
        priority);
  }

  public Demand withPriority(int p) {
    return new Demand(
        tenantId,
        resources,
        region,
        requiredLabels,
        tolerations,
        gvisor,
        datastoreMode,
        highAvailability,
        p);
  }

  public Demand withTenantId(String id) {
    return new Demand(
        id,
        resources,
        region,
        requiredLabels,
        tolerations,
        gvisor,
        datastoreMode,
        highAvailability,
        priority);
  }
}
