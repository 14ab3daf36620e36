package io.fleetplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The lexer that ManifestsTest checks dashboards with: metric names in, nothing else. */
class PromQlTest {

  @Test
  void readsTheMetricUnderAggregationsFunctionsAndGroupingLabels() {
    assertThat(PromQl.metricNames("sum by (type) (rate(fleet_decisions_total[$__rate_interval]))"))
        .containsExactly("fleet_decisions_total");
  }

  @Test
  void ignoresLabelMatchersVariablesNumbersDurationsAndStrings() {
    assertThat(
            PromQl.metricNames(
                "topk($topk, fleet_host_utilisation{region=~\"$region\", resource=\"cpu\"})"
                    + " > 0.9 or vector(0) offset 5m"))
        .containsExactly("fleet_host_utilisation");
    assertThat(PromQl.metricNames("label_replace(up, \"x\", \"$1\", \"job\", \"(.*)\")"))
        .containsExactly("up");
  }

  @Test
  void readsEveryMetricOfABinaryExpression() {
    assertThat(
            PromQl.metricNames(
                "sum(rate(a_sum[5m])) / ignoring(le) sum without (pod) (rate(a_count[5m]))"))
        .containsExactlyInAnyOrder("a_sum", "a_count");
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[1m])))"))
        .containsExactly("x_seconds_bucket");
  }
}
