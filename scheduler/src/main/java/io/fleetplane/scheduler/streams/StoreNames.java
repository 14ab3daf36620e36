package io.fleetplane.scheduler.streams;

/** State store names: the topology, the queries and the tests use these. */
public final class StoreNames {

  private StoreNames() {}

  /** tenantId -> DirectoryEntry (intake, partitioned by tenant) */
  public static final String TENANT_DIRECTORY = "tenant-directory";

  /** hash(tenantId, requestId) -> when last seen (intake, partitioned by tenant); see RequestIds */
  public static final String REQUEST_IDS = "request-ids";

  /** clusterId -> cell (host intake, partitioned by cluster) */
  public static final String HOST_DIRECTORY = "host-directory";

  /** tenantId -> TenantRecord (placement, partitioned by cell) */
  public static final String TENANTS = "cell-tenants";

  /** clusterId -> HostRecord (placement, partitioned by cell) */
  public static final String HOSTS = "cell-hosts";

  /** tenantId -> its last events (history, partitioned by tenant) */
  public static final String TENANT_HISTORY = "tenant-history";

  /** The internal repartition topic's name within the application id. */
  public static final String CELL_COMMANDS = "cell-commands";
}
