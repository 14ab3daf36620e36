package io.fleetplane.scheduler.config;

import io.fleetplane.events.Dimension;
import io.fleetplane.placement.model.ResourceVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings given per resource, by name ({@code fleet.scheduler.overcommit.cpu=1.5}, {@code
 * fleet.scheduler.headroom.storage-gib=100}), as placement's vectors. A name that is no resource is
 * refused with the names there are: a typo must not leave a host without its headroom.
 */
public final class DimensionSettings {

  private DimensionSettings() {}

  /** Overcommit ratios (1.0 to 10.0, default 1.0) as permille, keyed by {@link Dimension#label}. */
  public static ResourceVector overcommitPermille(Map<String, Double> ratios) {
    long[] permille = new long[Dimension.COUNT];
    List<String> problems = unknown("fleet.scheduler.overcommit", ratios, false);
    for (Dimension d : Dimension.values()) {
      double ratio = ratios.getOrDefault(d.label(), 1.0);
      if (!(ratio >= 1.0 && ratio <= 10.0)) {
        problems.add(
            "fleet.scheduler.overcommit."
                + d.label()
                + ": an overcommit ratio must be between 1.0 and 10.0, got "
                + ratio);
      }
      permille[d.ordinal()] = Math.round(ratio * 1000);
    }
    return orFail(problems, permille);
  }

  /** Headroom per host (0 or more, default 0), keyed by {@link Dimension#configName}. */
  public static ResourceVector headroom(Map<String, Long> amounts) {
    long[] headroom = new long[Dimension.COUNT];
    List<String> problems = unknown("fleet.scheduler.headroom", amounts, true);
    for (Dimension d : Dimension.values()) {
      long v = amounts.getOrDefault(d.configName(), 0L);
      if (v < 0 || v > d.max()) {
        problems.add(
            "fleet.scheduler.headroom."
                + d.configName()
                + ": must be between 0 and "
                + d.max()
                + " ("
                + d.unit()
                + "), got "
                + v);
      }
      headroom[d.ordinal()] = v;
    }
    return orFail(problems, headroom);
  }

  private static List<String> unknown(String prefix, Map<String, ?> given, boolean withUnit) {
    List<String> known = new ArrayList<>();
    for (Dimension d : Dimension.values()) {
      known.add(withUnit ? d.configName() : d.label());
    }
    List<String> problems = new ArrayList<>();
    for (String key : new TreeMap<>(given).keySet()) {
      if (!known.contains(key)) {
        problems.add(prefix + "." + key + ": not a resource; known: " + String.join(", ", known));
      }
    }
    return problems;
  }

  private static ResourceVector orFail(List<String> problems, long[] values) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return ResourceVector.of(values);
  }
}
