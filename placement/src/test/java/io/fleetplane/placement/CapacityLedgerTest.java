package io.fleetplane.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.ledger.CapacityLedger.Resize;
import io.fleetplane.placement.model.Host;
import io.fleetplane.placement.model.HostState;
import io.fleetplane.placement.model.ResourceVector;
import org.junit.jupiter.api.Test;

class CapacityLedgerTest {

  private final CapacityLedger ledger = new CapacityLedger();

  private static Host.Builder aHost(String id) {
    return Host.builder(id).region("r").cpuMillis(4000).memoryGi(16).pods(110);
  }

  @Test
  void limitIsAllocatableTimesOvercommitMinusHeadroomAndUnmanagedUse() {
    Host h =
        aHost("h1")
            .overcommitPermille(1500, 1000, 1000)
            .headroom(ResourceVector.of(200, 1024, 0))
            .unmanagedUsed(ResourceVector.of(300, 2048, 10))
            .build();
    // cpu: 4000 x 1.5 - 200 - 300 = 5500; memory: 16384 - 1024 - 2048 = 13312; pods: 110 - 10 = 100
    assertThat(h.limit()).isEqualTo(ResourceVector.of(5500, 13312, 100));
  }

  @Test
  void aReleaseGivesBackExactlyWhatTheCommitTook() {
    ledger.upsertHost(aHost("h1").build());
    ResourceVector r = ResourceVector.of(750, 1536, 3);
    ledger.commit("t1", "h1", r, 0, false);
    assertThat(ledger.committed(0)).isEqualTo(r);
    CapacityLedger.Released released = ledger.release("t1");
    assertThat(released.resources()).isEqualTo(r);
    assertThat(released.hostId()).isEqualTo("h1");
    assertThat(ledger.committed(0)).isEqualTo(ResourceVector.ZERO);
    assertThat(ledger.release("t1")).isNull();
    ledger.verify();
  }

  @Test
  void sizeCountsFollowCommitsResizesAndReleasesMostCommonFirst() {
    ledger.upsertHost(aHost("h1").sharedEtcdHeadroom(10).build());
    ResourceVector small = ResourceVector.of(100, 256, 1);
    ResourceVector medium = ResourceVector.of(500, 1024, 2);
    ResourceVector large = ResourceVector.of(1000, 2048, 3);
    ledger.commit("a", "h1", medium, 0, false);
    ledger.commit("b", "h1", medium, 0, true); // shared etcd: the same size, counted together
    ledger.commit("c", "h1", medium, 0, false);
    ledger.commit("d", "h1", small, 0, false);
    ledger.resize("c", large, 0);
    ledger.release("d");

    assertThat(ledger.sizeCounts())
        .containsExactly(
            new CapacityLedger.SizeCount(medium, 2), new CapacityLedger.SizeCount(large, 1));
  }

