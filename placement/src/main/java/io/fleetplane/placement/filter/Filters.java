package io.fleetplane.placement.filter;

import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.HostState;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.Taint;
import io.fleetplane.placement.model.Toleration;
import io.fleetplane.placement.model.Traits;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The standard filters. {@link #TRAITS} depend on a host's traits only; {@link #LOAD} on its state
 * and load. The index encodes exactly the load filters in its free-capacity vector (resources,
 * tenant slots, shared-etcd slots) and keeps only ready hosts, so the two lists must change
 * together with it.
 */
public final class Filters {

  private Filters() {}

  /** Zones a highly available control plane must span. */
  public static final int HA_ZONES = 3;

  public static final TraitFilter REGION =
      (t, d, out) -> {
        if (d.region() != null && !d.region().equals(t.region())) {
          out.accept("not in region " + d.region());
        }
      };

  public static final TraitFilter REQUIRED_LABELS =
      (t, d, out) -> {
        for (Map.Entry<String, String> l : d.requiredLabels().entrySet()) {
          if (!l.getValue().equals(t.labels().get(l.getKey()))) {
            out.accept("missing label " + l.getKey() + "=" + l.getValue());
          }
        }
      };

  public static final TraitFilter TAINTS =
      (t, d, out) -> {
        for (Taint taint : t.taints()) {
          if ("PreferNoSchedule".equals(taint.effect())) {
            continue; // a preference, not a refusal
          }
          if (!tolerated(taint, d.tolerations())) {
            out.accept("untolerated taint " + taint);
          }
        }
      };

  public static final TraitFilter GVISOR =
      (t, d, out) -> {
        if (d.gvisor() && !t.gvisor()) {
          out.accept("no gVisor");
        }
      };

  public static final TraitFilter DATASTORE =
      (t, d, out) -> {
        if (d.datastoreMode() != null && !t.datastoreModes().contains(d.datastoreMode())) {
          out.accept("no datastore " + d.datastoreMode());
        }
      };

  public static final TraitFilter ZONES =
      (t, d, out) -> {
        if (d.highAvailability() && t.zones().size() < HA_ZONES) {
          out.accept("spans fewer than " + HA_ZONES + " zones");
        }
      };

  private static final String[] STATE_REASONS = new String[HostState.values().length];
  private static final String[] INSUFFICIENT = new String[Resource.COUNT];

  static {
    for (HostState s : HostState.values()) {
      STATE_REASONS[s.ordinal()] = "host " + s.name().toLowerCase(java.util.Locale.ROOT);
    }
    for (int r = 0; r < Resource.COUNT; r++) {
      INSUFFICIENT[r] = "insufficient " + Resource.of(r).label();
    }
  }

  // Load filters run on every host when a refusal is explained: their reasons are constants.

  public static final Filter STATE =
      (h, d, out) -> {
        HostState s = h.host().state();
        if (s != HostState.READY) {
          out.accept(STATE_REASONS[s.ordinal()]);
        }
      };

  public static final Filter TENANT_LIMIT =
      (h, d, out) -> {
        if (h.tenantCount() >= h.host().maxTenants()) {
          out.accept("tenant limit reached");
        }
      };

  /**
   * Shared-etcd tenants need a free slot; and a host whose shared etcd holds more than its headroom
   * (it shrank) is over-committed and takes no tenant at all, like any other.
   */
  public static final Filter SHARED_ETCD =
      (h, d, out) -> {
        int used = h.sharedEtcdUsed();
        int headroom = h.host().sharedEtcdHeadroom();
        if (used > headroom) {
          out.accept("shared etcd over-committed");
        } else if (d.usesSharedEtcd() && used >= headroom) {
          out.accept("no shared-etcd headroom");
        }
      };

  /** Fit in every resource: one refusal per resource that does not fit. */
  public static final Filter FIT =
      (h, d, out) -> {
        for (int r = 0; r < Resource.COUNT; r++) {
          if (d.resources().get(r) > h.free(r)) {
            out.accept(INSUFFICIENT[r]);
          }
        }
      };

  public static final List<TraitFilter> TRAITS =
      List.of(REGION, REQUIRED_LABELS, TAINTS, GVISOR, DATASTORE, ZONES);

  public static final List<Filter> LOAD = List.of(STATE, TENANT_LIMIT, SHARED_ETCD, FIT);

  public static final List<Filter> ALL =
      List.of(
          REGION,
          REQUIRED_LABELS,
          TAINTS,
          GVISOR,
          DATASTORE,
          ZONES,
          STATE,
          TENANT_LIMIT,
          SHARED_ETCD,
          FIT);

  /** True if no trait filter refuses hosts with these traits. */
  public static boolean traitsAllow(Traits traits, Demand d) {
    boolean[] refused = {false};
    Consumer<String> out = r -> refused[0] = true;
    for (TraitFilter f : TRAITS) {
      f.check(traits, d, out);
      if (refused[0]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every refusal of one host in kube-scheduler's detail, e.g. "insufficient cpu (requested 2000m,
   * free 500m, limit 8000m)", for explaining a single host to a person.
   */
  public static List<String> explain(HostView h, Demand d) {
    List<String> out = new java.util.ArrayList<>();
    for (Filter f : ALL) {
      if (f == FIT) {
        for (int r = 0; r < Resource.COUNT; r++) {
          Resource res = Resource.of(r);
          if (d.resources().get(r) > h.free(r)) {
            out.add(
                "insufficient "
                    + res.label()
                    + " (requested "
                    + res.format(d.resources().get(r))
                    + ", free "
                    + res.format(h.free(r))
                    + ", limit "
                    + res.format(h.host().limit(r))
                    + ")");
          }
        }
      } else {
        f.check(h, d, out::add);
      }
    }
    return out;
  }

  private static boolean tolerated(Taint taint, List<Toleration> tolerations) {
    for (Toleration t : tolerations) {
      if (t.tolerates(taint)) {
        return true;
      }
    }
    return false;
  }
}
