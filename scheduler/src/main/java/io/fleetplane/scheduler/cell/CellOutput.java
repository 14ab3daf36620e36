package io.fleetplane.scheduler.cell;

import io.fleetplane.events.Placement;
import io.fleetplane.events.TenantEvent;

/** What a cell's decisions produce, in order. */
public interface CellOutput {

  /** A placement to write (new, resized or moved). */
  void placement(Placement placement);

  /** A tombstone on clusterId/tenantId: the tenant leaves that host. */
  void release(String clusterId, String tenantId);

  void event(TenantEvent event);

  /**
   * An event the cell has also kept in the tenant's record: the history need not store it again.
   */
  default void recordedEvent(TenantEvent event) {
    event(event);
  }

  /** A host's record changed: persist it. */
  void host(HostRecord record);
}
