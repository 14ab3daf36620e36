package io.fleetplane.scheduler.rest;

import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Sums and named figures over every {@link Dimension}, for the REST answers and the dashboard. */
final class PerResource {

  private PerResource() {}

  /**
   * A sum over hosts, per dimension, of the hosts that report the dimension: a host that does not
   * say how much storage it offers adds nothing to a storage total. No host reporting it leaves the
   * total {@link Resources#UNREPORTED}.
   */
  static final class Sum {
    private final long[] sum = new long[Dimension.COUNT];
    private final boolean[] reported = new boolean[Dimension.COUNT];

    /** Adds {@code r} in the dimensions {@code offered} reports; negative parts count as 0. */
    void add(Resources r, Resources offered) {
      for (Dimension d : Dimension.values()) {
        if (offered.reported(d)) {
          sum[d.ordinal()] += Math.max(0, r.get(d));
          reported[d.ordinal()] = true;
        }
      }
    }

    long get(Dimension d) {
      return sum[d.ordinal()];
    }

    Resources total() {
      long[] a = sum.clone();
      for (int i = 0; i < a.length; i++) {
        if (!reported[i]) {
          a[i] = Resources.UNREPORTED;
        }
      }
      return Resources.of(a);
    }
  }

  /**
   * One figure per dimension under a JSON field named after it: {@code ("", "Fill")} gives {@code
   * cpuFill, memoryFill, podsFill, storageFill}; {@code ("stranded", "")} gives {@code strandedCpu,
   * ...}.
   */
  static Map<String, Double> named(String prefix, String suffix, ToDoubleFunction<Dimension> f) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Dimension d : Dimension.values()) {
      String label = d.label();
      String name =
          prefix.isEmpty()
              ? label + suffix
              : prefix
                  + label.substring(0, 1).toUpperCase(Locale.ROOT)
                  + label.substring(1)
                  + suffix;
      m.put(name, f.applyAsDouble(d));
    }
    return m;
  }

  /** {@code part / whole} to three decimals; 0 for nothing whole. */
  static double share(long part, long whole) {
    return whole <= 0 ? 0 : Math.round(1000.0 * part / whole) / 1000.0;
  }
}
