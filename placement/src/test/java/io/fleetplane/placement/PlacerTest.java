package io.fleetplane.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Host;
import io.fleetplane.placement.model.ResourceVector;
import io.fleetplane.placement.score.ScoringPolicies;
import org.junit.jupiter.api.Test;

class PlacerTest {

  private static Host.Builder aHost(String id) {
    return Host.builder(id).region("r").zones("a", "b", "c").cpuMillis(8000).memoryGi(32).pods(110);
  }

  private static String placedOn(Decision d) {
    assertThat(d).isInstanceOf(Decision.Placed.class);
    return ((Decision.Placed) d).hostId();
  }

  @Test
  void bestFitChoosesTheFullestHostThatFits() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("empty").build());
    ledger.upsertHost(aHost("half").build());
    ledger.upsertHost(aHost("full").build());
    ledger.commit("x", "half", ResourceVector.of(4000, 16 * 1024, 10), 0, false);
    ledger.commit("y", "full", ResourceVector.of(7800, 31 * 1024, 10), 0, false);
    Placer placer = new Placer(ledger, ScoringPolicies.byName("best-fit"));
    // "full" has 200m left: too little; "half" is the fullest that fits.
    assertThat(placedOn(placer.choose(Demand.of("t", ResourceVector.of(500, 1024, 3), "r"))))
        .isEqualTo("half");
    // A tiny tenant fits on "full".
    assertThat(placedOn(placer.choose(Demand.of("t", ResourceVector.of(100, 512, 1), "r"))))
        .isEqualTo("full");
  }

  @Test
  void aHostWithoutRoomForTheVolumesIsRefusedForInsufficientStorage() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("no-volumes").build());
    ledger.upsertHost(aHost("small-disk").storageGi(20).build());
    ledger.upsertHost(aHost("large-disk").storageGi(500).build());
    Demand etcd = Demand.of("t", ResourceVector.of(new long[] {500, 1024, 3, 24}), "r");
    for (String policy : ScoringPolicies.names()) {
      Placer placer = new Placer(ledger, ScoringPolicies.byName(policy));
      assertThat(placedOn(placer.choose(etcd))).as(policy).isEqualTo("large-disk");
    }
    // A tenant without volumes goes anywhere; best-fit counts the free GiB as well, so the host
    // without storage is the fullest.
    Demand kine = Demand.of("k", ResourceVector.of(500, 1024, 3), "r");
    assertThat(placedOn(new Placer(ledger, ScoringPolicies.byName("best-fit")).choose(kine)))
        .isEqualTo("no-volumes");
    // When none has room, the pending reason says what is short, kube-scheduler's way.
    Demand huge = Demand.of("h", ResourceVector.of(new long[] {500, 1024, 3, 600}), "r");
    Decision d = new Placer(ledger, ScoringPolicies.byName("best-fit")).choose(huge);
    assertThat(d).isInstanceOf(Decision.Unplaceable.class);
    assertThat(((Decision.Unplaceable) d).refusals().message())
        .isEqualTo("0/3 hosts available: 3 insufficient storage");
  }

  @Test
  void aTenantThatDoesNotNeedGvisorGoesToAGvisorHostOnlyWhenNoOtherFits() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("a-sandboxed").gvisor(true).build());
    ledger.upsertHost(aHost("b-plain").build());
    // best-fit alone would choose "a-sandboxed": it is fuller, and first by id as well
    ledger.commit("x", "a-sandboxed", ResourceVector.of(4000, 16 * 1024, 10), 0, false);
    for (String policy : ScoringPolicies.names()) {
      Placer placer = new Placer(ledger, ScoringPolicies.byName(policy));
      NaivePlacer naive = new NaivePlacer(ledger, ScoringPolicies.byName(policy));
      Demand runc = Demand.of("t", ResourceVector.of(500, 1024, 3), "r");
      assertThat(placedOn(placer.choose(runc))).as(policy).isEqualTo("b-plain");
      assertThat(placedOn(naive.choose(runc))).as(policy).isEqualTo("b-plain");
      assertThat(placedOn(placer.choose(runc.withGvisor(true))))
          .as(policy)
          .isEqualTo("a-sandboxed");
    }
    // When only the gVisor host fits, it takes the runc tenant.
    Demand big = Demand.of("big", ResourceVector.of(3000, 4096, 3), "r");
    ledger.commit("y", "b-plain", ResourceVector.of(6000, 8 * 1024, 10), 0, false);
    Placer placer = new Placer(ledger, ScoringPolicies.byName("best-fit"));
    assertThat(placedOn(placer.choose(big))).isEqualTo("a-sandboxed");
    assertThat(placedOn(new NaivePlacer(ledger, ScoringPolicies.byName("best-fit")).choose(big)))
        .isEqualTo("a-sandboxed");
  }

  @Test
  void breaksTiesByHostId() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("h-b").build());
    ledger.upsertHost(aHost("h-c").build());
    ledger.upsertHost(aHost("h-a").build());
    for (String policy : ScoringPolicies.names()) {
      Placer placer = new Placer(ledger, ScoringPolicies.byName(policy));
      assertThat(placedOn(placer.choose(Demand.of("t", ResourceVector.of(1, 1, 1), "r"))))
          .as(policy)
          .isEqualTo("h-a");
    }
  }

  @Test
  void spreadChoosesTheLeastAllocatedHost() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("a").build());
    ledger.upsertHost(aHost("b").build());
    ledger.commit("x", "a", ResourceVector.of(1000, 1024, 1), 0, false);
    Placer placer = new Placer(ledger, ScoringPolicies.byName("spread"));
    assertThat(placedOn(placer.choose(Demand.of("t", ResourceVector.of(1, 1, 1), "r"))))
        .isEqualTo("b");
  }

  @Test
  void placingCommitsAndTheReasonNamesThePolicy() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("h1").build());
    Placer placer = new Placer(ledger, ScoringPolicies.byName("best-fit"));
    Decision d = placer.place(Demand.of("t", ResourceVector.of(500, 1024, 3), "r"));
    assertThat(d.reason()).startsWith("best-fit: the fullest host that fits");
    assertThat(ledger.hostOf("t")).isEqualTo("h1");
  }

  @Test
  void findsTheSameHostWithoutExplainingARefusal() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("a").build());
    ledger.upsertHost(aHost("b").cpuMillis(1000).build());
    Placer placer = new Placer(ledger, ScoringPolicies.byName("best-fit"));
    Demand small = Demand.of("t", ResourceVector.of(500, 1024, 3), "r");
    assertThat(placer.bestHost(small)).isEqualTo(placedOn(placer.choose(small))).isEqualTo("b");
    assertThat(placer.bestHost(small.withResources(ResourceVector.of(9000, 1024, 3)))).isNull();
  }

  @Test
  void seesHostsAddedAndChangedAfterItWasCreated() {
    CapacityLedger ledger = new CapacityLedger();
    Placer placer = new Placer(ledger, ScoringPolicies.byName("best-fit"));
    Demand d = Demand.of("t", ResourceVector.of(500, 1024, 3), "r");
    assertThat(placer.choose(d).reason()).isEqualTo("0/0 hosts available: no host clusters known");
    ledger.upsertHost(aHost("h1").cpuMillis(100).build());
    assertThat(placer.choose(d)).isInstanceOf(Decision.Unplaceable.class);
    ledger.upsertHost(aHost("h1").cpuMillis(1000).build());
    assertThat(placedOn(placer.choose(d))).isEqualTo("h1");
  }
}
