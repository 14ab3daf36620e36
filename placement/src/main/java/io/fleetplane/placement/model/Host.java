package io.fleetplane.placement.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host cluster as placement sees it.
 *
 * <p>Its commitment limit per resource is {@code allocatable x overcommit - headroom -
 * unmanagedUsed}, where overcommit is in permille (1000 = no overcommit, 1500 = 1.5x): what the
 * scheduler may commit to tenants on it. {@code unmanagedUsed} is what pods that are not fleet
 * tenants request (system pods, daemonsets), as the agent reports it.
 *
 * @param maxTenants at most this many tenants, whatever their size
 * @param sharedEtcdHeadroom how many shared-etcd tenants the host's shared etcd holds in all; the
 *     ledger counts its own against it
 */
public record Host(
    String id,
    Traits traits,
    ResourceVector allocatable,
    ResourceVector overcommitPermille,
    ResourceVector headroom,
    ResourceVector unmanagedUsed,
    int maxTenants,
    int sharedEtcdHeadroom,
    HostState state) {

  /** 1000 permille (1.0x) in every resource. */
  public static final ResourceVector NO_OVERCOMMIT = ResourceVector.filled(1000);

  public Host {
    if (overcommitPermille.anyNegative()
        || headroom.anyNegative()
        || unmanagedUsed.anyNegative()
        || allocatable.anyNegative()) {
      throw new IllegalArgumentException(
          "host " + id + ": negative capacity, overcommit or headroom");
    }
    if (maxTenants < 0 || sharedEtcdHeadroom < 0) {
      throw new IllegalArgumentException("host " + id + ": negative tenant or shared-etcd limit");
    }
  }

  /** allocatable x overcommit - headroom - unmanagedUsed, per resource (may be negative). */
  public long limit(int r) {
    return Math.multiplyExact(allocatable.get(r), overcommitPermille.get(r)) / 1000
        - headroom.get(r)
        - unmanagedUsed.get(r);
  }

  public ResourceVector limit() {
    long[] l = new long[Resource.COUNT];
    for (int r = 0; r < l.length; r++) {
      l[r] = limit(r);
    }
    return ResourceVector.of(l);
  }

  public String region() {
    return traits.region();
  }

  public Host withState(HostState s) {
    return new Host(
        id,
        traits,
        allocatable,
        overcommitPermille,
        headroom,
        unmanagedUsed,
        maxTenants,
        sharedEtcdHeadroom,
        s);
  }

  public Host withTraits(Traits t) {
    return new Host(
        id,
        t,
        allocatable,
        overcommitPermille,
        headroom,
        unmanagedUsed,
        maxTenants,
        sharedEtcdHeadroom,
        state);
  }

  public Host withAllocatable(ResourceVector a) {
    return new Host(
        id,
        traits,
        a,
        overcommitPermille,
        headroom,
        unmanagedUsed,
        maxTenants,
        sharedEtcdHeadroom,
        state);
  }

  public Host withUnmanagedUsed(ResourceVector u) {
    return new Host(
        id,
        traits,
        allocatable,
        overcommitPermille,
        headroom,
        u,
        maxTenants,
        sharedEtcdHeadroom,
        state);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Fluent construction, with the defaults of a plain ready host. */
  public static final class Builder {
    private final String id;
    private String region = "default";
    private final Set<String> zones = new HashSet<>();
    private final Map<String, String> labels = new HashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private boolean gvisor;
    private final Set<String> datastoreModes =
        new HashSet<>(Set.of("dedicated-etcd", "shared-etcd", "kine"));
    private final long[] capacity = new long[Resource.COUNT];
    private ResourceVector overcommit = NO_OVERCOMMIT;
    private ResourceVector headroom = ResourceVector.ZERO;
    private ResourceVector unmanaged = ResourceVector.ZERO;
    private int maxTenants = Integer.MAX_VALUE;
    private int sharedEtcdHeadroom;
    private HostState state = HostState.READY;

    private Builder(String id) {
      this.id = id;
      capacity[Resource.PODS.ordinal()] = 110;
    }

    public Builder region(String r) {
      region = r;
      return this;
    }

    public Builder zones(String... z) {
      zones.clear();
      zones.addAll(List.of(z));
      return this;
    }

    public Builder label(String k, String v) {
      labels.put(k, v);
      return this;
    }

    public Builder taint(String key, String value, String effect) {
      taints.add(new Taint(key, value, effect));
      return this;
    }

    public Builder gvisor(boolean g) {
      gvisor = g;
      return this;
    }

    public Builder datastoreModes(String... modes) {
      datastoreModes.clear();
      datastoreModes.addAll(List.of(modes));
      return this;
    }

    public Builder cpuMillis(long c) {
      return amount(Resource.CPU, c);
    }

    public Builder memoryMiB(long m) {
      return amount(Resource.MEMORY, m);
    }

    public Builder memoryGi(long g) {
      return amount(Resource.MEMORY, g * 1024);
    }

    public Builder pods(long p) {
      return amount(Resource.PODS, p);
    }

    public Builder storageGi(long g) {
      return amount(Resource.STORAGE, g);
    }

    /** The host's allocatable amount of one resource. */
    public Builder amount(Resource r, long value) {
      capacity[r.ordinal()] = value;
      return this;
    }

    public Builder capacity(ResourceVector v) {
      for (Resource r : Resource.values()) {
        capacity[r.ordinal()] = v.get(r);
      }
      return this;
    }

    /** Overcommit of CPU, memory and pods; the other resources are not overcommitted. */
    public Builder overcommitPermille(long cpuPermille, long memoryPermille, long podsPermille) {
      long[] o = NO_OVERCOMMIT.toArray();
      o[Resource.CPU.ordinal()] = cpuPermille;
      o[Resource.MEMORY.ordinal()] = memoryPermille;
      o[Resource.PODS.ordinal()] = podsPermille;
      overcommit = ResourceVector.of(o);
      return this;
    }

    public Builder headroom(ResourceVector h) {
      headroom = h;
      return this;
    }

    public Builder unmanagedUsed(ResourceVector u) {
      unmanaged = u;
      return this;
    }

    public Builder maxTenants(int m) {
      maxTenants = m;
      return this;
    }

    public Builder sharedEtcdHeadroom(int h) {
      sharedEtcdHeadroom = h;
      return this;
    }

    public Builder state(HostState s) {
      state = s;
      return this;
    }

    public Host build() {
      return new Host(
          id,
          Traits.of(region, zones, labels, taints, gvisor, datastoreModes),
          ResourceVector.of(capacity),
          overcommit,
          headroom,
          unmanaged,
          maxTenants,
          sharedEtcdHeadroom,
          state);
    }
  }
}
