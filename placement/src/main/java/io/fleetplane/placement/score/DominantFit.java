package io.fleetplane.placement.score;

import io.fleetplane.placement.model.Resource;

/**
 * Least leftover of the demand's dominant resource, to reduce stranding: the dominant resource d*
 * of a demand is the one with the largest need / unit (ties: the first in {@link Resource} order);
 * key = free(d*) / unit(d*), the least wins. A memory-heavy tenant thus goes where memory is
 * tightest, leaving CPU-rich hosts for CPU-heavy tenants.
 *
 * <p>Example, units 1 CPU and 4 GiB: a 2 CPU / 16 GiB tenant is memory-dominant (16/4 = 4 > 2/1 =
 * 2); between hosts with 20 GiB and 64 GiB free it picks the 20 GiB one (key 5 < 16).
 */
public final class DominantFit implements ScoringPolicy {

  private final ReferenceUnits units;

  public DominantFit(ReferenceUnits units) {
    this.units = units;
  }

  @Override
  public String name() {
    return "dominant-fit";
  }

  @Override
  public int keyCount() {
    return Resource.COUNT;
  }

  @Override
  public int keyFor(long[] need) {
    int best = 0;
    for (int r = 1; r < Resource.COUNT; r++) {
      if (units.normalized(r, need[r]) > units.normalized(best, need[best])) {
        best = r;
      }
    }
    return best;
  }

  @Override
  public double key(int which, long[] free) {
    return units.normalized(which, free[which]);
  }

  @Override
  public double lowerBound(int which, long[] need) {
    return units.normalized(which, need[which]);
  }

  @Override
  public String explain(double key) {
    return "dominant-fit: the least leftover of the tenant's dominant resource ("
        + ScoringPolicy.twoDecimals(key)
        + " reference units free before placing)";
  }
}
