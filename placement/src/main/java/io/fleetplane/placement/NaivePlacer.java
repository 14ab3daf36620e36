package io.fleetplane.placement;

import io.fleetplane.placement.filter.Filter;
import io.fleetplane.placement.filter.Filters;
import io.fleetplane.placement.filter.HostView;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.score.ScoringPolicy;

/**
 * The reference: every filter on every host, then the lowest policy key, ties to the lowest
 * host id. Deliberately simple and slow; the tests hold {@link Placer} to its answers and the
 * benchmarks measure against it.
 */
public final class NaivePlacer {

  private final CapacityLedger ledger;
  private final ScoringPolicy policy;

  public NaivePlacer(CapacityLedger ledger, ScoringPolicy policy) {
    this.ledger = ledger;
    this.policy = policy;
  }

  public Decision choose(Demand d) {
    long[] need = d.resources().toArray();
    int k = policy.keyFor(need);
    int best = -1;
    double bestKey = 0;
    for (int slot = 0; slot < ledger.hostCount(); slot++) {
      HostView view = ledger.view(slot);
      if (refused(view, d)) {
        continue;
      }
      long[] free = new long[Resource.COUNT];
      for (int r = 0; r < free.length; r++) {
        free[r] = view.free(r);
      }
      double key = policy.key(k, free);
      int c = best < 0 ? -1 : Double.compare(key, bestKey);
      if (best < 0 || c < 0 || (c == 0 && view.host().id().compareTo(ledger.host(best).id()) < 0)) {
        best = slot;
        bestKey = key;
      }
    }
    if (best < 0) {
      return new Decision.Unplaceable(d.tenantId(), Placer.refusals(ledger, d));
    }
    return new Decision.Placed(d.tenantId(), ledger.host(best).id(), policy.name(), bestKey, policy.explain(bestKey));
  }

  public Decision place(Demand d) {
    Decision decision = choose(d);
    if (decision instanceof Decision.Placed p) {
      ledger.commit(d.tenantId(), p.hostId(), d.resources(), d.priority(), d.usesSharedEtcd());
    }
    return decision;
  }

  private static boolean refused(HostView view, Demand d) {
    boolean[] refused = {false};
    for (Filter f : Filters.ALL) {
      f.check(view, d, reason -> refused[0] = true);
      if (refused[0]) {
        return true;
      }
    }
    return false;
  }
}
