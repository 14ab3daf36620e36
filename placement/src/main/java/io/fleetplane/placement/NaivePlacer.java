package io.fleetplane.placement;

import io.fleetplane.placement.filter.Filter;
import io.fleetplane.placement.filter.Filters;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.score.ScoringPolicy;
import java.util.function.Consumer;

/**
 * The reference: every filter on every host, then hosts that keep a capability spare ({@link
 * Placer#keepsSpare}) last, then the lowest policy key, ties to the lowest host id. Deliberately
 * simple; the tests hold {@link Placer} to its answers, and the benchmarks measure against it, so
 * it does no needless work either (one cursor over the ledger, no allocation per host).
 */
public final class NaivePlacer {

  private final CapacityLedger ledger;
  private final ScoringPolicy policy;
  private final Cursor cursor;
  private final long[] free = new long[Resource.COUNT];

  public NaivePlacer(CapacityLedger ledger, ScoringPolicy policy) {
    this.ledger = ledger;
    this.policy = policy;
    this.cursor = new Cursor(ledger);
  }

  public Decision choose(Demand d) {
    long[] need = d.resources().toArray();
    int k = policy.keyFor(need);
    int best = -1;
    double bestKey = 0;
    boolean bestSpare = false;
    for (int slot = 0; slot < ledger.hostCount(); slot++) {
      cursor.moveTo(slot);
      if (cursor.refuses(d)) {
        continue;
      }
      for (int r = 0; r < free.length; r++) {
        free[r] = ledger.free(slot, r);
      }
      double key = policy.key(k, free);
      boolean spare = Placer.keepsSpare(ledger.host(slot).traits().gvisor(), d);
      int c = best < 0 ? -1 : spare != bestSpare ? (spare ? 1 : -1) : Double.compare(key, bestKey);
      if (c < 0 || (c == 0 && ledger.host(slot).id().compareTo(ledger.host(best).id()) < 0)) {
        best = slot;
        bestKey = key;
        bestSpare = spare;
      }
    }
    if (best < 0) {
      return new Decision.Unplaceable(d.tenantId(), Placer.refusals(ledger, d));
    }
    return new Decision.Placed(d.tenantId(), ledger.host(best).id(), policy, bestKey);
  }

  public Decision place(Demand d) {
    Decision decision = choose(d);
    if (decision instanceof Decision.Placed p) {
      ledger.commit(d.tenantId(), p.hostId(), d.resources(), d.priority(), d.usesSharedEtcd());
    }
    return decision;
  }

  /** Moves over the ledger's hosts, and notes whether any filter refused. */
  private static final class Cursor implements Consumer<String> {
    private final CapacityLedger.Cursor view;
    private boolean refused;

    Cursor(CapacityLedger ledger) {
      this.view = ledger.cursor();
    }

    void moveTo(int slot) {
      view.moveTo(slot);
    }

    boolean refuses(Demand d) {
      refused = false;
      for (Filter f : Filters.ALL) {
        f.check(view, d, this);
        if (refused) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void accept(String reason) {
      refused = true;
    }
  }
}
