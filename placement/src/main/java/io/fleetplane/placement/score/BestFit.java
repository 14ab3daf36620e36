package io.fleetplane.placement.score;

/**
 * The fullest host that fits (the default): key = sum over resources of free / unit, the host's
 * free capacity in reference units; the least free wins. Since a tenant's demand is the same on
 * every host, this is also the host left with the least after placing it.
 *
 * <p>Example, units 1 CPU and 4 GiB: host A free 3 CPU / 8 GiB has key 3 + 2 = 5; host B free 1.5
 * CPU / 2 GiB has key 1.5 + 0.5 = 2: B wins if the tenant fits on B.
 */
public final class BestFit implements ScoringPolicy {

  private final ReferenceUnits units;

  public BestFit(ReferenceUnits units) {
    this.units = units;
  }

  @Override
  public String name() {
    return "best-fit";
  }

  @Override
  public double key(int which, long[] free) {
    return units.normalizedSum(free);
  }

  /** A host that fits has free >= need in every resource, so its key is >= key(need). */
  @Override
  public double lowerBound(int which, long[] need) {
    return units.normalizedSum(need);
  }

  @Override
  public String explain(double key) {
    return "best-fit: the fullest host that fits ("
        + ScoringPolicy.twoDecimals(key)
        + " reference units free before placing)";
  }
}
