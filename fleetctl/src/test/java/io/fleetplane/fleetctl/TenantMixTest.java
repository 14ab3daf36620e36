package io.fleetplane.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.events.validation.TenantRequestValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TenantMixTest {

  private static final List<String> REGIONS = List.of("r1", "r2", "r3");

  @Test
  void theScaleMixHasItsProportionsAndEveryRequestIsValid() {
    Random r = new Random(1);
    Map<String, Integer> plans = new HashMap<>();
    Map<DatastoreMode, Integer> modes = new HashMap<>();
    int gvisor = 0;
    int n = 20_000;
    TenantRequestValidator validator = new TenantRequestValidator(PlanCatalogue.defaults());
    for (int i = 0; i < n; i++) {
      TenantRequest t = TenantMix.SCALE.create(r, "t" + i, "c" + i, REGIONS);
      assertThat(validator.validate(t)).as(t.toString()).isEmpty();
      plans.merge(t.plan(), 1, Integer::sum);
      modes.merge(t.datastore().mode(), 1, Integer::sum);
      gvisor += t.isolation() == Isolation.GVISOR ? 1 : 0;
      assertThat(REGIONS).contains(t.region());
    }
    assertThat(plans.get("small") / (double) n).isCloseTo(0.60, within(0.02));
    assertThat(plans.get("large") / (double) n).isCloseTo(0.12, within(0.02));
    assertThat(plans.get("crossplane-medium") / (double) n).isCloseTo(0.03, within(0.01));
    assertThat(modes.get(DatastoreMode.KINE) / (double) n).isCloseTo(0.10, within(0.02));
    assertThat(gvisor / (double) n).isCloseTo(0.05, within(0.01));
  }

  @Test
  void theSameDrawsGiveTheSameRequests() {
    assertThat(TenantMix.DEMO.create(new Random(7), "acme-1", "r", REGIONS))
        .isEqualTo(TenantMix.DEMO.create(new Random(7), "acme-1", "r", REGIONS));
  }
}
