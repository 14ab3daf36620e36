package io.fleetplane.sim;

import io.fleetplane.events.Dimension;
import io.fleetplane.events.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a simulated fleet looks like: its regions, how many host clusters each has, and the shape of
 * every host cluster (identical nodes, of which every {@code gvisorEvery}-th host's run gVisor).
 * Host {@code i} of region {@code r} is named {@code r-h0001}, {@code r-h0002}...
 *
 * @param systemPerNode what system pods take on each node (reported as unmanaged use)
 * @param gvisorEvery every this many hosts of a region, one has gVisor (0: none)
 * @param runAfter how long a tenant provisions before it runs
 * @param goneAfter how long a released tenant's objects take to go
 * @param reportEvery a host report at least this often
 * @param checkEvery how often each host is looked at for a significant change
 * @param sharedEtcdHeadroom shared-etcd tenants each host's shared etcd takes
 */
public record FleetShape(
    List<String> regions,
    int hostsPerRegion,
    int nodesPerHost,
    Resources nodeAllocatable,
    Resources systemPerNode,
    int gvisorEvery,
    Duration runAfter,
    Duration goneAfter,
    Duration reportEvery,
    Duration checkEvery,
    int sharedEtcdHeadroom) {

  public FleetShape {
    regions = List.copyOf(regions);
    if (regions.isEmpty() || hostsPerRegion < 1 || nodesPerHost < 1) {
      throw new IllegalArgumentException(
          "a fleet needs at least one region, one host per region and one node per host");
    }
  }

  /**
   * The demo's fleet: 3 regions of 20 hosts, each of 3 nodes of 16 CPUs, 64 GiB, 110 pods and 400
   * GiB of volumes; every third host runs gVisor; tenants run after 3 s.
   */
  public static FleetShape demo() {
    return new FleetShape(
        List.of("eu-west", "us-east", "ap-south"),
        20,
        3,
        new Resources(16_000, 64 * 1024, 110).with(Dimension.STORAGE, DEMO_NODE_STORAGE_GIB),
        new Resources(500, 1024, 10),
        3,
        Duration.ofSeconds(3),
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        500);
  }

  /** Volumes per node of the demo's fleet. */
  public static final long DEMO_NODE_STORAGE_GIB = 400;

  /** The id of host {@code i} (from 0) of {@code region}. */
  public static String hostId(String region, int i) {
    return String.format("%s-h%04d", region, i + 1);
  }

  /** Whether host {@code i} (from 0) of a region runs gVisor. */
  public boolean gvisor(int i) {
    return gvisorEvery > 0 && i % gvisorEvery == gvisorEvery - 1;
  }

  public int hosts() {
    return regions.size() * hostsPerRegion;
  }

  /** What one host's tenants can use: its nodes' allocatable less the system pods' share. */
  public Resources usablePerHost() {
    return nodeAllocatable.plus(systemPerNode.times(-1)).times(nodesPerHost);
  }

  /** Every host id, region by region. */
  public List<String> hostIds() {
    List<String> out = new ArrayList<>();
    for (String r : regions) {
      for (int i = 0; i < hostsPerRegion; i++) {
        out.add(hostId(r, i));
      }
    }
    return out;
  }
}
