package io.fleetplane.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetplane.placement.score.ScoringPolicies;
import io.fleetplane.placement.score.ScoringPolicy;
import org.junit.jupiter.api.Test;

/**
 * The policies' formulas, worked by hand. Units: 1 CPU = 1000m, 4 GiB = 4096 MiB, 100 pods, 100
 * GiB.
 */
class ScoringPoliciesTest {

  @Test
  void bestFitKeyIsTheFreeCapacityInReferenceUnits() {
    ScoringPolicy p = ScoringPolicies.byName("best-fit");
    // 3000m / 1000 + 8192 MiB / 4096 + 50 pods / 100 = 3 + 2 + 0.5 = 5.5
    assertThat(p.key(0, new long[] {3000, 8192, 50, 0})).isCloseTo(5.5, within(1e-12));
    // Fitting needs free >= need, so no fitting host has a key below the need's own: 0.5+0.25+0.03
    assertThat(p.lowerBound(0, new long[] {500, 1024, 3, 0})).isCloseTo(0.78, within(1e-12));
    // Storage weighs 100 GiB a unit: 200 GiB free adds 2
    assertThat(p.key(0, new long[] {3000, 8192, 50, 200})).isCloseTo(7.5, within(1e-12));
  }

  @Test
  void spreadPrefersTheMostFree() {
    ScoringPolicy p = ScoringPolicies.byName("spread");
    assertThat(p.key(0, new long[] {3000, 8192, 50, 0}))
        .isLessThan(p.key(0, new long[] {1000, 4096, 50, 0}));
  }

  @Test
  void firstFitRanksEveryHostEquallySoTheIdDecides() {
    ScoringPolicy p = ScoringPolicies.byName("first-fit");
    assertThat(p.key(0, new long[] {1, 1, 1, 1}))
        .isEqualTo(p.key(0, new long[] {9000, 9000, 9000, 9000}));
  }

  @Test
  void dominantFitRanksByTheDemandsDominantResource() {
    ScoringPolicy p = ScoringPolicies.byName("dominant-fit");
    // 2 CPU / 16 GiB: cpu 2000/1000 = 2, memory 16384/4096 = 4: memory dominates
    assertThat(p.keyFor(new long[] {2000, 16384, 7, 0})).isEqualTo(1);
    // 4 CPU / 4 GiB: cpu 4 > memory 1
    assertThat(p.keyFor(new long[] {4000, 4096, 7, 0})).isEqualTo(0);
    // 0.5 CPU / 1 GiB with three 100 GiB volumes: storage 300/100 = 3 dominates
    assertThat(p.keyFor(new long[] {500, 1024, 3, 300})).isEqualTo(3);
    // key for memory: 20480 MiB free = 5 units
    assertThat(p.key(1, new long[] {64000, 20480, 100, 0})).isCloseTo(5.0, within(1e-12));
  }

  @Test
  void anUnknownPolicyFailsWithTheKnownOnes() {
    assertThatThrownBy(() -> ScoringPolicies.byName("worst-fit"))
        .hasMessage(
            "unknown scoring policy 'worst-fit': known policies are best-fit, dominant-fit, first-fit, spread");
  }
}
