package io.fleetplane.scheduler.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fleetplane.events.Resources;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.HostView;
import java.util.List;
import java.util.Map;

/** What the REST API answers, and the totals it computes from cell views. */
public final class Summaries {

  private Summaries() {}

  public record Error(String error) {}

  /**
   * Totals over some hosts: what they report as allocatable, what the scheduler may commit on them
   * (limit), what it has committed, and what is free; fill = committed / limit, in JSON one field
   * per resource ({@code cpuFill}, {@code memoryFill}, {@code podsFill}, {@code storageFill}). Each
   * resource is summed over the hosts that report it: a storage total leaves out hosts that do not
   * say how much storage they offer.
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
      @JsonIgnore Map<String, Double> fill) {

    /** The fill fields, flat beside the others as they have always been. */
    @JsonAnyGetter
    public Map<String, Double> fillFields() {
      return fill;
    }
  }

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
    PerResource.Sum alloc = new PerResource.Sum();
    PerResource.Sum limit = new PerResource.Sum();
    PerResource.Sum committed = new PerResource.Sum();
    PerResource.Sum free = new PerResource.Sum();
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
        alloc.add(h.allocatable(), h.allocatable());
        limit.add(h.limit(), h.allocatable());
        committed.add(h.committed(), h.allocatable());
        free.add(h.free(), h.allocatable());
      }
    }
    return new Totals(
        hosts,
        ready,
        tenants,
        pending,
        alloc.total(),
        limit.total(),
        committed.total(),
        free.total(),
        PerResource.named("", "Fill", d -> PerResource.share(committed.get(d), limit.get(d))));
  }
}
