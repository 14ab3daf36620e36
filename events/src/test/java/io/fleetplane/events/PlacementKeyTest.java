package io.fleetplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlacementKeyTest {

  @Test
  void joinsAndSplitsOnTheFirstSlash() {
    String key = PlacementKey.of("eu-west-h001", "acme-prod");
    assertThat(key).isEqualTo("eu-west-h001/acme-prod");
    assertThat(PlacementKey.clusterIdOf(key)).isEqualTo("eu-west-h001");
    assertThat(PlacementKey.tenantIdOf(key)).isEqualTo("acme-prod");
  }

  @Test
  void treatsAKeyWithoutSlashAsABareClusterId() {
    assertThat(PlacementKey.clusterIdOf("h1")).isEqualTo("h1");
    assertThat(PlacementKey.tenantIdOf("h1")).isNull();
  }

  @Test
  void prefixSelectsOnlyThatClustersKeys() {
    String prefix = PlacementKey.prefixOf("h1");
    assertThat(PlacementKey.of("h1", "t")).startsWith(prefix);
    assertThat(PlacementKey.of("h10", "t")).doesNotStartWith(prefix);
  }
}
