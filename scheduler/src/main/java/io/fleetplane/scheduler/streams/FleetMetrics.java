package io.fleetplane.scheduler.streams;

import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.HostView;
import io.fleetplane.scheduler.query.LocalCells;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The scheduler's Prometheus metrics: decisions by outcome (rate = decisions per second), decision
 * latency, rejections and dead letters by reason, waiting tenants, and per-host utilisation.
 * Recorded by the stream threads; the gauges read the published cell views.
 */
public final class FleetMetrics {

  private final MeterRegistry registry;
  private final Map<TenantEvent.Type, Counter> outcomes = new EnumMap<>(TenantEvent.Type.class);
  private final Timer latency;
  private final Counter repeats;
  private final Map<String, HostView> latest = new ConcurrentHashMap<>();
  private final Map<String, List<Meter.Id>> hostMeters = new HashMap<>();
  private final Map<String, Set<String>> hostsOfCell = new HashMap<>();
  private final LocalCells cells;
  private final Map<String, List<Meter.Id>> regionMeters = new HashMap<>();

  public FleetMetrics(MeterRegistry registry, LocalCells cells) {
    this.registry = registry;
    this.cells = cells;
    for (TenantEvent.Type t : TenantEvent.Type.values()) {
      outcomes.put(
          t,
          Counter.builder("fleet.decisions")
              .description("Scheduler decisions and tenant events, by type")
              .tag("type", t.wire())
              .register(registry));
    }
    this.latency =
        Timer.builder("fleet.decision.latency")
            .description("Time to decide one tenant request in its cell")
            .publishPercentileHistogram()
            .register(registry);
    this.repeats =
        Counter.builder("fleet.requests.repeated")
            .description("Requests dropped because their requestId was seen before")
            .register(registry);
    Gauge.builder("fleet.pending", cells, c -> c.all().stream().mapToInt(CellView::pending).sum())
        .description("Tenants waiting for a host")
        .register(registry);
    Gauge.builder(
            "fleet.tenants.placed", cells, c -> c.all().stream().mapToInt(CellView::tenants).sum())
        .description("Tenants placed")
        .register(registry);
  }

  /** A registry that records into nothing a test looks at. */
  public static FleetMetrics none() {
    return new FleetMetrics(
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), new LocalCells());
  }

  void outcome(TenantEvent.Type type) {
    outcomes.get(type).increment();
  }

  /** A request whose id was seen before: dropped, as it had its effect the first time. */
  void repeated() {
    repeats.increment();
  }

  void rejected(String reason) {
    registry.counter("fleet.rejections", "reason", reason).increment();
  }

  void deadLetter(String sourceTopic) {
    registry.counter("fleet.dead.letters", "topic", sourceTopic).increment();
  }

  void decisionNanos(long nanos) {
    latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * Refreshes the per-host gauges from the views a stream task has just published, once a second
   * per task: it only swaps in the new views of those cells; meters are registered when a host
   * first appears and removed when it leaves its cell, or its cell leaves this instance ({@link
   * #forget}). The gauges compute their ratios when scraped.
   */
  synchronized void hosts(Collection<CellView> published) {
    for (CellView c : published) {
      if (!regionMeters.containsKey(c.cell())) {
        regionMeters.put(c.cell(), registerRegion(c.cell()));
      }
      Set<String> now = new HashSet<>(c.hosts().size() * 2);
      for (HostView h : c.hosts()) {
        now.add(h.clusterId());
        if (latest.put(h.clusterId(), h) == null) {
          register(h);
        }
      }
      Set<String> before = hostsOfCell.put(c.cell(), now);
      if (before != null && !now.containsAll(before)) {
        for (String gone : before) {
          if (!now.contains(gone)) {
            unregister(gone);
          }
        }
      }
    }
  }

  /** The cell's task left this instance: its hosts are reported by the instance that runs it. */
  synchronized void forget(String cell) {
    List<Meter.Id> region = regionMeters.remove(cell);
    if (region != null) {
      region.forEach(registry::remove);
    }
    Set<String> hosts = hostsOfCell.remove(cell);
    if (hosts != null) {
      hosts.forEach(this::unregister);
    }
  }

  private void unregister(String host) {
    latest.remove(host);
    List<Meter.Id> ids = hostMeters.remove(host);
    if (ids != null) {
      ids.forEach(registry::remove);
    }
  }

  /**
   * A region's committed and limit amounts per resource, summed over its hosts when scraped: the
   * capacity-weighted fill of a region or the fleet is {@code sum(committed) / sum(limit)}.
   */
  private List<Meter.Id> registerRegion(String cell) {
    List<Meter.Id> ids = new ArrayList<>(2 * Dimension.COUNT);
    for (Dimension d : Dimension.values()) {
      ids.add(
          Gauge.builder("fleet.region.committed", cells, sum(cell, d, HostView::committed))
              .description(UNITS_PREFIX_COMMITTED + UNITS)
              .tags("region", cell, "resource", d.label())
              .register(registry)
              .getId());
      ids.add(
          Gauge.builder("fleet.region.limit", cells, sum(cell, d, HostView::limit))
              .description(UNITS_PREFIX_LIMIT + UNITS)
              .tags("region", cell, "resource", d.label())
              .register(registry)
              .getId());
    }
    return ids;
  }

  private static final String UNITS_PREFIX_COMMITTED =
      "Committed per region and resource, summed over its hosts that report the resource (";
  private static final String UNITS_PREFIX_LIMIT =
      "What may be committed per region and resource, summed over its hosts that report the"
          + " resource (";
  private static final String UNITS = units();

  private static String units() {
    StringBuilder sb = new StringBuilder();
    for (Dimension d : Dimension.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(d.label()).append(" in ").append(d.unit());
    }
    return sb.append(')').toString();
  }

  /**
   * Sums one resource of {@code of} over the hosts of a cell's latest view that report it, when
   * scraped: a host that does not say how much storage it has adds neither its limit nor its
   * commitments, so that committed / limit stays a fill.
   */
  private static ToDoubleFunction<LocalCells> sum(
      String cell, Dimension d, java.util.function.Function<HostView, Resources> of) {
    return all -> {
      CellView v = all.get(cell);
      if (v == null) {
        return Double.NaN;
      }
      double sum = 0;
      for (HostView h : v.hosts()) {
        if (h.limit().reported(d)) {
          sum += of.apply(h).get(d);
        }
      }
      return sum;
    };
  }

  private void register(HostView h) {
    String id = h.clusterId();
    List<Meter.Id> ids = new ArrayList<>(Dimension.COUNT);
    for (Dimension d : Dimension.values()) {
      ids.add(
          hostGauge(
              h,
              d.label(),
              v ->
                  v.limit().reported(d)
                      ? ratio(v.committed().get(d), v.limit().get(d))
                      : Double.NaN));
    }
    hostMeters.put(id, ids);
  }

  private Meter.Id hostGauge(HostView h, String resource, ToDoubleFunction<HostView> ratio) {
    String id = h.clusterId();
    return Gauge.builder(
            "fleet.host.utilisation",
            latest,
            m -> {
              HostView v = m.get(id);
              return v == null ? Double.NaN : ratio.applyAsDouble(v);
            })
        .description("Committed / limit per host and resource")
        .tags("host", id, "region", h.region(), "resource", resource)
        .register(registry)
        .getId();
  }

  private static double ratio(long used, long limit) {
    return limit <= 0 ? (used > 0 ? 1.0 : 0.0) : (double) used / limit;
  }
}
