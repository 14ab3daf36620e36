package io.fleetplane.scheduler.cell;

import static io.fleetplane.events.Dimension.STORAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.HostCommand;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.plan.PlanCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CellTest {

  // small + dedicated etcd = 500m / 1024 MiB / 3 pods (see the plan catalogue)
  private static final long SMALL_CPU = 500;

  private final MapRepository repo = new MapRepository();
  private final Recorder out = new Recorder();
  private final Cell cell =
      new Cell("eu-west", CellConfig.defaults(), PlanCatalogue.defaults(), repo);
  private long seq;

  /** A host whose agent does not report storage: not limited in it. */
  static HostReport host(String id, long cpuMillis) {
    return host(id, Resources.allocatable(cpuMillis, 64 * 1024, 110));
  }

  static HostReport host(String id, Resources allocatable) {
    return new HostReport(
        id,
        "eu-west",
        List.of("a", "b", "c"),
        Map.of(),
        List.of(),
        allocatable,
        Resources.ZERO,
        Resources.ZERO,
        new HostReport.Capabilities(true, Set.of(DatastoreMode.values()), 10),
        new HostReport.NodeCounts(3, 3),
        0,
        "test",
        Instant.EPOCH);
  }

  static TenantRequest create(String id, String plan) {
    return TenantRequest.create(
        id, "c-" + id, plan, "eu-west", Datastore.of(DatastoreMode.DEDICATED_ETCD), Isolation.RUNC);
  }

  private void create(String id, String plan, int priority) {
    cell.create(create(id, plan).withPriority(priority), null, seq++, 0, out);
  }

  @Test
  void placesANewTenantOnTheFullestHostThatFitsAndWritesItsPlacement() {
    cell.hostReport(host("h1", 4000), 0, out);
    cell.hostReport(host("h2", 1000), 0, out);
    create("acme", "small", 0);
    assertThat(out.placements).extracting(Placement::clusterId).containsExactly("h2");
    assertThat(out.placements.get(0).generation()).isEqualTo(1);
    // small: 500m, 1 GiB, 3 pods, and its dedicated etcd's one 2 GiB volume
    assertThat(out.placements.get(0).resources())
        .isEqualTo(new Resources(500, 1024, 3).with(Dimension.STORAGE, 2));
    assertThat(out.types()).containsExactly(TenantEvent.Type.PLACED);
    assertThat(out.events.get(0).reason()).startsWith("best-fit");
    assertThat(repo.get("acme").placed()).isTrue();
  }

  @Test
  void aHostWithoutRoomForTheDatastoresVolumesIsRefusedForInsufficientStorage() {
    // large HA with a dedicated etcd: three 20 GiB volumes
    cell.hostReport(
        host("small-disk", new Resources(64_000, 256 * 1024, 110).with(STORAGE, 50)), 0, out);
    cell.create(create("big", "large").withHighAvailability(true), null, seq++, 0, out);

    assertThat(out.types()).containsExactly(TenantEvent.Type.PENDING);
    assertThat(out.events.get(0).reason()).isEqualTo("0/1 host available: 1 insufficient storage");

    // A host that says it has room takes it; so would one that says nothing of storage.
    cell.hostReport(
        host("large-disk", new Resources(64_000, 256 * 1024, 110).with(STORAGE, 500)), 0, out);
    assertThat(out.placements).extracting(Placement::clusterId).containsExactly("large-disk");
    assertThat(out.placements.get(0).resources().storageGiB()).isEqualTo(60);

    // kine keeps its data in the host's own database: no volume of its own to count.
    cell.create(
        TenantRequest.create(
            "kine-1",
            "c-kine-1",
            "large",
            "eu-west",
            Datastore.of(DatastoreMode.KINE),
            Isolation.RUNC),
        null,
        seq++,
        0,
        out);
    assertThat(out.placements).hasSize(2);
    assertThat(out.placements.get(1).resources().storageGiB()).isZero();
  }

  @Test
  void queuesATenantNoHostTakesWithEveryReasonCounted() {
    cell.hostReport(host("h1", 100), 0, out);
    create("acme", "small", 0);
    TenantEvent e = out.events.get(0);
    assertThat(e.type()).isEqualTo(TenantEvent.Type.PENDING);
    assertThat(e.reason()).isEqualTo("0/1 host available: 1 insufficient cpu");
    assertThat(e.refusals()).containsEntry("insufficient cpu", 1L);
    assertThat(cell.pendingCount()).isEqualTo(1);
  }

  @Test
  void placesWaitingTenantsWhenCapacityAppearsInPriorityThenArrivalOrder() {
    cell.hostReport(host("h1", 0), 0, out);
    create("first-low", "small", 1);
    create("second-high", "small", 9);
    create("third-low", "small", 1);
    create("big", "large", 5);
    out.clear();
    // Room for two small tenants only: the high priority one, then the earlier low one.
    cell.hostReport(host("h1", 2 * SMALL_CPU), 1, out);
    assertThat(out.placedTenants()).containsExactly("second-high", "first-low");
    assertThat(cell.pendingCount()).isEqualTo(2);
  }

  @Test
  void aWaitingTenantGetsCapacityBeforeANewcomerOfItsClass() {
    cell.hostReport(host("h1", 0), 0, out);
    create("waiting", "small", 0);
    cell.hostReport(host("h1", SMALL_CPU), 0, out);
    out.clear();
    create("newcomer", "small", 0);
    assertThat(repo.get("waiting").placed()).isTrue();
    assertThat(out.types()).containsExactly(TenantEvent.Type.PENDING);
  }

  @Test
  void resizesInPlaceWhenTheNewSizeFits() {
    cell.hostReport(host("h1", 8000), 0, out);
    create("acme", "small", 0);
    out.clear();
    cell.update(TenantRequest.resize("acme", "r2", "medium"), 0, out);
    assertThat(out.types()).containsExactly(TenantEvent.Type.RESIZED);
    assertThat(out.placements)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.clusterId()).isEqualTo("h1");
              assertThat(p.generation()).isEqualTo(2);
              assertThat(p.plan()).isEqualTo("medium");
            });
  }

  @Test
  void movesATenantThatOutgrowsItsHostAndReleasesTheOldPlace() {
    cell.hostReport(host("small-host", 1000), 0, out);
    create("acme", "small", 0);
    cell.hostReport(host("big-host", 8000), 0, out);
    out.clear();
    cell.update(TenantRequest.resize("acme", "r2", "large"), 0, out);
    assertThat(out.releases).containsExactly("small-host/acme");
    assertThat(out.placements)
        .singleElement()
        .satisfies(p -> assertThat(p.clusterId()).isEqualTo("big-host"));
    assertThat(out.types()).containsExactly(TenantEvent.Type.MOVED);
    assertThat(cell.ledger().hostOf("acme")).isEqualTo("big-host");
  }

  @Test
  void refusesAResizeNoHostTakesAndKeepsTheTenantAsItWas() {
    cell.hostReport(host("h1", 1000), 0, out);
    create("acme", "small", 0);
    out.clear();
    cell.update(TenantRequest.resize("acme", "r2", "large"), 0, out);
    assertThat(out.types()).containsExactly(TenantEvent.Type.REJECTED);
    assertThat(out.events.get(0).reason()).contains("it stays as it was");
    assertThat(out.placements).isEmpty();
    assertThat(repo.get("acme").spec().plan()).isEqualTo("small");
  }

  @Test
  void deletingReleasesWritesATombstoneAndLetsAWaitingTenantIn() {
    cell.hostReport(host("h1", SMALL_CPU), 0, out);
    create("a", "small", 0);
    create("b", "small", 0);
    out.clear();
    cell.delete(TenantRequest.delete("a", "d1"), 0, out);
    assertThat(out.releases).containsExactly("h1/a");
    assertThat(out.types()).containsExactly(TenantEvent.Type.RELEASED, TenantEvent.Type.PLACED);
    assertThat(repo.get("a")).isNull();
    assertThat(repo.get("b").placed()).isTrue();
  }

  @Test
  void deletingAWaitingTenantDropsItFromTheQueue() {
    cell.hostReport(host("h1", 0), 0, out);
    create("a", "small", 0);
    out.clear();
    cell.delete(TenantRequest.delete("a", "d1"), 0, out);
    assertThat(out.releases).isEmpty();
    assertThat(out.types()).containsExactly(TenantEvent.Type.RELEASED);
    assertThat(cell.pendingCount()).isZero();
  }

  @Test
  void rejectsASecondCreateAndUpdatesOrDeletesOfUnknownTenants() {
    cell.hostReport(host("h1", 8000), 0, out);
    create("a", "small", 0);
    out.clear();
    create("a", "small", 0);
    cell.update(TenantRequest.resize("ghost", "u", "large"), 0, out);
    cell.delete(TenantRequest.delete("ghost", "d"), 0, out);
    assertThat(out.types()).containsOnly(TenantEvent.Type.REJECTED).hasSize(3);
    assertThat(out.events.get(0).reason()).contains("already exists (placed on h1)");
    assertThat(out.events.get(2).reason()).contains("unknown tenant ghost");
  }

  @Test
  void aSilentHostTakesNoNewTenantsThenIsDeclaredLostWithItsTenantsKept() {
    cell.hostReport(host("h1", 8000), 0, out);
    create("a", "small", 0);
    long unreachable = CellConfig.defaults().unreachableAfter().toMillis() + 1;
    cell.tick(unreachable, out);
    assertThat(cell.hosts().get("h1").unreachable()).isTrue();
    out.clear();
    create("b", "small", 0);
    assertThat(out.events.get(0).reason()).contains("1 host unreachable");
    out.clear();
    cell.tick(CellConfig.defaults().lostAfter().toMillis() + 1, out);
    assertThat(out.types()).containsExactly(TenantEvent.Type.HOST_LOST);
    assertThat(out.events.get(0).tenantId()).isEqualTo("a");
    assertThat(cell.ledger().hostOf("a")).isEqualTo("h1");
    // It reports again: ready, and the waiting tenant goes there.
    out.clear();
    cell.hostReport(host("h1", 8000), Duration.ofMinutes(11).toMillis(), out);
    assertThat(out.placedTenants()).containsExactly("b");
  }

  @Test
  void cordoningStopsPlacementsAndUncordoningResumesThem() {
    cell.hostReport(host("h1", 8000), 0, out);
    cell.hostCommand(
        new HostCommand("h1", HostCommand.Command.CORDON, "kernel upgrade", null), 0, out);
    create("a", "small", 0);
    assertThat(out.events.get(0).reason()).contains("1 host cordoned");
    out.clear();
    cell.hostCommand(new HostCommand("h1", HostCommand.Command.UNCORDON, "done", null), 0, out);
    assertThat(out.placedTenants()).containsExactly("a");
  }

  @Test
  void aRestoredCellDecidesExactlyAsTheOneThatNeverStopped() {
    Cell original = cell;
    for (int h = 0; h < 4; h++) {
      original.hostReport(host("h" + h, 1000 + h * 700L), 0, out);
    }
    for (int t = 0; t < 20; t++) {
      create("t" + t, t % 3 == 0 ? "medium" : "small", t % 4);
    }
    original.delete(TenantRequest.delete("t3", "d"), 0, out);

    Cell restored =
        new Cell("eu-west", CellConfig.defaults(), PlanCatalogue.defaults(), repo.copy());
    restored.restore(out.hostRecords.values(), repo.map.values());
    assertThat(restored.pendingCount()).isEqualTo(original.pendingCount());

    Recorder a = new Recorder();
    Recorder b = new Recorder();
    original.hostReport(host("h9", 6000), 1, a);
    restored.hostReport(host("h9", 6000), 1, b);
    assertThat(b.placedTenants()).isEqualTo(a.placedTenants()).isNotEmpty();
    for (String t : List.of("t0", "t1", "t2", "t5")) {
      assertThat(restored.ledger().hostOf(t)).isEqualTo(original.ledger().hostOf(t));
    }
  }

  /** Records what a cell writes. */
  static final class Recorder implements CellOutput {
    final List<Placement> placements = new ArrayList<>();
    final List<String> releases = new ArrayList<>();
    final List<TenantEvent> events = new ArrayList<>();
    final Map<String, HostRecord> hostRecords = new TreeMap<>();

    @Override
    public void placement(Placement p) {
      placements.add(p);
    }

    @Override
    public void release(String clusterId, String tenantId) {
      releases.add(clusterId + "/" + tenantId);
    }

    @Override
    public void event(TenantEvent e) {
      events.add(e);
    }

    @Override
    public void host(HostRecord r) {
      hostRecords.put(r.clusterId(), r);
    }

    List<TenantEvent.Type> types() {
      return events.stream().map(TenantEvent::type).toList();
    }

    List<String> placedTenants() {
      return events.stream()
          .filter(e -> e.type() == TenantEvent.Type.PLACED)
          .map(TenantEvent::tenantId)
          .toList();
    }

    void clear() {
      placements.clear();
      releases.clear();
      events.clear();
    }
  }

  /** Tenant records in a sorted map, as a RocksDB store would iterate them. */
  static final class MapRepository implements TenantRepository {
    final TreeMap<String, TenantRecord> map = new TreeMap<>();

    @Override
    public TenantRecord get(String tenantId) {
      return map.get(tenantId);
    }

    @Override
    public void put(TenantRecord record) {
      map.put(record.tenantId(), record);
    }

    @Override
    public void delete(String tenantId) {
      map.remove(tenantId);
    }

    MapRepository copy() {
      MapRepository c = new MapRepository();
      c.map.putAll(map);
      return c;
    }
  }
}
