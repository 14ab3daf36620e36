package io.fleetplane.scheduler.cell;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.ResourceVector;
import org.junit.jupiter.api.Test;

class ConversionsTest {

  @Test
  void theEventsDimensionsAndPlacementsResourcesAreTheSameInTheSameOrder() {
    assertThat(Dimension.COUNT).isEqualTo(Resource.COUNT);
    for (Dimension d : Dimension.values()) {
      assertThat(Resource.of(d.ordinal()).label()).isEqualTo(d.label());
    }
  }

  @Test
  void anAmountCrossesIntoPlacementAndBackUnchanged() {
    Resources r = Resources.of(new long[] {1500, 4096, 7, 24});
    ResourceVector v = Conversions.vector(r);

    assertThat(v.get(Resource.STORAGE)).isEqualTo(24);
    assertThat(Conversions.resources(v)).isEqualTo(r);
  }

  @Test
  void aHostThatDoesNotReportStorageIsNotLimitedInIt() {
    ResourceVector offered = Conversions.offered(Resources.allocatable(4000, 16_384, 110));

    assertThat(offered.get(Resource.STORAGE)).isEqualTo(Dimension.STORAGE.max());
    assertThat(offered.get(Resource.CPU)).isEqualTo(4000);
    // One that reports none has none.
    assertThat(Conversions.offered(new Resources(4000, 16_384, 110)).get(Resource.STORAGE))
        .isZero();
  }
}
