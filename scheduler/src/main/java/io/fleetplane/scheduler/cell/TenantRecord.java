package io.fleetplane.scheduler.cell;

import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantRequest;

/**
 * What the scheduler knows of one tenant: its current spec (the CREATE request with later UPDATEs
 * applied), and either its placement or its place in the pending queue.
 *
 * @param seq arrival order (the offset of the request in the cell's input)
 * @param resources what it needs (and, when placed, what is committed for it)
 */
public record TenantRecord(
    String tenantId,
    TenantRequest spec,
    Status status,
    String clusterId,
    long generation,
    long seq,
    Resources resources,
    String requestId) {

  /** Placed on a host, or waiting for one. */
  public enum Status {
    PLACED,
    PENDING
  }

  public boolean placed() {
    return status == Status.PLACED;
  }
}
