package io.fleetplane.placement.ledger;

import io.fleetplane.placement.filter.HostView;
import io.fleetplane.placement.model.Host;
import io.fleetplane.placement.model.HostState;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.ResourceVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The authority on what is committed where: hosts, their limits, and every tenant's commitment. A
 * policy chooses; the ledger commits, and refuses a commitment that would break its invariant:
 *
 * <pre>
 *   committed(h, r) <= limit(h, r) = allocatable x overcommit - headroom - unmanagedUsed
 *   tenants(h) <= maxTenants(h);  sharedEtcdTenants(h) <= sharedEtcdHeadroom(h)
 * </pre>
 *
 * for every host h and resource r, except a host whose capacity shrank below what it holds: that
 * host is over-committed, takes nothing new, and the update says which tenants would have to move
 * (lowest priority first). A release gives back exactly what the commit (or the last resize) took.
 * Nothing here depends on hash iteration order.
 *
 * <p>Not thread-safe: one writer per cell.
 */
public final class CapacityLedger {

  /** Told after every change of a host's limits, load or state (the index listens). */
  public interface Listener {
    void hostChanged(int slot);
  }

  /** A refused commitment: the ledger is unchanged. */
  public static final class LedgerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LedgerException(String message) {
      super(message);
    }
  }

  /** What a host update did. {@code toMove} is empty unless the host is over-committed. */
  public record HostUpdate(
      String hostId, boolean added, boolean overcommitted, List<String> toMove) {}

  /** What a release gave back. */
  public record Released(String tenantId, String hostId, ResourceVector resources) {}

  /** The outcome of a resize. */
  public sealed interface Resize {
    /** Resized where it is. */
    record InPlace(String tenantId, String hostId, ResourceVector from, ResourceVector to)
        implements Resize {}

    /** Does not fit where it is: it must move (the ledger is unchanged). */
    record MustMove(String tenantId, String hostId, List<String> reasons) implements Resize {}
  }

  private static final int R = Resource.COUNT;

  private final Map<String, Integer> hostSlots = new HashMap<>();
  private Host[] hosts = new Host[16];
  private long[] committed = new long[16 * R];
  private long[] limit = new long[16 * R];
  private int[] tenantCount = new int[16];
  private int[] sharedUsed = new int[16];
  private int[] head = new int[16];
  private int hostCount;

  private final TenantTable tenants = new TenantTable();
  private final List<long[]> shapes = new ArrayList<>();
  private final List<Boolean> shapeShared = new ArrayList<>();
  private int[] shapeUse = new int[8]; // tenants committed with each shape
  private final Map<Shape, Integer> shapeIds = new HashMap<>();

  private final List<Listener> listeners = new ArrayList<>();

  /** One instance per distinct Traits, so that hosts alike can be told alike by identity. */
  private final Map<io.fleetplane.placement.model.Traits, io.fleetplane.placement.model.Traits>
      traits = new HashMap<>();

  private record Shape(ResourceVector resources, boolean sharedEtcd) {}

  public void addListener(Listener l) {
    listeners.add(l);
    for (int s = 0; s < hostCount; s++) {
      l.hostChanged(s);
    }
  }

  // ---- reading ---------------------------------------------------------------------------

  public int hostCount() {
    return hostCount;
  }

  public int tenantCount() {
    return tenants.size();
  }

  public Host host(int slot) {
    return hosts[slot];
  }

  /** The host's slot, or -1 if unknown. Slots are dense, 0 .. hostCount-1, never reused. */
  public int slotOf(String hostId) {
    Integer s = hostSlots.get(hostId);
    return s == null ? -1 : s;
  }

  public long free(int slot, int r) {
    return limit[slot * R + r] - committed[slot * R + r];
  }

  /** The host's limit for resource ordinal {@code r} (see {@link Host#limit(int)}). */
  public long limit(int slot, int r) {
    return limit[slot * R + r];
  }

  public long committed(int slot, int r) {
    return committed[slot * R + r];
  }

  public ResourceVector committed(int slot) {
    return ResourceVector.of(Arrays.copyOfRange(committed, slot * R, slot * R + R));
  }

  public int tenantCount(int slot) {
    return tenantCount[slot];
  }

  public int sharedEtcdUsed(int slot) {
    return sharedUsed[slot];
  }

  /**
   * True if the host holds more than its current limits allow. A limit below zero (headroom and
   * unmanaged use beyond what is allocatable) allows nothing, and an empty host is not
   * over-committed.
   */
  public boolean overcommitted(int slot) {
    for (int r = 0; r < R; r++) {
      if (committed[slot * R + r] > Math.max(0, limit[slot * R + r])) {
        return true;
      }
    }
    Host h = hosts[slot];
    return tenantCount[slot] > h.maxTenants() || sharedUsed[slot] > h.sharedEtcdHeadroom();
  }

  /** A view that can be moved from host to host: for loops over every host, without garbage. */
  public final class Cursor implements HostView {
    private int slot;

    public Cursor moveTo(int s) {
      slot = s;
      return this;
    }

    public int slot() {
      return slot;
    }

    @Override
    public Host host() {
      return hosts[slot];
    }

    @Override
    public long free(int r) {
      return CapacityLedger.this.free(slot, r);
    }

    @Override
    public int tenantCount() {
      return tenantCount[slot];
    }

    @Override
    public int sharedEtcdUsed() {
      return sharedUsed[slot];
    }
  }

  public Cursor cursor() {
    return new Cursor();
  }

  /** A view of one host (a cursor that stays there). */
  public HostView view(int slot) {
    return new Cursor().moveTo(slot);
  }

  /**
   * How many tenants are committed with each size, largest count first (ties by size): what the
   * fleet's most common plan takes, to tell how much free capacity is stranded.
   */
  public List<SizeCount> sizeCounts() {
    java.util.Map<ResourceVector, Integer> bySize = new java.util.HashMap<>();
    for (int s = 0; s < shapes.size(); s++) {
      if (shapeUse[s] > 0) {
        bySize.merge(ResourceVector.of(shapes.get(s)), shapeUse[s], Integer::sum);
      }
    }
    List<SizeCount> out = new ArrayList<>();
    bySize.forEach((size, n) -> out.add(new SizeCount(size, n)));
    out.sort(
        java.util.Comparator.comparingInt((SizeCount c) -> -c.tenants())
            .thenComparing(c -> java.util.Arrays.toString(c.size().toArray())));
    return out;
  }

  /** Tenants committed with one size (shared-etcd or not, counted together). */
  public record SizeCount(ResourceVector size, int tenants) {}

  /** The host a tenant is committed on, or null. */
  public String hostOf(String tenantId) {
    int t = tenants.find(tenantId);
    return t == TenantTable.NONE ? null : hosts[tenants.host[t]].id();
  }

  /** What a tenant's commitment took, or null if it has none. */
  public ResourceVector resourcesOf(String tenantId) {
    int t = tenants.find(tenantId);
    return t == TenantTable.NONE ? null : ResourceVector.of(shapes.get(tenants.shape[t]));
  }

  /** The tenants on a host, lowest priority first (then by id): the order to move them in. */
  public List<String> tenantsOn(String hostId) {
    int slot = requireHost(hostId);
    List<Integer> list = new ArrayList<>(tenantCount[slot]);
    for (int t = head[slot]; t != TenantTable.NONE; t = tenants.next[t]) {
      list.add(t);
    }
    list.sort(
        Comparator.<Integer>comparingInt(t -> tenants.priority[t]).thenComparing(tenants::id));
    List<String> ids = new ArrayList<>(list.size());
    for (int t : list) {
      ids.add(tenants.id(t));
    }
    return ids;
  }

  // ---- hosts -----------------------------------------------------------------------------

  /**
   * Adds a host or replaces its description (capacity, traits, state). If its new limits are below
   * what it holds, it is over-committed and the answer lists the tenants to move, lowest priority
   * first, until the rest fits.
   */
  public HostUpdate upsertHost(Host h) {
    io.fleetplane.placement.model.Traits shared = traits.computeIfAbsent(h.traits(), t -> t);
    if (shared != h.traits()) {
      h = h.withTraits(shared);
    }
    Integer existing = hostSlots.get(h.id());
    int slot;
    boolean added = existing == null;
    if (added) {
      slot = hostCount++;
      ensureHostCapacity(hostCount);
      hostSlots.put(h.id(), slot);
      head[slot] = TenantTable.NONE;
    } else {
      slot = existing;
    }
    hosts[slot] = h;
    for (int r = 0; r < R; r++) {
      limit[slot * R + r] = h.limit(r);
    }
    changed(slot);
    boolean over = overcommitted(slot);
    return new HostUpdate(h.id(), added, over, over ? toMove(slot) : List.of());
  }

  /**
   * Sets a host's state. Only ready hosts take new tenants; a draining host's tenants are all to be
   * moved, and are returned lowest priority first.
   */
  public List<String> setState(String hostId, HostState state) {
    int slot = requireHost(hostId);
    hosts[slot] = hosts[slot].withState(state);
    changed(slot);
    return state == HostState.DRAINING ? tenantsOn(hostId) : List.of();
  }

  private List<String> toMove(int slot) {
    long[] left = Arrays.copyOfRange(committed, slot * R, slot * R + R);
    int count = tenantCount[slot];
    int shared = sharedUsed[slot];
    List<String> move = new ArrayList<>();
    Host h = hosts[slot];
    for (String id : tenantsOn(h.id())) {
      if (fitsWithin(left, slot) && count <= h.maxTenants() && shared <= h.sharedEtcdHeadroom()) {
        break;
      }
      int t = tenants.find(id);
      long[] s = shapes.get(tenants.shape[t]);
      for (int r = 0; r < R; r++) {
        left[r] -= s[r];
      }
      count--;
      shared -= shapeShared.get(tenants.shape[t]) ? 1 : 0;
      move.add(id);
    }
    return move;
  }

  private boolean fitsWithin(long[] amounts, int slot) {
    for (int r = 0; r < R; r++) {
      if (amounts[r] > Math.max(0, limit[slot * R + r])) {
        return false;
      }
    }
    return true;
  }

  // ---- tenants ---------------------------------------------------------------------------

  /**
   * Commits a tenant on a host.
   *
   * @throws LedgerException if the tenant already has a commitment, the host is unknown or not
   *     ready, or the tenant does not fit (every reason is named)
   */
  public void commit(
      String tenantId, String hostId, ResourceVector resources, int priority, boolean sharedEtcd) {
    if (tenants.find(tenantId) != TenantTable.NONE) {
      throw new LedgerException(
          "tenant " + tenantId + " is already committed on " + hostOf(tenantId));
    }
    if (resources.anyNegative()) {
      throw new LedgerException("tenant " + tenantId + ": negative resources " + resources);
    }
    int slot = requireHost(hostId);
    Host h = hosts[slot];
    List<String> reasons = new ArrayList<>();
    if (h.state() != HostState.READY) {
      reasons.add("host " + h.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    for (int r = 0; r < R; r++) {
      if (resources.get(r) > free(slot, r)) {
        reasons.add(
            "insufficient "
                + Resource.of(r).label()
                + " (requested "
                + resources.get(r)
                + ", free "
                + free(slot, r)
                + ")");
      }
    }
    if (tenantCount[slot] >= h.maxTenants()) {
      reasons.add("tenant limit reached");
    }
    if (sharedUsed[slot] > h.sharedEtcdHeadroom()) {
      reasons.add("shared etcd over-committed");
    } else if (sharedEtcd && sharedUsed[slot] >= h.sharedEtcdHeadroom()) {
      reasons.add("no shared-etcd headroom");
    }
    if (!reasons.isEmpty()) {
      throw new LedgerException(
          "cannot commit " + tenantId + " on " + hostId + ": " + String.join(", ", reasons));
    }
    record(tenantId, slot, resources, priority, sharedEtcd);
  }

  /**
   * Re-records a commitment that was made before, when rebuilding the ledger from a log: no
   * capacity or state check (the host may have shrunk or been cordoned since; it then shows as
   * over-committed), only that the tenant is not recorded twice.
   *
   * @throws LedgerException if the tenant already has a commitment or the host is unknown
   */
  public void restore(
      String tenantId, String hostId, ResourceVector resources, int priority, boolean sharedEtcd) {
    if (tenants.find(tenantId) != TenantTable.NONE) {
      throw new LedgerException(
          "tenant " + tenantId + " is already committed on " + hostOf(tenantId));
    }
    int slot = requireHost(hostId);
    record(tenantId, slot, resources, priority, sharedEtcd);
  }

  private void record(
      String tenantId, int slot, ResourceVector resources, int priority, boolean sharedEtcd) {
    int t = tenants.add(tenantId);
    tenants.host[t] = slot;
    tenants.shape[t] = shapeOf(resources, sharedEtcd);
    shapeUse[tenants.shape[t]]++;
    tenants.priority[t] = priority;
    link(t, slot);
    add(slot, resources, sharedEtcd, +1);
    changed(slot);
  }

  /** Releases a tenant's commitment; null if it had none. */
  public Released release(String tenantId) {
    int t = tenants.find(tenantId);
    if (t == TenantTable.NONE) {
      return null;
    }
    int slot = tenants.host[t];
    ResourceVector resources = ResourceVector.of(shapes.get(tenants.shape[t]));
    boolean shared = shapeShared.get(tenants.shape[t]);
    unlink(t, slot);
    shapeUse[tenants.shape[t]]--;
    tenants.remove(t);
    add(slot, resources, shared, -1);
    changed(slot);
    return new Released(tenantId, hosts[slot].id(), resources);
  }

  /**
   * Resizes a tenant where it is if the new size fits there (its current commitment counts as
   * free), else answers that it must move and changes nothing.
   *
   * @throws LedgerException if the tenant has no commitment
   */
  public Resize resize(String tenantId, ResourceVector to, int priority) {
    int t = tenants.find(tenantId);
    if (t == TenantTable.NONE) {
      throw new LedgerException("tenant " + tenantId + " has no commitment to resize");
    }
    if (to.anyNegative()) {
      throw new LedgerException("tenant " + tenantId + ": negative resources " + to);
    }
    int slot = tenants.host[t];
    long[] from = shapes.get(tenants.shape[t]);
    List<String> reasons = new ArrayList<>();
    if (hosts[slot].state() != HostState.READY && !fitsIn(to, from)) {
      reasons.add(
          "host "
              + hosts[slot].state().name().toLowerCase(java.util.Locale.ROOT)
              + " takes no growth");
    }
    for (int r = 0; r < R; r++) {
      long available = free(slot, r) + from[r];
      if (to.get(r) > available && to.get(r) > from[r]) {
        reasons.add(
            "insufficient "
                + Resource.of(r).label()
                + " (requested "
                + to.get(r)
                + ", available with its current share "
                + available
                + ")");
      }
    }
    if (!reasons.isEmpty()) {
      return new Resize.MustMove(tenantId, hosts[slot].id(), reasons);
    }
    boolean shared = shapeShared.get(tenants.shape[t]);
    ResourceVector old = ResourceVector.of(from);
    add(slot, old, shared, -1);
    add(slot, to, shared, +1);
    shapeUse[tenants.shape[t]]--;
    tenants.shape[t] = shapeOf(to, shared);
    shapeUse[tenants.shape[t]]++;
    tenants.priority[t] = priority;
    changed(slot);
    return new Resize.InPlace(tenantId, hosts[slot].id(), old, to);
  }

  private static boolean fitsIn(ResourceVector to, long[] from) {
    for (int r = 0; r < R; r++) {
      if (to.get(r) > from[r]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Recomputes every host's load from the tenants and compares it with the running totals.
   *
   * @throws IllegalStateException naming the first difference
   */
  public void verify() {
    long[] sum = new long[hostCount * R];
    int[] count = new int[hostCount];
    int[] shared = new int[hostCount];
    int[] sizes = new int[shapes.size()];
    int seen = 0;
    for (int slot = 0; slot < hostCount; slot++) {
      for (int t = head[slot]; t != TenantTable.NONE; t = tenants.next[t]) {
        if (tenants.host[t] != slot) {
          throw new IllegalStateException(
              "tenant " + tenants.id(t) + " is listed on the wrong host");
        }
        long[] s = shapes.get(tenants.shape[t]);
        for (int r = 0; r < R; r++) {
          sum[slot * R + r] += s[r];
        }
        count[slot]++;
        shared[slot] += shapeShared.get(tenants.shape[t]) ? 1 : 0;
        sizes[tenants.shape[t]]++;
        seen++;
      }
    }
    if (seen != tenants.size()) {
      throw new IllegalStateException(
          seen + " tenants on hosts, " + tenants.size() + " in the table");
    }
    if (!java.util.Arrays.equals(sizes, 0, sizes.length, shapeUse, 0, sizes.length)) {
      throw new IllegalStateException("the count of tenants per size disagrees with its tenants");
    }
    for (int slot = 0; slot < hostCount; slot++) {
      for (int r = 0; r < R; r++) {
        if (sum[slot * R + r] != committed[slot * R + r]) {
          throw new IllegalStateException(
              "host "
                  + hosts[slot].id()
                  + " "
                  + Resource.of(r).label()
                  + ": committed "
                  + committed[slot * R + r]
                  + " but its tenants sum to "
                  + sum[slot * R + r]);
        }
      }
      if (count[slot] != tenantCount[slot] || shared[slot] != sharedUsed[slot]) {
        throw new IllegalStateException("host " + hosts[slot].id() + ": tenant counts disagree");
      }
    }
  }

  // ---- internals -------------------------------------------------------------------------

  private int requireHost(String hostId) {
    Integer s = hostSlots.get(hostId);
    if (s == null) {
      throw new LedgerException("unknown host " + hostId);
    }
    return s;
  }

  private int shapeOf(ResourceVector resources, boolean shared) {
    return shapeIds.computeIfAbsent(
        new Shape(resources, shared),
        k -> {
          shapes.add(resources.toArray());
          shapeShared.add(shared);
          if (shapes.size() > shapeUse.length) {
            shapeUse = java.util.Arrays.copyOf(shapeUse, shapeUse.length * 2);
          }
          return shapes.size() - 1;
        });
  }

  private void add(int slot, ResourceVector resources, boolean shared, int sign) {
    for (int r = 0; r < R; r++) {
      committed[slot * R + r] += sign * resources.get(r);
    }
    tenantCount[slot] += sign;
    if (shared) {
      sharedUsed[slot] += sign;
    }
  }

  private void link(int t, int slot) {
    tenants.prev[t] = TenantTable.NONE;
    tenants.next[t] = head[slot];
    if (head[slot] != TenantTable.NONE) {
      tenants.prev[head[slot]] = t;
    }
    head[slot] = t;
  }

  private void unlink(int t, int slot) {
    int p = tenants.prev[t];
    int n = tenants.next[t];
    if (p == TenantTable.NONE) {
      head[slot] = n;
    } else {
      tenants.next[p] = n;
    }
    if (n != TenantTable.NONE) {
      tenants.prev[n] = p;
    }
  }

  private void ensureHostCapacity(int n) {
    if (n <= hosts.length) {
      return;
    }
    int c = Math.max(n, hosts.length * 2);
    hosts = Arrays.copyOf(hosts, c);
    committed = Arrays.copyOf(committed, c * R);
    limit = Arrays.copyOf(limit, c * R);
    tenantCount = Arrays.copyOf(tenantCount, c);
    sharedUsed = Arrays.copyOf(sharedUsed, c);
    head = Arrays.copyOf(head, c);
  }

  private void changed(int slot) {
    for (Listener l : listeners) {
      l.hostChanged(slot);
    }
  }
}
