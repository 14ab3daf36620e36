package io.fleetplane.scheduler.query;

import io.fleetplane.events.Resources;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.scheduler.cell.Cell;
import io.fleetplane.scheduler.cell.Conversions;
import io.fleetplane.scheduler.cell.HostRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** A cell as queries see it, built on the stream thread from what the cell exposes. */
public final class CellViews {

  private CellViews() {}

  /** How many waiting tenants a view lists, best first. */
  public static final int WAITING_LISTED = 100;

  public static CellView of(Cell cell, long nowMs) {
    CapacityLedger ledger = cell.ledger();
    List<HostView> hosts = new ArrayList<>(ledger.hostCount());
    for (String id : new TreeSet<>(cell.hosts().keySet())) {
      int slot = ledger.slotOf(id);
      HostRecord h = cell.hosts().get(id);
      hosts.add(
          new HostView(
              id,
              h.report().region(),
              h.state().name().toLowerCase(Locale.ROOT),
              ledger.overcommitted(slot),
              h.report().allocatable(),
              // Never negative: a host whose headroom or own pods exceed what it offers has no
              // limit, and an over-committed one (flagged above) nothing free.
              nonNegative(Conversions.resources(ledger.host(slot).limit())),
              Conversions.resources(ledger.committed(slot)),
              nonNegative(
                  new Resources(ledger.free(slot, 0), ledger.free(slot, 1), ledger.free(slot, 2))),
              ledger.tenantCount(slot),
              Instant.ofEpochMilli(h.lastReportMs())));
    }
    List<PendingView> waiting =
        cell.waiting(WAITING_LISTED).stream()
            .map(
                w ->
                    new PendingView(
                        w.tenantId(), w.region(), w.plan(), w.priority(), w.seq(), w.reason()))
            .toList();
    return new CellView(
        cell.id(),
        List.copyOf(hosts),
        ledger.tenantCount(),
        cell.pendingCount(),
        waiting,
        ledger.sizeCounts().stream()
            .map(c -> new SizeView(Conversions.resources(c.size()), c.tenants()))
            .toList(),
        Instant.ofEpochMilli(nowMs));
  }

  private static Resources nonNegative(Resources r) {
    return new Resources(
        Math.max(0, r.cpuMillis()), Math.max(0, r.memoryMiB()), Math.max(0, r.pods()));
  }
}
