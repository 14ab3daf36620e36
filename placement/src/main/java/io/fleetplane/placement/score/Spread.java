package io.fleetplane.placement.score;

/**
 * The least allocated host: key = -(sum over resources of free / unit); the most free wins. Spreads
 * tenants for blast radius at the cost of density.
 */
public final class Spread implements ScoringPolicy {

  private final ReferenceUnits units;

  public Spread(ReferenceUnits units) {
    this.units = units;
  }

  @Override
  public String name() {
    return "spread";
  }

  @Override
  public double key(int which, long[] free) {
    return -units.normalizedSum(free);
  }

  @Override
  public String explain(double key) {
    return "spread: the least allocated host ("
        + ScoringPolicy.twoDecimals(-key)
        + " reference units free before placing)";
  }
}
