package io.fleetplane.scheduler.streams;

import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.Placement;
import io.fleetplane.events.TenantEvent;

/** Everything a processor of the scheduler emits, routed to its sink by type. */
public sealed interface Routed {

  record ToCell(String cell, CellCommand command) implements Routed {}

  record Dead(String key, DeadLetter letter) implements Routed {}

  record Event(TenantEvent event) implements Routed {}

  record Place(Placement placement) implements Routed {}

  /** A tombstone on clusterId/tenantId. */
  record Release(String clusterId, String tenantId) implements Routed {}
}
