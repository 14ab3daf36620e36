package io.fleetplane.scheduler.rest;

import io.fleetplane.events.Resources;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.HostView;
import java.util.List;

/** What the REST API answers, and the totals it computes from cell views. */
public final class Summaries {

  private Summaries() {}

  public record Error(String error) {}

  /**
   * Totals over some hosts: what they report as allocatable, what the scheduler may commit on them
   * (limit), what it has committed, and what is free; fill = committed / limit.
   */
  public record Totals(
      int hosts,
      int readyHosts,
      int tenants,
      int pending,
      Resources allocatable,
      Resources limit,
      Resources committed,
      Resources free,
      double cpuFill,
      double memoryFill,
      double podsFill) {}

  public record Fleet(Totals totals, List<Region> regions) {}

  public record Region(String region, Totals totals) {}

  public record RegionPage(Region region, int offset, int hostCount, List<HostView> hosts) {}

  static Fleet fleet(List<CellView> cells) {
    List<Region> regions = cells.stream().map(Summaries::region).toList();
    return new Fleet(totals(cells), regions);
  }

  static Region region(CellView c) {
    return new Region(c.cell(), totals(List.of(c)));
  }

  private static Totals totals(List<CellView> cells) {
    long[] alloc = new long[3];
    long[] limit = new long[3];
    long[] committed = new long[3];
    long[] free = new long[3];
    int hosts = 0;
    int ready = 0;
    int tenants = 0;
    int pending = 0;
    for (CellView c : cells) {
      tenants += c.tenants();
      pending += c.pending();
      for (HostView h : c.hosts()) {
        hosts++;
        ready += "ready".equals(h.state()) ? 1 : 0;
        add(alloc, h.allocatable());
        add(limit, h.limit());
        add(committed, h.committed());
        add(free, h.free());
      }
    }
    return new Totals(
        hosts,
        ready,
        tenants,
        pending,
        of(alloc),
        of(limit),
        of(committed),
        of(free),
        fill(committed[0], limit[0]),
        fill(committed[1], limit[1]),
        fill(committed[2], limit[2]));
  }

  private static void add(long[] sum, Resources r) {
    sum[0] += r.cpuMillis();
    sum[1] += r.memoryMiB();
    sum[2] += r.pods();
  }

  private static Resources of(long[] v) {
    return new Resources(v[0], v[1], v[2]);
  }

  private static double fill(long used, long limit) {
    return limit <= 0 ? 0 : Math.round(1000.0 * used / limit) / 1000.0;
  }
}
