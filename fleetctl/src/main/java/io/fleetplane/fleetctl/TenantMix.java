package io.fleetplane.fleetctl;

import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.TenantRequest;
import java.util.List;
import java.util.Random;

/**
 * A mix of tenant requests as a platform team's customers ask for them: plans, datastores and
 * isolation in fixed proportions, regions uniform. Percentages; what is left of the plans is
 * crossplane-medium, of the datastores kine (with a database per region).
 */
record TenantMix(
    int smallPercent,
    int mediumPercent,
    int largePercent,
    int sharedEtcdPercent,
    int dedicatedEtcdPercent,
    int gvisorPercent) {

  /** The demo's: more gVisor and kine than the scale run's, so the dashboard shows them. */
  static final TenantMix DEMO = new TenantMix(60, 25, 10, 50, 35, 15);

  /** The fleet-scale run's. */
  static final TenantMix SCALE = new TenantMix(60, 25, 12, 50, 40, 5);

  /** A CREATE for {@code tenant}, drawn from {@code random} (the same draws, the same request). */
  TenantRequest create(Random random, String tenant, String requestId, List<String> regions) {
    String plan = plan(random);
    int d = random.nextInt(100);
    String region = regions.get(random.nextInt(regions.size()));
    Datastore datastore =
        d < sharedEtcdPercent
            ? Datastore.of(DatastoreMode.SHARED_ETCD)
            : d < sharedEtcdPercent + dedicatedEtcdPercent
                ? Datastore.of(DatastoreMode.DEDICATED_ETCD)
                : Datastore.kine("postgres://db." + region + ".example/" + tenant);
    Isolation isolation = random.nextInt(100) < gvisorPercent ? Isolation.GVISOR : Isolation.RUNC;
    return TenantRequest.create(tenant, requestId, plan, region, datastore, isolation);
  }

  /** A plan for a resize, in the mix's proportions. */
  String plan(Random random) {
    int p = random.nextInt(100);
    return p < smallPercent
        ? "small"
        : p < smallPercent + mediumPercent
            ? "medium"
            : p < smallPercent + mediumPercent + largePercent ? "large" : "crossplane-medium";
  }
}
