package io.fleetplane.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Host;
import io.fleetplane.placement.model.HostState;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.ResourceVector;
import io.fleetplane.placement.model.Toleration;
import io.fleetplane.placement.score.ScoringPolicies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random fleets and random streams of creates, deletes, resizes, capacity changes and state
 * changes: after every operation the ledger's invariants hold, and the index chooses exactly what a
 * scan of every host chooses.
 */
class PlacementPropertiesTest {

  @Provide
  Arbitrary<String> policies() {
    return Arbitraries.of(List.copyOf(ScoringPolicies.names()));
  }

  @Property(tries = 150)
  void indexAndScanAgreeAndInvariantsHold(
      @ForAll("policies") String policy, @ForAll Random random) {
    long seed = random.nextLong();
    World indexed = new World(seed, policy, true);
    World naive = new World(seed, policy, false);
    List<String> a = indexed.run(400);
    List<String> b = naive.run(400);
    assertThat(a).isEqualTo(b);
  }

  @Property(tries = 40)
  void decisionsDependOnlyOnTheInputsNotOnHostOrder(
      @ForAll("policies") String policy, @ForAll Random random) {
    long seed = random.nextLong();
    List<String> first = new World(seed, policy, true).run(300);
    World shuffled = new World(seed, policy, true);
    shuffled.shuffleHostOrder = true;
    assertThat(shuffled.run(300)).isEqualTo(first);
  }

  /** One fleet and one stream of operations, from a seed. */
  static final class World {
    final Random rnd;
    final long seed;
    final CapacityLedger ledger = new CapacityLedger();
    final Placer placer;
    final NaivePlacer naive;
    final List<String> hostIds = new ArrayList<>();
    final List<String> live = new ArrayList<>();
    final Map<String, ResourceVector> committed = new HashMap<>();
    final List<String> log = new ArrayList<>();
    boolean shuffleHostOrder;
    int nextTenant;

    World(long seed, String policy, boolean indexed) {
      this.seed = seed;
      this.rnd = new Random(seed);
      this.placer = indexed ? new Placer(ledger, ScoringPolicies.byName(policy)) : null;
      this.naive = indexed ? null : new NaivePlacer(ledger, ScoringPolicies.byName(policy));
    }

    List<String> run(int steps) {
      List<Host> hosts = new ArrayList<>();
      int n = 1 + rnd.nextInt(40);
      for (int i = 0; i < n; i++) {
        hosts.add(randomHost("h" + i));
      }
      if (shuffleHostOrder) {
        Collections.shuffle(hosts, new Random(seed ^ 0x5DEECE66DL));
      }
      hosts.forEach(ledger::upsertHost);
      hosts.stream().map(Host::id).sorted().forEach(hostIds::add);
      for (int step = 0; step < steps; step++) {
        Set<Integer> overBefore = overcommitted();
        int op = rnd.nextInt(100);
        boolean mayOvercommit = false;
        if (op < 55 || live.isEmpty()) {
          create();
        } else if (op < 75) {
          delete();
        } else if (op < 85) {
          resize();
        } else if (op < 93) {
          changeCapacity();
          mayOvercommit = true;
        } else {
          changeState();
        }
        ledger.verify();
        if (!mayOvercommit) {
          // Only a capacity change may over-commit a host; no decision of ours ever does.
          assertThat(overcommitted()).isSubsetOf(overBefore);
        }
      }
      return log;
    }

    Set<Integer> overcommitted() {
      Set<Integer> s = new HashSet<>();
      for (int slot = 0; slot < ledger.hostCount(); slot++) {
        if (ledger.overcommitted(slot)) {
          s.add(slot);
        }
      }
      return s;
    }

    Host randomHost(String id) {
      Host.Builder b =
          Host.builder(id)
              .region(rnd.nextInt(4) == 0 ? "r2" : "r1")
              .cpuMillis(2000 + rnd.nextInt(62) * 1000L)
              .memoryMiB(4096 + rnd.nextInt(60) * 2048L)
              .pods(20 + rnd.nextInt(200))
              // a third offer no volumes at all; the others 20 to 400 GiB
              .storageGi(rnd.nextInt(3) == 0 ? 0 : 20 + rnd.nextInt(20) * 20L)
              .gvisor(rnd.nextBoolean())
              .sharedEtcdHeadroom(rnd.nextInt(5))
              .maxTenants(rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(5) : Integer.MAX_VALUE);
      if (rnd.nextBoolean()) {
        b.zones("a", "b", "c");
      } else {
        b.zones("a");
      }
      if (rnd.nextInt(3) == 0) {
        b.label("tier", rnd.nextBoolean() ? "gold" : "silver");
      }
      if (rnd.nextInt(5) == 0) {
        b.taint("dedicated", "acme", "NoSchedule");
      }
      if (rnd.nextInt(4) == 0) {
        b.overcommitPermille(1000 + rnd.nextInt(1000), 1000, 1000);
      }
      if (rnd.nextInt(4) == 0) {
        b.unmanagedUsed(ResourceVector.of(rnd.nextInt(1000), rnd.nextInt(2048), rnd.nextInt(10)));
      }
      if (rnd.nextInt(5) == 0) {
        b.datastoreModes("dedicated-etcd");
      }
      return b.build();
    }

