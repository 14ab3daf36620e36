package io.fleetplane.scheduler.rest;

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

  /** The page's data, polled every few seconds. */
  public record Page(
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
   * @param strandedCpu {@code stranded / free} for CPU (0 to 1), likewise memory and pods
   */
  public record Fragmentation(
      Resources commonSize,
      int commonSizeTenants,
      int hostsTooFull,
      Resources stranded,
      Resources free,
      double strandedCpu,
      double strandedMemory,
      double strandedPods) {}

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
    return new Page(Summaries.fleet(cells), states, fragmentation(cells), pending, activity);
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
    long[] stranded = new long[3];
    long[] free = new long[3];
    int tooFull = 0;
    for (CellView c : cells) {
      for (HostView h : c.hosts()) {
        if (!"ready".equals(h.state())) {
          continue;
        }
        Resources f = nonNegative(h.free());
        add(free, f);
        if (common != null && !fits(common.getKey(), f)) {
          tooFull++;
          add(stranded, f);
        }
      }
    }
    return new Fragmentation(
        common == null ? null : common.getKey(),
        common == null ? 0 : common.getValue(),
        tooFull,
        new Resources(stranded[0], stranded[1], stranded[2]),
        new Resources(free[0], free[1], free[2]),
        share(stranded[0], free[0]),
        share(stranded[1], free[1]),
        share(stranded[2], free[2]));
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

  /** The fullest resource of a host, in percent of its limit. */
  static int fullest(HostView h) {
    double f =
        Math.max(
            ratio(h.committed().cpuMillis(), h.limit().cpuMillis()),
            Math.max(
                ratio(h.committed().memoryMiB(), h.limit().memoryMiB()),
                ratio(h.committed().pods(), h.limit().pods())));
    return (int) Math.round(100 * f);
  }

  private static double ratio(long used, long limit) {
    return limit <= 0 ? (used > 0 ? 1.0 : 0.0) : (double) used / limit;
  }

  private static boolean fits(Resources size, Resources free) {
    return size.cpuMillis() <= free.cpuMillis()
        && size.memoryMiB() <= free.memoryMiB()
        && size.pods() <= free.pods();
  }

  private static Resources nonNegative(Resources r) {
    return new Resources(
        Math.max(0, r.cpuMillis()), Math.max(0, r.memoryMiB()), Math.max(0, r.pods()));
  }

  private static void add(long[] sum, Resources r) {
    sum[0] += r.cpuMillis();
    sum[1] += r.memoryMiB();
    sum[2] += r.pods();
  }

  private static double share(long part, long whole) {
    return whole <= 0 ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
  }
}
