package io.fleetplane.scheduler.cell;

import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.placement.model.Refusals;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's tenant events, spelt once: the cell says what happened, these say it on the wire.
 */
final class TenantEvents {

  private TenantEvents() {}

  /** A step of the tenant's record (PLACED, RESIZED, MOVED, RELEASED), answering its request. */
  static TenantEvent of(
      TenantRecord r, TenantEvent.Type type, String clusterId, String reason, long nowMs) {
    return new TenantEvent(
        r.tenantId(),
        type,
        TenantEvent.Source.SCHEDULER,
        clusterId,
        r.requestId(),
        r.generation(),
        reason,
        List.of(),
        Map.of(),
        Instant.ofEpochMilli(nowMs));
  }

  /** Waiting, with the hosts refused counted per reason. */
  static TenantEvent pending(TenantRecord r, String reason, Refusals refusals, long nowMs) {
    return new TenantEvent(
        r.tenantId(),
        TenantEvent.Type.PENDING,
        TenantEvent.Source.SCHEDULER,
        null,
        r.requestId(),
        0,
        reason,
        List.of(),
        refusals.counts(),
        Instant.ofEpochMilli(nowMs));
  }

  /** A request refused by the cell, with the reason as its problem. */
  static TenantEvent rejected(TenantRequest r, String reason, long nowMs) {
    return rejected(r, null, 0, reason, List.of(new Problem("tenantId", reason)), nowMs);
  }

  static TenantEvent rejected(
      TenantRequest r,
      String clusterId,
      long generation,
      String reason,
      List<Problem> problems,
      long nowMs) {
    return new TenantEvent(
        r.tenantId(),
        TenantEvent.Type.REJECTED,
        TenantEvent.Source.SCHEDULER,
        clusterId,
        r.requestId(),
        generation,
        reason,
        problems,
        Map.of(),
        Instant.ofEpochMilli(nowMs));
  }

  /** The tenant's host has been silent past the lost-host timeout. */
  static TenantEvent hostLost(String tenantId, String clusterId, long silentMs, long nowMs) {
    return new TenantEvent(
        tenantId,
        TenantEvent.Type.HOST_LOST,
        TenantEvent.Source.SCHEDULER,
        clusterId,
        null,
        0,
        "host "
            + clusterId
            + " has not reported for "
            + silentMs / 1000
            + " s; the tenant stays placed there until an operator moves it",
        List.of(),
        Map.of(),
        Instant.ofEpochMilli(nowMs));
  }
}
