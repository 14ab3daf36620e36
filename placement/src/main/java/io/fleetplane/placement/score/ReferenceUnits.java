package io.fleetplane.placement.score;

import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.ResourceVector;

/**
 * How resources are made comparable in a single number: amounts are divided by a reference unit per
 * resource. The default ({@link Resource#referenceUnit()}), 1 CPU : 4 GiB : 100 pods : 100 GiB of
 * volumes, is the shape of a typical node, so that a core and 4 GiB weigh the same and pods weigh
 * little.
 */
public final class ReferenceUnits {

  public static final ReferenceUnits DEFAULT = new ReferenceUnits(defaultUnits());

  private static ResourceVector defaultUnits() {
    long[] u = new long[Resource.COUNT];
    for (Resource r : Resource.values()) {
      u[r.ordinal()] = r.referenceUnit();
    }
    return ResourceVector.of(u);
  }

  private final double[] inverse = new double[Resource.COUNT];

  public ReferenceUnits(ResourceVector units) {
    for (int r = 0; r < Resource.COUNT; r++) {
      if (units.get(r) <= 0) {
        throw new IllegalArgumentException("reference units must be positive: " + units);
      }
      inverse[r] = 1.0 / units.get(r);
    }
  }

  /** sum over resources of amount / unit, summed in resource order (so always equal). */
  public double normalizedSum(long[] amounts) {
    double s = 0;
    for (int r = 0; r < Resource.COUNT; r++) {
      s += amounts[r] * inverse[r];
    }
    return s;
  }

  public double normalized(int r, long amount) {
    return amount * inverse[r];
  }
}
