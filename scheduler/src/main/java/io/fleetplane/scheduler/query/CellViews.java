package io.fleetplane.scheduler.query;

import io.fleetplane.events.Dimension;
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
      Resources offered = h.report().allocatable();
      long[] free = new long[Dimension.COUNT];
      for (int d = 0; d < free.length; d++) {
        free[d] = ledger.free(slot, d);
      }
      hosts.add(
          new HostView(
              id,
              h.report().region(),
              h.state().name().toLowerCase(Locale.ROOT),
              ledger.overcommitted(slot),
              offered,
              // Never negative: a host whose headroom or own pods exceed what it offers has no
              // limit, and an over-committed one (flagged above) nothing free. What the host did
              // not report (its storage, maybe) has no limit to show either.
              shown(Conversions.resources(ledger.host(slot).limit()), offered),
              Conversions.resources(ledger.committed(slot)),
              shown(Resources.of(free), offered),
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

  /** At least 0 in every dimension, and unreported where the host did not say what it offers. */
  private static Resources shown(Resources r, Resources offered) {
    long[] a = r.toArray();
    for (Dimension d : Dimension.values()) {
      a[d.ordinal()] = offered.reported(d) ? Math.max(0, a[d.ordinal()]) : Resources.UNREPORTED;
    }
    return Resources.of(a);
  }
}
