package io.fleetplane.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A client's request to create, resize or delete a tenant control plane. Key on {@code
 * fleet.tenant-requests}: the tenant id. See {@code events/README.md} for the JSON form.
 *
 * <p>CREATE needs {@code plan} and {@code region}; {@code datastore} defaults to dedicated-etcd and
 * {@code isolation} to runc. UPDATE changes {@code plan}, {@code priority} and/or {@code storageGi}
 * only. DELETE needs only the ids. Fields a given op does not use are null (or empty).
 *
 * @param requestId idempotency key: a repeated requestId has no second effect
 * @param requiredLabels host labels the tenant's host must carry, exactly
 * @param highAvailability the control plane spreads over at least three zones
 * @param storageGi size of a dedicated etcd volume; null takes the plan's
 * @param priority 0..1,000,000; higher is placed first and moved last
 * @param incarnation for UPDATE and DELETE, optional: the requestId of the CREATE that made the
 *     tenant this request means; refused if the tenant id has since been deleted and created again
 */
public record TenantRequest(
    Op op,
    String tenantId,
    String requestId,
    String plan,
    Datastore datastore,
    Isolation isolation,
    String region,
    Map<String, String> requiredLabels,
    List<Toleration> tolerations,
    boolean highAvailability,
    Integer storageGi,
    Integer priority,
    Instant requestedAt,
    String incarnation) {

  public static final int DEFAULT_PRIORITY = 0;

  public TenantRequest {
    requiredLabels = Collections2.sortedCopy(requiredLabels);
    tolerations = Collections2.copy(tolerations);
  }

  public static TenantRequest create(
      String tenantId,
      String requestId,
      String plan,
      String region,
      Datastore datastore,
      Isolation isolation) {
    return new TenantRequest(
        Op.CREATE, tenantId, requestId, plan, datastore, isolation, region, Map.of(), List.of(),
        false, null, null, null, null);
  }

  public static TenantRequest resize(String tenantId, String requestId, String plan) {
    return new TenantRequest(
        Op.UPDATE, tenantId, requestId, plan, null, null, null, Map.of(), List.of(), false, null,
        null, null, null);
  }

  public static TenantRequest delete(String tenantId, String requestId) {
    return new TenantRequest(
        Op.DELETE, tenantId, requestId, null, null, null, null, Map.of(), List.of(), false, null,
        null, null, null);
  }

  /** The priority, with the default applied. */
  public int effectivePriority() {
    return priority == null ? DEFAULT_PRIORITY : priority;
  }

  public TenantRequest withRequiredLabels(Map<String, String> labels) {
    return new TenantRequest(
        op,
        tenantId,
        requestId,
        plan,
        datastore,
        isolation,
        region,
        labels,
        tolerations,
        highAvailability,
        storageGi,
        priority,
        requestedAt,
        incarnation);
  }

  public TenantRequest withTolerations(List<Toleration> list) {
    return new TenantRequest(
        op,
        tenantId,
        requestId,
        plan,
        datastore,
        isolation,
        region,
        requiredLabels,
        list,
        highAvailability,
        storageGi,
        priority,
        requestedAt,
        incarnation);
  }

  public TenantRequest withHighAvailability(boolean ha) {
    return new TenantRequest(
        op,
        tenantId,
        requestId,
        plan,
        datastore,
        isolation,
        region,
        requiredLabels,
        tolerations,
        ha,
        storageGi,
        priority,
        requestedAt,
        incarnation);
  }

  public TenantRequest withPriority(Integer p) {
    return new TenantRequest(
        op,
        tenantId,
        requestId,
        plan,
        datastore,
        isolation,
        region,
        requiredLabels,
        tolerations,
        highAvailability,
        storageGi,
        p,
        requestedAt,
        incarnation);
  }

  public TenantRequest withStorageGi(Integer gi) {
    return new TenantRequest(
        op,
        tenantId,
        requestId,
        plan,
        datastore,
        isolation,
        region,
        requiredLabels,
        tolerations,
        highAvailability,
        gi,
        priority,
        requestedAt,
        incarnation);
  }

  /** The same request, aimed at the incarnation made by the CREATE {@code createRequestId}. */
  public TenantRequest withIncarnation(String createRequestId) {
    return new TenantRequest(
        op,
        tenantId,
        requestId,
        plan,
        datastore,
        isolation,
        region,
        requiredLabels,
        tolerations,
        highAvailability,
        storageGi,
        priority,
        requestedAt,
        createRequestId);
  }

  public TenantRequest withRequestedAt(Instant at) {
    return new TenantRequest(
        op,
        tenantId,
        requestId,
        plan,
        datastore,
        isolation,
        region,
        requiredLabels,
        tolerations,
        highAvailability,
        storageGi,
        priority,
        at,
        incarnation);
  }
}