  @Test
  void refusesACommitThatWouldOvercommitAndSaysWhy() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("t1", "h1", ResourceVector.of(3000, 1024, 1), 0, false);
    assertThatThrownBy(() -> ledger.commit("t2", "h1", ResourceVector.of(2000, 1024, 1), 0, false))
        .isInstanceOf(CapacityLedger.LedgerException.class)
        .hasMessageContaining("insufficient cpu (requested 2000, free 1000)");
    assertThat(ledger.tenantCount()).isEqualTo(1);
  }

  @Test
  void refusesASecondCommitForTheSameTenant() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("t1", "h1", ResourceVector.of(1, 1, 1), 0, false);
    assertThatThrownBy(() -> ledger.commit("t1", "h1", ResourceVector.of(1, 1, 1), 0, false))
        .hasMessageContaining("already committed on h1");
  }

  @Test
  void resizesInPlaceWhenTheNewSizeFitsCountingItsOwnShare() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("t1", "h1", ResourceVector.of(3000, 1024, 1), 0, false);
    // 4000 free with its own 3000: 3500 fits
    assertThat(ledger.resize("t1", ResourceVector.of(3500, 2048, 1), 0))
        .isInstanceOf(Resize.InPlace.class);
    assertThat(ledger.committed(0)).isEqualTo(ResourceVector.of(3500, 2048, 1));
    ledger.verify();
  }

  @Test
  void saysATenantMustMoveWhenItOutgrowsItsHostAndChangesNothing() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("t1", "h1", ResourceVector.of(3000, 1024, 1), 0, false);
    ledger.commit("t2", "h1", ResourceVector.of(500, 1024, 1), 0, false);
    Resize r = ledger.resize("t1", ResourceVector.of(4000, 1024, 1), 0);
    assertThat(r)
        .isInstanceOfSatisfying(
            Resize.MustMove.class,
            m ->
                assertThat(m.reasons())
                    .containsExactly(
                        "insufficient cpu (requested 4000, available with its current share 3500)"));
    assertThat(ledger.committed(0)).isEqualTo(ResourceVector.of(3500, 2048, 2));
  }

  @Test
  void aShrunkHostIsOvercommittedAndListsTenantsToMoveLowestPriorityFirst() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("gold", "h1", ResourceVector.of(1000, 1024, 1), 900, false);
    ledger.commit("bronze", "h1", ResourceVector.of(1000, 1024, 1), 10, false);
    ledger.commit("silver", "h1", ResourceVector.of(1000, 1024, 1), 500, false);
    CapacityLedger.HostUpdate u = ledger.upsertHost(aHost("h1").cpuMillis(1500).build());
    assertThat(u.overcommitted()).isTrue();
    // 3000 committed, limit 1500: moving bronze leaves 2000, silver too leaves 1000 <= 1500
    assertThat(u.toMove()).containsExactly("bronze", "silver");
    ledger.release("bronze");
    ledger.release("silver");
    assertThat(ledger.overcommitted(0)).isFalse();
  }

  @Test
  void anEmptyHostWhoseHeadroomExceedsItsCapacityTakesNothingAndIsNotOvercommitted() {
    CapacityLedger.HostUpdate u =
        ledger.upsertHost(
            aHost("h1").cpuMillis(1000).unmanagedUsed(ResourceVector.of(1500, 0, 0)).build());
    assertThat(u.overcommitted()).isFalse();
    assertThat(ledger.free(0, 0)).isEqualTo(-500);
    assertThatThrownBy(() -> ledger.commit("t", "h1", ResourceVector.of(0, 1, 1), 0, false))
        .hasMessageContaining("insufficient cpu");
  }

  @Test
  void restoresACommitmentFromTheLogEvenOnAHostThatHasSinceShrunk() {
    ledger.upsertHost(aHost("h1").cpuMillis(1000).state(HostState.CORDONED).build());
    ledger.restore("t", "h1", ResourceVector.of(3000, 1024, 1), 0, false);
    assertThat(ledger.hostOf("t")).isEqualTo("h1");
    assertThat(ledger.overcommitted(0)).isTrue();
    assertThatThrownBy(() -> ledger.restore("t", "h1", ResourceVector.of(1, 1, 1), 0, false))
        .hasMessageContaining("already committed");
    ledger.verify();
  }

  @Test
  void aHostWhoseSharedEtcdShrankBelowItsUseTakesNoTenantAtAll() {
    ledger.upsertHost(aHost("h1").sharedEtcdHeadroom(2).build());
    ledger.commit("a", "h1", ResourceVector.of(1, 1, 1), 0, true);
    ledger.commit("b", "h1", ResourceVector.of(1, 1, 1), 0, true);
    assertThat(ledger.upsertHost(aHost("h1").sharedEtcdHeadroom(1).build()).toMove()).hasSize(1);
    assertThatThrownBy(() -> ledger.commit("c", "h1", ResourceVector.of(1, 1, 1), 0, false))
        .hasMessageContaining("shared etcd over-committed");
  }

  @Test
  void refusesANegativeResize() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("t", "h1", ResourceVector.of(1000, 1024, 1), 0, false);
    assertThatThrownBy(() -> ledger.resize("t", ResourceVector.of(-3000, 0, 0), 0))
        .hasMessageContaining("negative resources");
  }

  @Test
  void growingAHostIsNotAnOvercommit() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("t", "h1", ResourceVector.of(1000, 1024, 1), 0, false);
    CapacityLedger.HostUpdate u = ledger.upsertHost(aHost("h1").cpuMillis(8000).build());
    assertThat(u.overcommitted()).isFalse();
    assertThat(u.toMove()).isEmpty();
    assertThat(ledger.free(0, 0)).isEqualTo(7000);
  }

  @Test
  void drainingListsEveryTenantToMoveAndTakesNoNewOnes() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("b", "h1", ResourceVector.of(1, 1, 1), 5, false);
    ledger.commit("a", "h1", ResourceVector.of(1, 1, 1), 5, false);
    ledger.commit("c", "h1", ResourceVector.of(1, 1, 1), 1, false);
    assertThat(ledger.setState("h1", HostState.DRAINING)).containsExactly("c", "a", "b");
    assertThatThrownBy(() -> ledger.commit("d", "h1", ResourceVector.of(1, 1, 1), 0, false))
        .hasMessageContaining("host draining");
  }

  @Test
  void cordoningKeepsTenantsAndStopsNewOnes() {
    ledger.upsertHost(aHost("h1").build());
    ledger.commit("a", "h1", ResourceVector.of(1, 1, 1), 0, false);
    assertThat(ledger.setState("h1", HostState.CORDONED)).isEmpty();
    assertThat(ledger.hostOf("a")).isEqualTo("h1");
    assertThatThrownBy(() -> ledger.commit("b", "h1", ResourceVector.of(1, 1, 1), 0, false))
        .hasMessageContaining("host cordoned");
    ledger.setState("h1", HostState.READY);
    ledger.commit("b", "h1", ResourceVector.of(1, 1, 1), 0, false);
  }

  @Test
  void countsSharedEtcdTenantsAgainstTheHeadroom() {
    ledger.upsertHost(aHost("h1").sharedEtcdHeadroom(1).build());
    ledger.commit("a", "h1", ResourceVector.of(1, 1, 1), 0, true);
    assertThatThrownBy(() -> ledger.commit("b", "h1", ResourceVector.of(1, 1, 1), 0, true))
        .hasMessageContaining("no shared-etcd headroom");
    ledger.commit("c", "h1", ResourceVector.of(1, 1, 1), 0, false);
    ledger.release("a");
    ledger.commit("b", "h1", ResourceVector.of(1, 1, 1), 0, true);
    ledger.verify();
  }

  @Test
  void keepsMillionsOfTenantsFindableAfterChurn() {
    ledger.upsertHost(aHost("h1").cpuMillis(10_000_000).memoryGi(100_000).pods(10_000_000).build());
    for (int i = 0; i < 200_000; i++) {
      ledger.commit("t" + i, "h1", ResourceVector.of(1, 1, 1), 0, false);
    }
    for (int i = 0; i < 200_000; i += 2) {
      ledger.release("t" + i);
    }
    for (int i = 0; i < 200_000; i++) {
      assertThat(ledger.hostOf("t" + i)).isEqualTo(i % 2 == 0 ? null : "h1");
    }
    assertThat(ledger.tenantCount()).isEqualTo(100_000);
    ledger.verify();
  }
}
