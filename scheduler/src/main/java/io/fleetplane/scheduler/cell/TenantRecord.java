package io.fleetplane.scheduler.cell;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import java.time.Instant;
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
 * @param specJson the spec's JSON as it was accepted or last read, to be stored as it is rather
 *     than encoded again; null once the spec has changed (it is then encoded)
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
    List<TenantEvent> events,
    @JsonIgnore byte[] specJson) {

  public static final int EVENTS_KEPT = 20;

  public TenantRecord {
    events = events == null ? List.of() : List.copyOf(events);
    // What a tenant takes is known in every dimension (a value stored before one existed: none).
    resources = resources == null ? null : resources.reportedOrZero();
  }

  public TenantRecord(
      String tenantId,
      TenantRequest spec,
      Status status,
      String clusterId,
      long generation,
      long seq,
      Resources resources,
      String requestId,
      List<TenantEvent> events) {
    this(tenantId, spec, status, clusterId, generation, seq, resources, requestId, events, null);
  }

  /**
   * A new tenant, not yet placed, from the CREATE it was accepted from (and that request's bytes).
   */
  static TenantRecord waiting(TenantRequest r, byte[] json, long seq, Resources resources) {
    return new TenantRecord(
        r.tenantId(), r, Status.PENDING, null, 0, seq, resources, r.requestId(), List.of(), json);
  }

  /** This record with one more event, the oldest dropped past {@link #EVENTS_KEPT}. */
  public TenantRecord withEvent(TenantEvent e) {
    List<TenantEvent> list = new ArrayList<>(events.size() + 1);
    list.addAll(events.size() >= EVENTS_KEPT ? events.subList(1, events.size()) : events);
    list.add(e);
    return new TenantRecord(
        tenantId, spec, status, clusterId, generation, seq, resources, requestId, list, specJson);
  }

  /** This record, answering the request {@code id} (its events carry it). */
  public TenantRecord withRequestId(String id) {
    return new TenantRecord(
        tenantId, spec, status, clusterId, generation, seq, resources, id, events, specJson);
  }

  /** Placed on {@code host}, at the next generation. */
  TenantRecord placedOn(String host) {
    return new TenantRecord(
        tenantId,
        spec,
        Status.PLACED,
        host,
        generation + 1,
        seq,
        resources,
        requestId,
        events,
        specJson);
  }

  /** With a new spec (an UPDATE applied) and what it needs, answering {@code request}. */
  TenantRecord respecified(TenantRequest newSpec, Resources needs, String request) {
    return new TenantRecord(
        tenantId, newSpec, status, clusterId, generation, seq, needs, request, events, null);
  }

  /** The placement this record stands for. */
  Placement placement(long nowMs) {
    TenantRequest s = spec;
    return new Placement(
        tenantId,
        clusterId,
        generation,
        s.plan(),
        s.datastore(),
        s.isolation(),
        resources,
        s.highAvailability(),
        s.storageGi(),
        s.effectivePriority(),
        requestId,
        Instant.ofEpochMilli(nowMs));
  }

  /** Placed on a host, or waiting for one. */
  public enum Status {
    PLACED,
    PENDING
  }

  public boolean placed() {
    return status == Status.PLACED;
  }

  /** Where it is, for a message: "placed on h1" or "waiting for a host". */
  String whereabouts() {
    return placed() ? "placed on " + clusterId : "waiting for a host";
  }

  // Records compare their fields; an array compares by identity, and the spec's bytes say nothing
  // the spec does not: leave them out of equality.
  @Override
  public boolean equals(Object o) {
    return o instanceof TenantRecord t
        && tenantId.equals(t.tenantId)
        && java.util.Objects.equals(spec, t.spec)
        && status == t.status
        && java.util.Objects.equals(clusterId, t.clusterId)
        && generation == t.generation
        && seq == t.seq
        && java.util.Objects.equals(resources, t.resources)
        && java.util.Objects.equals(requestId, t.requestId)
        && events.equals(t.events);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(tenantId, spec, status, clusterId, generation, seq, requestId);
  }
}
