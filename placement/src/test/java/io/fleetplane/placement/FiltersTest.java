package io.fleetplane.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Host;
import io.fleetplane.placement.model.HostState;
import io.fleetplane.placement.model.ResourceVector;
import io.fleetplane.placement.model.Toleration;
import io.fleetplane.placement.score.ScoringPolicies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each filter, and how refusals are counted and said. */
class FiltersTest {

  private static final ResourceVector SMALL = ResourceVector.of(500, 1024, 3);

  private static Decision.Unplaceable refusedOn(Host host, Demand d) {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(host);
    Decision decision = new Placer(ledger, ScoringPolicies.byName("best-fit")).choose(d);
    assertThat(decision).isInstanceOf(Decision.Unplaceable.class);
    return (Decision.Unplaceable) decision;
  }

  private static Host.Builder aHost(String id) {
    return Host.builder(id)
        .region("eu-west")
        .zones("a", "b", "c")
        .cpuMillis(4000)
        .memoryGi(16)
        .pods(110);
  }

  @Test
  void refusesAHostInAnotherRegion() {
    assertThat(
            refusedOn(aHost("h1").region("us-east").build(), Demand.of("t", SMALL, "eu-west"))
                .reason())
        .isEqualTo("0/1 host available: 1 not in region eu-west");
  }

  @Test
  void refusesAHostWithoutARequiredLabel() {
    Demand d = Demand.of("t", SMALL, "eu-west").withLabels(Map.of("tier", "gold"));
    assertThat(refusedOn(aHost("h1").label("tier", "silver").build(), d).reason())
        .contains("1 missing label tier=gold");
  }

  @Test
  void refusesAnUntoleratedTaintButNotAPreference() {
    Host tainted = aHost("h1").taint("dedicated", "acme", "NoSchedule").build();
    assertThat(refusedOn(tainted, Demand.of("t", SMALL, "eu-west")).reason())
        .contains("1 untolerated taint dedicated=acme:NoSchedule");
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(tainted);
    ledger.upsertHost(aHost("h2").taint("spot", null, "PreferNoSchedule").build());
    Placer placer = new Placer(ledger, ScoringPolicies.byName("best-fit"));
    assertThat(
            placer.choose(
                Demand.of("t", SMALL, "eu-west")
                    .withTolerations(List.of(new Toleration("dedicated", null, null)))))
        .isInstanceOfSatisfying(Decision.Placed.class, p -> assertThat(p.hostId()).isEqualTo("h1"));
    assertThat(placer.choose(Demand.of("u", SMALL, "eu-west")))
        .isInstanceOfSatisfying(Decision.Placed.class, p -> assertThat(p.hostId()).isEqualTo("h2"));
  }

  @Test
  void refusesAHostWithoutGvisorForAGvisorTenant() {
    assertThat(
            refusedOn(
                    aHost("h1").gvisor(false).build(),
                    Demand.of("t", SMALL, "eu-west").withGvisor(true))
                .reason())
        .contains("1 no gVisor");
  }

  @Test
  void refusesAHostThatDoesNotOfferTheDatastoreOrHasNoSharedEtcdHeadroom() {
    assertThat(
            refusedOn(
                    aHost("h1").datastoreModes("dedicated-etcd").build(),
                    Demand.of("t", SMALL, "eu-west").withDatastoreMode("kine"))
                .reason())
        .contains("1 no datastore kine");
    assertThat(
            refusedOn(
                    aHost("h1").sharedEtcdHeadroom(0).build(),
                    Demand.of("t", SMALL, "eu-west").withDatastoreMode("shared-etcd"))
                .reason())
        .contains("1 no shared-etcd headroom");
  }

  @Test
  void refusesAHostSpanningFewerThanThreeZonesForAHighlyAvailableTenant() {
    assertThat(
            refusedOn(
                    aHost("h1").zones("a", "b").build(),
                    Demand.of("t", SMALL, "eu-west").withHighAvailability(true))
                .reason())
        .contains("1 spans fewer than 3 zones");
  }

  @Test
  void refusesHostsThatAreNotReady() {
    for (HostState s : List.of(HostState.CORDONED, HostState.DRAINING, HostState.UNREACHABLE)) {
      assertThat(refusedOn(aHost("h1").state(s).build(), Demand.of("t", SMALL, "eu-west")).reason())
          .contains("1 host " + s.name().toLowerCase());
    }
  }

  @Test
  void refusesAHostAtItsTenantLimit() {
    assertThat(
            refusedOn(aHost("h1").maxTenants(0).build(), Demand.of("t", SMALL, "eu-west")).reason())
        .contains("1 tenant limit reached");
  }

  @Test
  void namesEveryResourceThatDoesNotFitNotJustTheFirst() {
    Demand huge = Demand.of("t", ResourceVector.of(8000, 32 * 1024, 3), "eu-west");
    assertThat(refusedOn(aHost("h1").build(), huge).reason())
        .isEqualTo("0/1 host available: 1 insufficient cpu, 1 insufficient memory");
  }

  @Test
  void countsRefusalsAcrossTheFleetMostCommonFirst() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("h1").region("us-east").build());
    ledger.upsertHost(aHost("h2").memoryGi(1).build());
    ledger.upsertHost(aHost("h3").memoryGi(1).build());
    Decision d =
        new Placer(ledger, ScoringPolicies.byName("best-fit"))
            .choose(Demand.of("t", ResourceVector.of(500, 2048, 3), "eu-west"));
    assertThat(d.reason())
        .isEqualTo("0/3 hosts available: 2 insufficient memory, 1 not in region eu-west");
  }

  @Test
  void explainsOneHostWithRequestedFreeAndLimit() {
    CapacityLedger ledger = new CapacityLedger();
    ledger.upsertHost(aHost("h1").cpuMillis(8000).build());
    ledger.commit("a", "h1", ResourceVector.of(7500, 1024, 1), 0, false);
    assertThat(
            io.fleetplane.placement.filter.Filters.explain(
                ledger.view(0), Demand.of("t", ResourceVector.of(2000, 1024, 1), "eu-west")))
        .containsExactly("insufficient cpu (requested 2000m, free 500m, limit 8000m)");
  }
}
