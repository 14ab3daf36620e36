package io.fleetplane.scheduler.cell;

import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Host;
import io.fleetplane.placement.model.ResourceVector;
import io.fleetplane.placement.model.Taint;
import io.fleetplane.placement.model.Toleration;
import io.fleetplane.placement.model.Traits;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Events into the placement model and back: the one place that knows both. */
public final class Conversions {

  private Conversions() {}

  /** An amount as placement counts it; dimension by dimension, in the same order. */
  public static ResourceVector vector(Resources r) {
    return ResourceVector.of(r.reportedOrZero().toArray());
  }

  /**
   * What a host offers, as placement counts it: a dimension its agent did not report (a cluster
   * whose storage driver publishes no capacity, and no amount configured) is not limited, and
   * counts as the most a report may say ({@link Dimension#max()}, 1 PiB of volumes).
   */
  public static ResourceVector offered(Resources allocatable) {
    long[] a = allocatable.toArray();
    for (Dimension d : Dimension.values()) {
      if (!allocatable.reported(d)) {
        a[d.ordinal()] = d.max();
      }
    }
    return ResourceVector.of(a);
  }

  public static Resources resources(ResourceVector v) {
    return Resources.of(v.toArray());
  }

  /**
   * What a tenant of this spec needs: plan + datastore overhead (+ operators), and its datastore's
   * volumes, per the catalogue.
   */
  public static Resources demandOf(TenantRequest spec, PlanCatalogue catalogue) {
    return catalogue.demand(
        spec.plan(), spec.datastore().mode(), spec.highAvailability(), spec.storageGi());
  }

  public static Demand demand(TenantRequest spec, Resources resources) {
    List<Toleration> tolerations =
        spec.tolerations().stream()
            .map(t -> new Toleration(t.key(), t.value(), t.effect()))
            .toList();
    return new Demand(
        spec.tenantId(),
        vector(resources),
        spec.region(),
        new java.util.TreeMap<>(spec.requiredLabels()),
        tolerations,
        spec.isolation() == Isolation.GVISOR,
        spec.datastore().mode().wire(),
        spec.highAvailability(),
        spec.effectivePriority());
  }

  /** The host as placement sees it: the agent's report, the cell's policy, the host's state. */
  public static Host host(HostRecord record, CellConfig config) {
    HostReport r = record.report();
    Set<String> modes = new HashSet<>();
    for (DatastoreMode m : r.capabilities().datastoreModes()) {
      modes.add(m.wire());
    }
    List<Taint> taints =
        r.taints().stream().map(t -> new Taint(t.key(), t.value(), t.effect())).toList();
    Traits traits =
        Traits.of(
            r.region(),
            new HashSet<>(r.zones()),
            r.labels(),
            taints,
            r.capabilities().gvisor(),
            modes);
    return new Host(
        r.clusterId(),
        traits,
        offered(r.allocatable()),
        config.overcommitPermille(),
        config.headroom(),
        vector(r.unmanagedUsed()),
        config.maxTenantsPerHost(),
        r.capabilities().sharedEtcdHeadroom(),
        record.state());
  }
}
