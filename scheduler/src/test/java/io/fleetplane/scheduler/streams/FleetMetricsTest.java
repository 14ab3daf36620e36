package io.fleetplane.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.HostView;
import io.fleetplane.scheduler.query.LocalCells;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetMetricsTest {

  private static HostView host(String id, Resources committed, Resources limit) {
    return new HostView(
        id, "eu-west", "ready", false, limit, limit, committed, limit, 1, Instant.EPOCH);
  }

  @Test
  void aRegionsCommittedAndLimitAreSummedOverItsHostsAndGoWithItsCell() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LocalCells cells = new LocalCells();
    FleetMetrics metrics = new FleetMetrics(registry, cells);
    CellView view =
        new CellView(
            "eu-west",
            List.of(
                host(
                    "a",
                    new Resources(1000, 2048, 3).with(Dimension.STORAGE, 24),
                    new Resources(4000, 8192, 110).with(Dimension.STORAGE, 500)),
                // b does not say how much storage it offers
                host(
                    "b",
                    new Resources(500, 1024, 2).with(Dimension.STORAGE, 8),
                    Resources.allocatable(2000, 4096, 110))),
            2,
            0,
            List.of(),
            List.of(),
            Instant.EPOCH);
    cells.publish(view);

    metrics.hosts(List.of(view));

    assertThat(gauge(registry, "fleet.region.committed", "cpu")).isEqualTo(1500);
    assertThat(gauge(registry, "fleet.region.limit", "cpu")).isEqualTo(6000);
    assertThat(gauge(registry, "fleet.region.committed", "memory")).isEqualTo(3072);
    assertThat(gauge(registry, "fleet.region.limit", "pods")).isEqualTo(220);
    // Storage over the hosts that report it: a's alone.
    assertThat(gauge(registry, "fleet.region.committed", "storage")).isEqualTo(24);
    assertThat(gauge(registry, "fleet.region.limit", "storage")).isEqualTo(500);
    assertThat(registry.find("fleet.host.utilisation").gauges()).hasSize(2 * Dimension.COUNT);
    assertThat(
            registry
                .get("fleet.host.utilisation")
                .tag("host", "a")
                .tag("resource", "storage")
                .gauge()
                .value())
        .isEqualTo(24.0 / 500);
    assertThat(
            registry
                .get("fleet.host.utilisation")
                .tag("host", "b")
                .tag("resource", "storage")
                .gauge()
                .value())
        .isNaN();

    metrics.forget("eu-west");

    assertThat(registry.find("fleet.region.committed").gauges()).isEmpty();
    assertThat(registry.find("fleet.host.utilisation").gauges()).isEmpty();
  }

  private static double gauge(SimpleMeterRegistry registry, String name, String resource) {
    return registry.get(name).tag("region", "eu-west").tag("resource", resource).gauge().value();
  }
}