    void create() {
      String id = "t" + nextTenant++;
      long cpu = 100 + rnd.nextInt(40) * 100L;
      long mem = 256 + rnd.nextInt(64) * 256L;
      // storage: a dedicated etcd's volumes; the other modes claim none
      boolean dedicated = rnd.nextInt(3) != 0;
      long storage = dedicated ? 2 + rnd.nextInt(30) * 2L : 0;
      Demand d =
          Demand.of(
                  id,
                  ResourceVector.of(new long[] {cpu, mem, 1 + rnd.nextInt(6), storage}),
                  rnd.nextInt(5) == 0 ? null : "r1")
              .withPriority(rnd.nextInt(1000))
              .withGvisor(rnd.nextInt(4) == 0)
              .withHighAvailability(rnd.nextInt(5) == 0)
              .withDatastoreMode(
                  dedicated ? "dedicated-etcd" : rnd.nextBoolean() ? "shared-etcd" : "kine");
      if (rnd.nextInt(6) == 0) {
        d = d.withLabels(Map.of("tier", "gold"));
      }
      if (rnd.nextInt(4) == 0) {
        d = d.withTolerations(List.of(new Toleration("dedicated", null, null)));
      }
      Decision dec = placer != null ? placer.place(d) : naive.place(d);
      log.add(describe(dec));
      if (dec instanceof Decision.Placed) {
        live.add(id);
        committed.put(id, d.resources());
      }
    }

    void delete() {
      String id = live.remove(rnd.nextInt(live.size()));
      CapacityLedger.Released r = ledger.release(id);
      assertThat(r.resources())
          .as("a release gives back what was committed")
          .isEqualTo(committed.remove(id));
      log.add("released " + id + " from " + r.hostId());
    }

    void resize() {
      String id = live.get(rnd.nextInt(live.size()));
      ResourceVector to =
          ResourceVector.of(
              new long[] {
                100 + rnd.nextInt(60) * 100L,
                256 + rnd.nextInt(80) * 256L,
                1 + rnd.nextInt(6),
                ledger.resourcesOf(id).get(Resource.STORAGE) * rnd.nextInt(3)
              });
      CapacityLedger.Resize r = ledger.resize(id, to, rnd.nextInt(1000));
      if (r instanceof CapacityLedger.Resize.InPlace) {
        committed.put(id, to);
      }
      log.add(r.toString());
    }

    void changeCapacity() {
      String id = hostIds.get(rnd.nextInt(hostIds.size()));
      Host h = ledger.host(ledger.slotOf(id));
      double f = 0.5 + rnd.nextDouble();
      ResourceVector a = h.allocatable();
      Host changed =
          h.withAllocatable(
              ResourceVector.of(
                  new long[] {
                    (long) (a.get(0) * f), (long) (a.get(1) * f), a.get(2), (long) (a.get(3) * f)
                  }));
      // Sometimes the tenant limit or the shared etcd shrinks (or grows) too.
      if (rnd.nextInt(3) == 0) {
        changed =
            new Host(
                changed.id(),
                changed.traits(),
                changed.allocatable(),
                changed.overcommitPermille(),
                changed.headroom(),
                changed.unmanagedUsed(),
                rnd.nextBoolean() ? changed.maxTenants() : rnd.nextInt(6),
                rnd.nextInt(5),
                changed.state());
      }
      CapacityLedger.HostUpdate u = ledger.upsertHost(changed);
      log.add(u.toString());
      // Moving what it lists must end the over-commitment.
      if (u.overcommitted() && rnd.nextBoolean()) {
        for (String t : u.toMove()) {
          ledger.release(t);
          live.remove(t);
          committed.remove(t);
        }
        assertThat(ledger.overcommitted(ledger.slotOf(id))).isFalse();
      }
    }

    void changeState() {
      String id = hostIds.get(rnd.nextInt(hostIds.size()));
      HostState s = HostState.values()[rnd.nextInt(HostState.values().length)];
      if (rnd.nextBoolean()) {
        s = HostState.READY;
      }
      log.add("state " + id + " " + s + " move " + ledger.setState(id, s));
    }

    static String describe(Decision d) {
      if (d instanceof Decision.Placed p) {
        return p.tenantId() + " -> " + p.hostId() + " key " + p.key();
      }
      return d.tenantId() + " unplaceable: " + d.reason();
    }
  }
}
