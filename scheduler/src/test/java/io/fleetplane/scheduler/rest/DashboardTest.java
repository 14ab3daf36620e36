package io.fleetplane.scheduler.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Resources;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.HostView;
import io.fleetplane.scheduler.query.SizeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardTest {

  private static final Resources LIMIT = new Resources(10_000, 40_000, 100);

  private static HostView host(String id, String state, Resources committed) {
    return new HostView(
        id,
        "eu-west",
        state,
        false,
        LIMIT,
        LIMIT,
        committed,
        new Resources(
            LIMIT.cpuMillis() - committed.cpuMillis(),
            LIMIT.memoryMiB() - committed.memoryMiB(),
            LIMIT.pods() - committed.pods()),
        1,
        Instant.EPOCH);
  }

  private static CellView cell(List<HostView> hosts, List<SizeView> sizes) {
    return new CellView("eu-west", hosts, 0, 0, List.of(), sizes, Instant.EPOCH);
  }

  @Test
  void strandedCapacityIsTheFreeOfReadyHostsThatCannotTakeTheMostCommonSize() {
    Resources medium = new Resources(1000, 2000, 3);
    CellView c =
        cell(
            List.of(
                host("roomy", "ready", new Resources(2000, 8000, 10)), // takes a medium
                host("cpu-full", "ready", new Resources(9500, 8000, 10)), // 500m CPU left
                host("pods-full", "ready", new Resources(1000, 1000, 98)), // 2 pods left
                host("cordoned", "cordoned", new Resources(9900, 0, 0))), // not counted
            List.of(new SizeView(new Resources(100, 100, 1), 5), new SizeView(medium, 9)));

    Dashboard.Fragmentation f = Dashboard.fragmentation(List.of(c));

    assertThat(f.commonSize()).isEqualTo(medium);
    assertThat(f.commonSizeTenants()).isEqualTo(9);
    assertThat(f.hostsTooFull()).isEqualTo(2);
    assertThat(f.stranded()).isEqualTo(new Resources(500 + 9000, 32_000 + 39_000, 90 + 2));
    assertThat(f.free()).isEqualTo(new Resources(8000 + 500 + 9000, 32_000 * 2 + 39_000, 182));
    assertThat(f.strandedShare().get("strandedCpu"))
        .isEqualTo(Math.round(1000.0 * 9500 / 17_500) / 1000.0);
  }

  @Test
  void withNoTenantNothingIsStranded() {
    Dashboard.Fragmentation f =
        Dashboard.fragmentation(List.of(cell(List.of(host("h", "ready", Resources.ZERO)), null)));

    assertThat(f.commonSize()).isNull();
    assertThat(f.hostsTooFull()).isZero();
    assertThat(f.stranded()).isEqualTo(Resources.ZERO);
  }

  @Test
  void theHeatMapGivesEachHostItsFullestResourceAndItsState() {
    Dashboard.HeatMap m =
        Dashboard.heatMap(
            List.of(
                cell(
                    List.of(
                        host("a", "ready", new Resources(2500, 36_000, 10)),
                        host("b", "unreachable", Resources.ZERO)),
                    List.of())));

    assertThat(m.states()).containsExactly("ready", "unreachable");
    assertThat(m.regions().get(0).hosts()).containsExactly("a", "b");
    assertThat(m.regions().get(0).fill()).containsExactly(90, 0);
    assertThat(m.regions().get(0).state()).containsExactly(0, 1);
  }

  @Test
  void instancesActivityIsSummedSecondBySecondAlignedOnTheLatest() {
    List<Long> a = new ArrayList<>(Collections.nCopies(Activity.SECONDS, 0L));
    List<Long> b = new ArrayList<>(Collections.nCopies(Activity.SECONDS, 0L));
    a.set(Activity.SECONDS - 1, 7L); // a's last second is 100
    b.set(Activity.SECONDS - 1, 5L); // b's last second is 99: one behind
    Activity.Snapshot merged =
        Activity.merge(
            List.of(
                new Activity.Snapshot(Instant.ofEpochSecond(100), a, Map.of("unknown_plan", 2L)),
                new Activity.Snapshot(
                    Instant.ofEpochSecond(99), b, Map.of("unknown_plan", 1L, "malformed", 4L))));

    assertThat(merged.until()).isEqualTo(Instant.ofEpochSecond(100));
    assertThat(merged.placedPerSecond()).hasSize(Activity.SECONDS);
    assertThat(merged.placedPerSecond().get(Activity.SECONDS - 1)).isEqualTo(7L);
    assertThat(merged.placedPerSecond().get(Activity.SECONDS - 2)).isEqualTo(5L);
    assertThat(merged.rejections()).isEqualTo(Map.of("unknown_plan", 3L, "malformed", 4L));
  }
}
