package io.fleetplane.placement.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TwoDecimalsTest {

  @Test
  void writesWhatStringFormatWritesForRandomValuesOfEveryMagnitude() {
    Random r = new Random(42);
    for (int i = 0; i < 1_000_000; i++) {
      double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(12));
      assertThat(ScoringPolicy.twoDecimals(v))
          .as("value %s", v)
          .isEqualTo(String.format(Locale.ROOT, "%.2f", v));
    }
  }

  @Test
  void writesEdgeValuesAsStringFormatDoes() {
    for (double v :
        new double[] {
          0,
          -0.0,
          -0.001,
          -0.005,
          0.005,
          0.125,
          1.005,
          2.675,
          99.995,
          -99.995,
          1e14 + 0.5,
          Double.NaN,
          Double.POSITIVE_INFINITY,
          1e300
        }) {
      assertThat(ScoringPolicy.twoDecimals(v))
          .as("value %s", v)
          .isEqualTo(String.format(Locale.ROOT, "%.2f", v));
    }
  }
}
