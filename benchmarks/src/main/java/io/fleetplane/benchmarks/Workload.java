package io.fleetplane.benchmarks;

import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Host;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.ResourceVector;
import java.util.Random;

/**
 * The benchmark workload of issue 3, with its numbers fixed here and in docs/benchmarks.md: large
 * hosts of 800 CPU / 2,400 GiB / 5,500 pods; plans small 0.5 CPU / 1 GiB / 3 pods (60%), medium 1 /
 * 2 / 3 (25%), large 2 / 6 / 5 (12%), xlarge 2 / 16 / 7 (3%), so that both CPU and memory bind.
 * These sizes are for benchmarks only; the plan catalogue stays data.
 */
public final class Workload {

  public static final long SEED = 20261124L;

  public static final ResourceVector LARGE_HOST = ResourceVector.of(800_000, 2_400 * 1024, 5_500);

  static final ResourceVector SMALL = ResourceVector.of(500, 1024, 3);
  static final ResourceVector MEDIUM = ResourceVector.of(1000, 2048, 3);
  static final ResourceVector LARGE = ResourceVector.of(2000, 6 * 1024, 5);
  static final ResourceVector XLARGE = ResourceVector.of(2000, 16 * 1024, 7);

  /**
   * A large host with 4,000 GiB of volumes: with {@link #nextDemandWithVolumes} storage binds
   * before CPU (about 840 tenants' volumes against about 940 tenants' CPU).
   */
  public static final ResourceVector LARGE_HOST_WITH_VOLUMES =
      ResourceVector.of(new long[] {800_000, 2_400 * 1024, 5_500, 4_000});

  /** A dedicated etcd's volume per plan (one member), as small, medium, large, xlarge. */
  static final long[] VOLUME_GIB = {2, 8, 20, 40};

  private final Random random;

  public Workload(long seed) {
    this.random = new Random(seed);
  }

  public Random random() {
    return random;
  }

  /** The next plan size of the mix. */
  public ResourceVector nextPlan() {
    int p = random.nextInt(100);
    if (p < 60) {
      return SMALL;
    } else if (p < 85) {
      return MEDIUM;
    } else if (p < 97) {
      return LARGE;
    }
    return XLARGE;
  }

  public Demand nextDemand(String tenantId, String region) {
    return Demand.of(tenantId, nextPlan(), region);
  }

  /**
   * A tenant of the plan mix with its datastore's volumes: 70% a dedicated etcd with one volume of
   * its plan's size ({@link #VOLUME_GIB}), 30% a shared etcd with none.
   */
  public Demand nextDemandWithVolumes(String tenantId, String region) {
    ResourceVector plan = nextPlan();
    boolean dedicated = random.nextInt(10) < 7;
    long[] v = plan.toArray();
    int size = plan == SMALL ? 0 : plan == MEDIUM ? 1 : plan == LARGE ? 2 : 3;
    v[Resource.STORAGE.ordinal()] = dedicated ? VOLUME_GIB[size] : 0;
    return Demand.of(tenantId, ResourceVector.of(v), region)
        .withDatastoreMode(dedicated ? "dedicated-etcd" : "shared-etcd");
  }

  public static Host host(String id, String region, ResourceVector capacity) {
    return Host.builder(id).region(region).zones("a", "b", "c").capacity(capacity).build();
  }

  /** Host ids that sort in creation order. */
  public static String hostId(int i) {
    return String.format("h%07d", i);
  }
}
