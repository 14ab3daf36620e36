package io.fleetplane.placement.score;

/**
 * Chooses among the hosts that pass every filter: the host with the lowest key wins, ties going to
 * the lowest host id. A policy is a pure function of a host's free capacity (per resource, after
 * commitments), so the index can keep hosts ordered by it and find the winner without looking at
 * every host.
 *
 * <p>A policy may keep several keys and pick one per demand ({@link #keyFor}); every key must never
 * decrease when a free amount grows, or never increase, consistently with {@link #lowerBound}.
 */
public interface ScoringPolicy {

  String name();

  default int keyCount() {
    return 1;
  }

  /** Which key ranks hosts for a demand of {@code need} (per resource). */
  default int keyFor(long[] need) {
    return 0;
  }

  /** The key of a host with {@code free} capacity (per resource); lower is better. */
  double key(int which, long[] free);

  /** A lower bound of the key of any host whose free capacity covers {@code need}. */
  default double lowerBound(int which, long[] need) {
    return Double.NEGATIVE_INFINITY;
  }

  /** Why a host with this key won, for a person. */
  String explain(double key);

  /**
   * {@code value} with two decimals, as {@code String.format("%.2f")} in the root locale writes it,
   * at a fraction of the cost: an explanation is built for every placement.
   */
  static String twoDecimals(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.format(java.util.Locale.ROOT, "%.2f", value);
    }
    // The formatter rounds the shortest decimal that names the double, half up; so does this.
    String digits =
        new java.math.BigDecimal(Double.toString(Math.abs(value)))
            .setScale(2, java.math.RoundingMode.HALF_UP)
            .toPlainString();
    return Math.copySign(1.0, value) < 0 ? "-" + digits : digits;
  }
}
