package io.fleetplane.placement.score;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The policies by name; an unknown name fails with the list of known ones. */
public final class ScoringPolicies {

  private ScoringPolicies() {}

  public static final String DEFAULT = "best-fit";

  private static final Map<String, Function<ReferenceUnits, ScoringPolicy>> BY_NAME =
      new TreeMap<>(
          Map.of(
              "best-fit", BestFit::new,
              "first-fit", u -> new FirstFit(),
              "spread", Spread::new,
              "dominant-fit", DominantFit::new));

  public static ScoringPolicy byName(String name, ReferenceUnits units) {
    Function<ReferenceUnits, ScoringPolicy> f = BY_NAME.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown scoring policy '"
              + name
              + "': known policies are "
              + String.join(", ", BY_NAME.keySet()));
    }
    return f.apply(units);
  }

  public static ScoringPolicy byName(String name) {
    return byName(name, ReferenceUnits.DEFAULT);
  }

  public static java.util.Set<String> names() {
    return BY_NAME.keySet();
  }
}
