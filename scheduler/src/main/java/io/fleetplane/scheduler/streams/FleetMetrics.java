package io.fleetplane.scheduler.streams;

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
    List<Meter.Id> ids = new ArrayList<>(6);
    for (String resource : List.of("cpu", "memory", "pods")) {
      ids.add(
          Gauge.builder("fleet.region.committed", cells, sum(cell, resource, HostView::committed))
              .description(
                  "Committed per region and resource, summed over its hosts (cpu in millicores,"
                      + " memory in MiB)")
              .tags("region", cell, "resource", resource)
              .register(registry)
              .getId());
      ids.add(
          Gauge.builder("fleet.region.limit", cells, sum(cell, resource, HostView::limit))
              .description(
                  "What may be committed per region and resource, summed over its hosts (cpu in"
                      + " millicores, memory in MiB)")
              .tags("region", cell, "resource", resource)
              .register(registry)
              .getId());
    }
    return ids;
  }

  /** Sums one resource of {@code of} over the hosts of a cell's latest view, when scraped. */
  private static ToDoubleFunction<LocalCells> sum(
      String cell, String resource, java.util.function.Function<HostView, Resources> of) {
    return all -> {
      CellView v = all.get(cell);
      if (v == null) {
        return Double.NaN;
      }
      double sum = 0;
      for (HostView h : v.hosts()) {
        Resources r = of.apply(h);
        sum +=
            switch (resource) {
              case "cpu" -> r.cpuMillis();
              case "memory" -> r.memoryMiB();
              default -> r.pods();
            };
      }
      return sum;
    };
  }

  private void register(HostView h) {
    String id = h.clusterId();
    List<Meter.Id> ids = new ArrayList<>(3);
    ids.add(hostGauge(h, "cpu", v -> ratio(v.committed().cpuMillis(), v.limit().cpuMillis())));
    ids.add(hostGauge(h, "memory", v -> ratio(v.committed().memoryMiB(), v.limit().memoryMiB())));
    ids.add(hostGauge(h, "pods", v -> ratio(v.committed().pods(), v.limit().pods())));
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
