package io.fleetplane.placement;

import io.fleetplane.placement.filter.Filter;
import io.fleetplane.placement.filter.Filters;
import io.fleetplane.placement.filter.TraitFilter;
import io.fleetplane.placement.index.FitIndex;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Refusals;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.Traits;
import io.fleetplane.placement.score.ScoringPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Places tenants on a ledger's hosts with a scoring policy, through the {@link FitIndex}: a
 * decision costs about the logarithm of the hosts in the eligible pools, not their number. It picks
 * exactly what {@link NaivePlacer} (a scan of every host) picks. When no host fits, the refusal is
 * explained host by host, which does look at every host.
 *
 * <p>Before the policy's key comes one preference: a host keeps a capability spare from tenants
 * that do not need it ({@link #keepsSpare}); such a host is chosen only when no other fits.
 *
 * <p>Not thread-safe: one writer per cell.
 */
public final class Placer {

  private final CapacityLedger ledger;
  private final ScoringPolicy policy;
  private final FitIndex index;
  private final long[] need = new long[FitIndex.D];
  private final long[] needResources = new long[Resource.COUNT];

  public Placer(CapacityLedger ledger, ScoringPolicy policy) {
    this.ledger = ledger;
    this.policy = policy;
    this.index = new FitIndex(ledger, policy);
  }

  public CapacityLedger ledger() {
    return ledger;
  }

  public ScoringPolicy policy() {
    return policy;
  }

  /** Chooses a host without committing. */
  public Decision choose(Demand d) {
    int best = bestSlot(d);
    if (best < 0) {
      return new Decision.Unplaceable(d.tenantId(), refusals(ledger, d));
    }
    return new Decision.Placed(
        d.tenantId(), ledger.host(best).id(), policy, index.key(best, lastKey));
  }

  /**
   * The host the policy would choose, or null, without explaining a refusal: for retrying pending
   * tenants, whose refusal was explained when they first became pending. An explanation looks at
   * every host (about 20 ns each); this does not.
   */
  public String bestHost(Demand d) {
    int best = bestSlot(d);
    return best < 0 ? null : ledger.host(best).id();
  }

  /** The policy key index the last search ranked by (single-threaded, like the rest). */
  private int lastKey;

  private int bestSlot(Demand d) {
    for (int r = 0; r < Resource.COUNT; r++) {
      needResources[r] = d.resources().get(r);
      need[r] = needResources[r];
    }
    need[Resource.COUNT] = 1; // a tenant slot
    need[Resource.COUNT + 1] = d.usesSharedEtcd() ? 1 : 0;
    int k = policy.keyFor(needResources);
    lastKey = k;
    double bound = policy.lowerBound(k, needResources);
    // First the hosts whose capabilities the tenant uses, then (only if none fits) the others.
    int best = bestIn(d, k, bound, false);
    return best >= 0 || d.gvisor() ? best : bestIn(d, k, bound, true);
  }

  /**
   * The best host of the eligible pools that do ({@code spare}) or do not keep a capability spare.
   */
  private int bestIn(Demand d, int k, double bound, boolean spare) {
    int best = -1;
    for (FitIndex.Pool pool : index.pools()) {
      if (pool.size() == 0
          || keepsSpare(pool.traits().gvisor(), d) != spare
          || !Filters.traitsAllow(pool.traits(), d)) {
        continue;
      }
      int candidate = index.best(pool, need, k, bound);
      if (candidate >= 0 && (best < 0 || index.before(candidate, best, k))) {
        best = candidate;
      }
    }
    return best;
  }

  /**
   * Whether a host with (or without) gVisor keeps it spare from this tenant: a tenant that does not
   * need gVisor goes to a gVisor host only when no other host fits, so that best-fit does not fill
   * the scarce sandboxed hosts with tenants that could run anywhere and then refuse the tenants
   * that can run only there. (Found by the fleet-scale run: 10% gVisor hosts, 5% gVisor tenants,
   * and 34,131 of 1,000,000 tenants left waiting with every gVisor host full of runc tenants.)
   */
  public static boolean keepsSpare(boolean hostHasGvisor, Demand d) {
    return hostHasGvisor && !d.gvisor();
  }

  /** Chooses a host and commits the tenant there. */
  public Decision place(Demand d) {
    Decision decision = choose(d);
    if (decision instanceof Decision.Placed p) {
      ledger.commit(d.tenantId(), p.hostId(), d.resources(), d.priority(), d.usesSharedEtcd());
    }
    return decision;
  }

  /**
   * Every reason every host refuses the demand, counted per reason. Trait filters run once per
   * distinct {@code Traits} (the ledger shares one instance between alike hosts), load filters once
   * per host, with nothing allocated per host.
   */
  public static Refusals refusals(CapacityLedger ledger, Demand d) {
    Map<Traits, List<String>> traitReasons = new IdentityHashMap<>();
    Map<Traits, long[]> hostsPerTraits = new IdentityHashMap<>();
    Counter load = new Counter();
    CapacityLedger.Cursor cursor = ledger.cursor();
    Traits last = null;
    List<String> lastReasons = null;
    long[] lastHosts = null;
    int available = 0;
    for (int slot = 0; slot < ledger.hostCount(); slot++) {
      cursor.moveTo(slot);
      Traits t = cursor.host().traits();
      if (t != last) {
        last = t;
        lastReasons = traitReasons.computeIfAbsent(t, x -> traitRefusals(x, d));
        lastHosts = hostsPerTraits.computeIfAbsent(t, x -> new long[1]);
      }
      lastHosts[0]++;
      load.refused = false;
      for (Filter f : Filters.LOAD) {
        f.check(cursor, d, load);
      }
      if (lastReasons.isEmpty() && !load.refused) {
        available++;
      }
    }
    TreeMap<String, Long> counts = new TreeMap<>();
    load.counts.forEach((reason, n) -> counts.merge(reason, n[0], Long::sum));
    traitReasons.forEach(
        (traits, reasons) -> {
          for (String reason : reasons) {
            counts.merge(reason, hostsPerTraits.get(traits)[0], Long::sum);
          }
        });
    return new Refusals(ledger.hostCount(), available, counts);
  }

  private static List<String> traitRefusals(Traits t, Demand d) {
    List<String> reasons = new ArrayList<>(1);
    for (TraitFilter f : Filters.TRAITS) {
      f.check(t, d, reasons::add);
    }
    return reasons;
  }

  /** Counts load refusals; their reasons are constants, so counting needs no boxing. */
  private static final class Counter implements Consumer<String> {
    final Map<String, long[]> counts = new HashMap<>();
    boolean refused;

    @Override
    public void accept(String reason) {
      counts.computeIfAbsent(reason, r -> new long[1])[0]++;
      refused = true;
    }
  }
}
