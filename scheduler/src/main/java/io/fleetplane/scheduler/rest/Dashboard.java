package io.fleetplane.scheduler.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.HostView;
import io.fleetplane.scheduler.query.PendingView;
import io.fleetplane.scheduler.query.SizeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the capacity dashboard shows, computed from the cell views of every instance. */
public final class Dashboard {

  private Dashboard() {}

  /**
   * The page's data, polled every few seconds.
   *
   * @param resources what the scheduler counts, in order: the page has a column for each
   */
  public record Page(
      List<ResourceInfo> resources,
      Summaries.Fleet fleet,
      Map<String, Integer> hostsByState,
      Fragmentation fragmentation,
      List<PendingView> pending,
      Activity.Snapshot activity) {}

  /**
   * Free capacity stranded on hosts that are too full to take one more tenant of the most common
   * size: it is free, but not usable by what the fleet mostly places.
   *
   * @param commonSize the size most placed tenants take (null with no tenant placed)
   * @param commonSizeTenants how many take it
   * @param hostsTooFull ready hosts where it no longer fits
   * @param stranded the free capacity of those hosts
   * @param free the free capacity of all ready hosts
   * @param strandedShare {@code stranded / free} per resource (0 to 1), in JSON one field each:
   *     {@code strandedCpu}, {@code strandedMemory}, {@code strandedPods}, {@code strandedStorage}
   */
  public record Fragmentation(
      Resources commonSize,
      int commonSizeTenants,
      int hostsTooFull,
      Resources stranded,
      Resources free,
      @JsonIgnore Map<String, Double> strandedShare) {

    @JsonAnyGetter
    public Map<String, Double> strandedFields() {
      return strandedShare;
    }
  }

  /** A resource as the page names it: its label, its JSON field, its unit. */
  public record ResourceInfo(String label, String wire, String unit) {}

  static final List<ResourceInfo> RESOURCES =
      java.util.Arrays.stream(Dimension.values())
          .map(d -> new ResourceInfo(d.label(), d.wire(), d.unit()))
          .toList();

  /** Every host in a few bytes, for a heat map: ids, fill in percent, state index. */
  public record HeatMap(List<String> states, List<RegionHeat> regions) {}

  /**
   * @param fill per host, the fullest of its resources in percent of its limit (over 100 when it is
   *     over-committed)
   */
  public record RegionHeat(String region, List<String> hosts, int[] fill, int[] state) {}

  static Page page(List<CellView> cells, Activity.Snapshot activity, int pendingShown) {
    Map<String, Integer> states = new TreeMap<>();
    for (CellView c : cells) {
      for (HostView h : c.hosts()) {
        states.merge(h.state(), 1, Integer::sum);
      }
    }
    List<PendingView> pending =
        cells.stream()
            .flatMap(c -> c.waiting().stream())
            .sorted(
                Comparator.comparingInt((PendingView p) -> -p.priority())
                    .thenComparingLong(PendingView::seq))
            .limit(pendingShown)
            .toList();
    return new Page(
        RESOURCES, Summaries.fleet(cells), states, fragmentation(cells), pending, activity);
  }

  static Fragmentation fragmentation(List<CellView> cells) {
    Map<Resources, Integer> sizes = new HashMap<>();
    for (CellView c : cells) {
      for (SizeView s : c.sizes()) {
        sizes.merge(s.size(), s.tenants(), Integer::sum);
      }
    }
    Map.Entry<Resources, Integer> common =
        sizes.entrySet().stream()
            .max(
                Comparator.comparingInt((Map.Entry<Resources, Integer> e) -> e.getValue())
                    .thenComparing(e -> e.getKey().toString()))
            .orElse(null);
    PerResource.Sum stranded = new PerResource.Sum();
    PerResource.Sum free = new PerResource.Sum();
    int tooFull = 0;
    for (CellView c : cells) {
      for (HostView h : c.hosts()) {
        if (!"ready".equals(h.state())) {
          continue;
        }
        free.add(h.free(), h.allocatable());
        boolean full = common != null && !fits(common.getKey(), h.free());
        tooFull += full ? 1 : 0;
        stranded.add(full ? h.free() : Resources.ZERO, h.allocatable());
      }
    }
    return new Fragmentation(
        common == null ? null : common.getKey(),
        common == null ? 0 : common.getValue(),
        tooFull,
        stranded.total(),
        free.total(),
        PerResource.named("stranded", "", d -> PerResource.share(stranded.get(d), free.get(d))));
  }

  static HeatMap heatMap(List<CellView> cells) {
    List<String> states = new ArrayList<>(List.of("ready"));
    List<RegionHeat> regions = new ArrayList<>();
    for (CellView c : cells) {
      List<HostView> hosts = c.hosts();
      List<String> ids = new ArrayList<>(hosts.size());
      int[] fill = new int[hosts.size()];
      int[] state = new int[hosts.size()];
      for (int i = 0; i < hosts.size(); i++) {
        HostView h = hosts.get(i);
        ids.add(h.clusterId());
        fill[i] = fullest(h);
        int s = states.indexOf(h.state());
        if (s < 0) {
          states.add(h.state());
          s = states.size() - 1;
        }
        state[i] = s;
      }
      regions.add(new RegionHeat(c.cell(), ids, fill, state));
    }
    return new HeatMap(states, regions);
  }

  /** The fullest resource of a host (of those it reports), in percent of its limit. */
  static int fullest(HostView h) {
    double f = 0;
    for (Dimension d : Dimension.values()) {
      if (h.limit().reported(d)) {
        f = Math.max(f, ratio(h.committed().get(d), h.limit().get(d)));
      }
    }
    return (int) Math.round(100 * f);
  }

  private static double ratio(long used, long limit) {
    return limit <= 0 ? (used > 0 ? 1.0 : 0.0) : (double) used / limit;
  }

  /** Whether one more tenant of {@code size} fits in {@code free} (unreported: not limited). */
  private static boolean fits(Resources size, Resources free) {
    for (Dimension d : Dimension.values()) {
      if (free.reported(d) && size.get(d) > free.get(d)) {
        return false;
      }
    }
    return true;
  }
}
