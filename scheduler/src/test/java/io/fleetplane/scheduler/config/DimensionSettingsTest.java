package io.fleetplane.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.ResourceVector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DimensionSettingsTest {

  @Test
  void nothingConfiguredIsNoOvercommitAndNoHeadroomInEveryResource() {
    assertThat(DimensionSettings.overcommitPermille(Map.of()))
        .isEqualTo(ResourceVector.filled(1000));
    assertThat(DimensionSettings.headroom(Map.of())).isEqualTo(ResourceVector.ZERO);
  }

  @Test
  void eachResourceIsSetUnderItsOwnName() {
    ResourceVector o = DimensionSettings.overcommitPermille(Map.of("cpu", 1.5, "storage", 2.0));
    assertThat(o.get(Resource.CPU)).isEqualTo(1500);
    assertThat(o.get(Resource.MEMORY)).isEqualTo(1000);
    assertThat(o.get(Resource.STORAGE)).isEqualTo(2000);

    ResourceVector h =
        DimensionSettings.headroom(
            Map.of("cpu-millis", 500L, "memory-mib", 1024L, "pods", 5L, "storage-gib", 100L));
    assertThat(h).isEqualTo(ResourceVector.of(new long[] {500, 1024, 5, 100}));
  }

  @Test
  void aNameThatIsNoResourceIsRefusedWithTheNamesThereAre() {
    assertThatThrownBy(() -> DimensionSettings.overcommitPermille(Map.of("gpu", 2.0)))
        .hasMessage(
            "fleet.scheduler.overcommit.gpu: not a resource; known: cpu, memory, pods, storage");
    // The unit is part of a headroom's name: "storage" alone is a typo, not 100 of something.
    assertThatThrownBy(() -> DimensionSettings.headroom(Map.of("storage", 100L)))
        .hasMessage(
            "fleet.scheduler.headroom.storage: not a resource; known: cpu-millis, memory-mib,"
                + " pods, storage-gib");
  }

  @Test
  void outOfRangeValuesAreRefusedEachWithItsProperty() {
    assertThatThrownBy(
            () -> DimensionSettings.overcommitPermille(Map.of("memory", 0.5, "pods", 11.0)))
        .hasMessageContaining(
            "fleet.scheduler.overcommit.memory: an overcommit ratio must be between 1.0 and 10.0,"
                + " got 0.5")
        .hasMessageContaining("fleet.scheduler.overcommit.pods: an overcommit ratio");
    assertThatThrownBy(() -> DimensionSettings.headroom(Map.of("storage-gib", -1L)))
        .hasMessageContaining("fleet.scheduler.headroom.storage-gib: must be between 0 and");
    assertThatThrownBy(() -> DimensionSettings.overcommitPermille(Map.of("cpu", Double.NaN)))
        .hasMessageContaining("got NaN");
  }
}
