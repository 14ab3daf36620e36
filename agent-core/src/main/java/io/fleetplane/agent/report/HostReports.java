package io.fleetplane.agent.report;

import io.fleetplane.agent.host.HostCapacity;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Resources;
import java.time.Instant;
import org.jboss.logging.Logger;

/** The host report an agent publishes, from what its cluster gives and what it is told. Pure. */
public final class HostReports {

  private HostReports() {}

  private static final Logger LOG = Logger.getLogger(HostReports.class);

  /**
   * A change of an amount by more than this percentage of the previous allocatable, in any
   * dimension, is published at once. Below it is the churn of single pods, which the periodic
   * report carries soon enough; the scheduler keeps its own ledger of what it placed meanwhile.
   */
  public static final int SIGNIFICANT_PERCENT = 5;

  /** The report of a cluster with this capacity: the rest comes from {@code facts}. */
  public static HostReport report(HostFacts facts, HostCapacity capacity, Instant now) {
    return new HostReport(
        facts.clusterId(),
        facts.region(),
        capacity.zones(),
        facts.labels(),
        capacity.taints(),
        capacity.allocatable(),
        within(capacity.unmanagedUsed(), capacity.allocatable(), facts.clusterId()),
        capacity.tenantUsed(),
        new HostReport.Capabilities(
            capacity.gvisor(), facts.datastoreModes(), facts.sharedEtcdHeadroom()),
        new HostReport.NodeCounts(capacity.nodesReady(), capacity.nodesTotal()),
        capacity.tenantsRunning(),
        facts.agentVersion(),
        now);
  }

  /**
   * What pods outside the fleet use, at most what the ready nodes offer: more is refused by the
   * events' contract (it would turn free capacity negative), and can only come of pods running over
   * their node's allocatable, which the scheduler does not let happen but a static pod can.
   */
  static Resources within(Resources used, Resources allocatable, String clusterId) {
    Resources clamped = used;
    for (Dimension d : Dimension.values()) {
      if (allocatable.reported(d) && used.get(d) > allocatable.get(d)) {
        clamped = clamped.with(d, allocatable.get(d));
      }
    }
    if (!clamped.equals(used)) {
      LOG.warnf(
          "host %s: pods outside the fleet request %s, more than the ready nodes offer (%s);"
              + " reported as %s",
          clusterId, used, allocatable, clamped);
    }
    return clamped;
  }

  /**
   * Whether {@code next} must be published now rather than at the next period: there is no previous
   * report; the counted nodes, zones, taints, capabilities or tenants running differ; or
   * allocatable, unmanagedUsed or tenantUsed moved, in any dimension, by more than {@link
   * #SIGNIFICANT_PERCENT}% of the previous allocatable of that dimension. The base is allocatable,
   * not the amount itself: used going from 1 to 2 pods on a 110-pod host is no news.
   */
  public static boolean significantChange(HostReport previous, HostReport next) {
    if (previous == null
        || previous.nodes().ready() != next.nodes().ready()
        || !previous.zones().equals(next.zones())
        || !previous.taints().equals(next.taints())
        || !previous.capabilities().equals(next.capabilities())
        || previous.tenantsRunning() != next.tenantsRunning()) {
      return true;
    }
    Resources base = previous.allocatable();
    return moved(base, previous.allocatable(), next.allocatable())
        || moved(base, previous.unmanagedUsed(), next.unmanagedUsed())
        || moved(base, previous.tenantUsed(), next.tenantUsed());
  }

  /**
   * Whether any dimension moved by more than the significant share of {@code base}. A dimension
   * that starts or stops being reported has moved; one unreported in both has not.
   */
  private static boolean moved(Resources base, Resources before, Resources after) {
    for (Dimension d : Dimension.values()) {
      if (before.reported(d) != after.reported(d)) {
        return true;
      }
      if (before.reported(d)
          && beyond(base.reported(d) ? base.get(d) : 0, before.get(d), after.get(d))) {
        return true;
      }
    }
    return false;
  }

  private static boolean beyond(long base, long before, long after) {
    return Math.abs(after - before) * 100 > base * SIGNIFICANT_PERCENT;
  }
}
