package io.fleetplane.scheduler.cell;

import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scheduler knows of one tenant: its current spec (the CREATE request with later UPDATEs
 * applied), and either its placement or its place in the pending queue.
 *
 * @param seq arrival order (the offset of the request in the cell's input)
 * @param resources what it needs (and, when placed, what is committed for it)
 * @param events the scheduler's last {@link #EVENTS_KEPT} events about it, oldest first. They are
 *     kept here, written with the record that changes anyway, so that the tenant history need not
 *     read back and store again every decision the cell makes (see {@code TenantHistory}).
 */
public record TenantRecord(
    String tenantId,
    TenantRequest spec,
    Status status,
    String clusterId,
    long generation,
    long seq,
    Resources resources,
    String requestId,
    List<TenantEvent> events) {

  public static final int EVENTS_KEPT = 20;

  public TenantRecord {
    events = events == null ? List.of() : List.copyOf(events);
  }

  /** This record with one more event, the oldest dropped past {@link #EVENTS_KEPT}. */
  public TenantRecord withEvent(TenantEvent e) {
    List<TenantEvent> list = new ArrayList<>(events.size() + 1);
    list.addAll(events.size() >= EVENTS_KEPT ? events.subList(1, events.size()) : events);
    list.add(e);
    return new TenantRecord(
        tenantId, spec, status, clusterId, generation, seq, resources, requestId, list);
  }

  /** This record, answering the request {@code id} (its events carry it). */
  public TenantRecord withRequestId(String id) {
    return new TenantRecord(
        tenantId, spec, status, clusterId, generation, seq, resources, id, events);
  }

  /** Placed on a host, or waiting for one. */
  public enum Status {
    PLACED,
    PENDING
  }

  public boolean placed() {
    return status == Status.PLACED;
  }
}
