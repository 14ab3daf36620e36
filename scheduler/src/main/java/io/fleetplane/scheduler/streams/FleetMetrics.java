package io.fleetplane.scheduler.streams;

import io.fleetplane.events.TenantEvent;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.HostView;
import io.fleetplane.scheduler.query.LocalCells;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's Prometheus metrics: decisions by outcome (rate = decisions per second), decision
 * latency, rejections and dead letters by reason, waiting tenants, and per-host utilisation.
 * Recorded by the stream threads; the gauges read the published cell views.
 */
public final class FleetMetrics {

  private final MeterRegistry registry;
  private final Map<TenantEvent.Type, Counter> outcomes = new EnumMap<>(TenantEvent.Type.class);
  private final Timer latency;
  private final MultiGauge utilisation;

  public FleetMetrics(MeterRegistry registry, LocalCells cells) {
    this.registry = registry;
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
    Gauge.builder("fleet.pending", cells, c -> c.all().stream().mapToInt(CellView::pending).sum())
        .description("Tenants waiting for a host")
        .register(registry);
    Gauge.builder(
            "fleet.tenants.placed", cells, c -> c.all().stream().mapToInt(CellView::tenants).sum())
        .description("Tenants placed")
        .register(registry);
    this.utilisation =
        MultiGauge.builder("fleet.host.utilisation")
            .description("Committed / limit per host and resource")
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

  void rejected(String reason) {
    registry.counter("fleet.rejections", "reason", reason).increment();
  }

  void deadLetter(String sourceTopic) {
    registry.counter("fleet.dead.letters", "topic", sourceTopic).increment();
  }

  void decisionNanos(long nanos) {
    latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Refreshes the per-host gauges from the latest views. */
  void hosts(LocalCells cells) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (CellView c : cells.all()) {
      for (HostView h : c.hosts()) {
        Tags t = Tags.of("host", h.clusterId(), "region", h.region());
        rows.add(
            MultiGauge.Row.of(
                t.and("resource", "cpu"), ratio(h.committed().cpuMillis(), h.limit().cpuMillis())));
        rows.add(
            MultiGauge.Row.of(
                t.and("resource", "memory"),
                ratio(h.committed().memoryMiB(), h.limit().memoryMiB())));
        rows.add(
            MultiGauge.Row.of(
                t.and("resource", "pods"), ratio(h.committed().pods(), h.limit().pods())));
      }
    }
    utilisation.register(rows, true);
  }

  private static double ratio(long used, long limit) {
    return limit <= 0 ? (used > 0 ? 1.0 : 0.0) : (double) used / limit;
  }
}
