package io.fleetplane.placement;

import io.fleetplane.placement.filter.Filters;
import io.fleetplane.placement.index.FitIndex;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Refusals;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.score.ScoringPolicy;

/**
 * Places tenants on a ledger's hosts with a scoring policy, through the {@link FitIndex}:
 * a decision costs about the logarithm of the hosts in the eligible pools, not their number.
 * It picks exactly what {@link NaivePlacer} (a scan of every host) picks. When no host fits,
 * the refusal is explained host by host, which does look at every host.
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
    for (int r = 0; r < Resource.COUNT; r++) {
      needResources[r] = d.resources().get(r);
      need[r] = needResources[r];
    }
    need[Resource.COUNT] = 1; // a tenant slot
    need[Resource.COUNT + 1] = d.usesSharedEtcd() ? 1 : 0;
    int k = policy.keyFor(needResources);
    double bound = policy.lowerBound(k, needResources);
    int best = -1;
    for (FitIndex.Pool pool : index.pools()) {
      if (pool.size() == 0 || !Filters.traitsAllow(pool.traits(), d)) {
        continue;
      }
      int candidate = index.best(pool, need, k, bound);
      if (candidate >= 0 && (best < 0 || index.before(candidate, best, k))) {
        best = candidate;
      }
    }
    if (best < 0) {
      return new Decision.Unplaceable(d.tenantId(), refusals(ledger, d));
    }
    double key = index.key(best, k);
    return new Decision.Placed(d.tenantId(), ledger.host(best).id(), policy, key);
  }

  /** Chooses a host and commits the tenant there. */
  public Decision place(Demand d) {
    Decision decision = choose(d);
    if (decision instanceof Decision.Placed p) {
      ledger.commit(d.tenantId(), p.hostId(), d.resources(), d.priority(), d.usesSharedEtcd());
    }
    return decision;
  }

  /** Every reason every host refuses the demand, counted per reason. */
  public static Refusals refusals(CapacityLedger ledger, Demand d) {
    java.util.Map<String, Long> counts = new java.util.HashMap<>();
    int available = 0;
    for (int slot = 0; slot < ledger.hostCount(); slot++) {
      boolean[] refused = {false};
      var view = ledger.view(slot);
      for (var f : Filters.ALL) {
        f.check(view, d, reason -> {
          counts.merge(reason, 1L, Long::sum);
          refused[0] = true;
        });
      }
      if (!refused[0]) {
        available++;
      }
    }
    return new Refusals(ledger.hostCount(), available, new java.util.TreeMap<>(counts));
  }
}
