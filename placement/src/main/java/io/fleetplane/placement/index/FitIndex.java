package io.fleetplane.placement.index;

import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Host;
import io.fleetplane.placement.model.HostState;
import io.fleetplane.placement.model.Resource;
import io.fleetplane.placement.model.Traits;
import io.fleetplane.placement.score.ScoringPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the host a policy would choose without looking at every host.
 *
 * <p>Ready hosts are grouped into pools of equal {@link Traits} (trait filters answer the same for
 * a whole pool). Within a pool, hosts are split into classes by their tightest dimension (the one
 * with the smallest share of its limit free), and each class is a treap ordered by (policy key,
 * host id) whose nodes carry the per-dimension maximum of free capacity in their subtree. A query
 * walks each treap in order and skips every subtree whose maximum does not cover the demand, and
 * every node below the policy's lower bound; the first node that covers it is that class's answer,
 * and the lowest (key, id) over the classes is the pool's: exactly what a scan of every host would
 * choose.
 *
 * <p>Why classes: in a packed fleet some hosts run out of CPU and others of memory. A subtree that
 * mixes them has maxima that cover a demand no single host in it can take, and the walk would visit
 * every such stranded host. Within a class all hosts are short of the same thing, so the maxima
 * prune.
 *
 * <p>The dimensions are the resources, then tenant slots ({@code maxTenants - tenants}), then
 * shared-etcd slots ({@code headroom - used}): the load filters, as numbers.
 */
public final class FitIndex implements CapacityLedger.Listener {

  /** resources + tenant slots + shared-etcd slots */
  public static final int D = Resource.COUNT + 2;

  /** Classes by tightest dimension: the resources and tenant slots (not shared etcd). */
  static final int CLASSES = Resource.COUNT + 1;

  private static final int NIL = -1;
  private static final int TENANT_SLOTS = Resource.COUNT;
  private static final int ETCD_SLOTS = Resource.COUNT + 1;

  private final CapacityLedger ledger;
  private final ScoringPolicy policy;
  private final int keys;

  private final Map<Traits, Pool> pools = new HashMap<>();
  private final List<Pool> poolList = new ArrayList<>();

  // Per host slot. Tree links and keys are per key index k: [slot * keys + k].
  private int[] classOf = new int[0];
  private int[] left = new int[0];
  private int[] right = new int[0];
  private int[] parent = new int[0];
  private double[] key = new double[0];
  private long[] free = new long[0]; // [slot * D + d]
  private long[] subMax = new long[0]; // [(slot * keys + k) * D + d]
  private int[] prio = new int[0];
  private String[] ids = new String[0];
  private Pool[] poolOf = new Pool[0];

  private final long[] scratchFree = new long[Resource.COUNT];

  /** Hosts of equal traits: one treap per policy key and tightest-dimension class. */
  public static final class Pool {
    final Traits traits;
    final int[] roots; // [k * CLASSES + class]
    int size;

    Pool(Traits traits, int keys) {
      this.traits = traits;
      this.roots = new int[keys * CLASSES];
      Arrays.fill(roots, NIL);
    }

    public Traits traits() {
      return traits;
    }

    public int size() {
      return size;
    }
  }

  public FitIndex(CapacityLedger ledger, ScoringPolicy policy) {
    this.ledger = ledger;
    this.policy = policy;
    this.keys = policy.keyCount();
    ledger.addListener(this);
  }

  public List<Pool> pools() {
    return poolList;
  }

  @Override
  public void hostChanged(int slot) {
    ensureCapacity(slot + 1);
    Pool old = poolOf[slot];
    if (old != null) {
      int c = classOf[slot];
      for (int k = 0; k < keys; k++) {
        erase(old.roots, k * CLASSES + c, slot, k);
      }
      old.size--;
      poolOf[slot] = null;
    }
    Host h = ledger.host(slot);
    if (h.state() != HostState.READY) {
      return;
    }
    ids[slot] = h.id();
    prio[slot] = priorityOf(h.id());
    for (int r = 0; r < Resource.COUNT; r++) {
      long f = ledger.free(slot, r);
      free[slot * D + r] = f;
      scratchFree[r] = f;
    }
    free[slot * D + TENANT_SLOTS] = (long) h.maxTenants() - ledger.tenantCount(slot);
    free[slot * D + ETCD_SLOTS] = (long) h.sharedEtcdHeadroom() - ledger.sharedEtcdUsed(slot);
    // A commit or release keeps the host's Traits instance: skip hashing its maps and sets.
    Pool pool = old != null && old.traits == h.traits() ? old : pools.get(h.traits());
    if (pool == null) {
      pool = new Pool(h.traits(), keys);
      pools.put(h.traits(), pool);
      poolList.add(pool);
    }
    int c = tightest(slot, h);
    classOf[slot] = c;
    for (int k = 0; k < keys; k++) {
      key[slot * keys + k] = policy.key(k, scratchFree);
      insert(pool.roots, k * CLASSES + c, slot, k);
    }
    pool.size++;
    poolOf[slot] = pool;
  }

  /**
   * The best host of a pool for {@code need} (D dimensions) under key {@code k}, or -1.
   *
   * @param bound no host with a lower key can cover the need
   */
  public int best(Pool pool, long[] need, int k, double bound) {
    int best = NIL;
    for (int c = 0; c < CLASSES; c++) {
      int found = find(pool.roots[k * CLASSES + c], need, k, bound);
      if (found != NIL && (best == NIL || compare(found, best, k) < 0)) {
        best = found;
      }
    }
    return best;
  }

  /**
   * The dimension with the smallest share of its limit free (a full dimension: share 0). A resource
   * the host does not offer at all (allocatable 0, e.g. no storage) is no class: every such host
   * would fall into it, and the classes would no longer tell CPU-short from memory-short hosts.
   */
  private int tightest(int slot, Host h) {
    int best = 0;
    double bestShare = Double.MAX_VALUE;
    for (int d = 0; d < CLASSES; d++) {
      if (d < Resource.COUNT && h.allocatable().get(d) == 0) {
        continue;
      }
      long limit = d < Resource.COUNT ? ledger.limit(slot, d) : h.maxTenants();
      double share = limit <= 0 ? 0 : (double) free[slot * D + d] / limit;
      if (share < bestShare) {
        best = d;
        bestShare = share;
      }
    }
    return best;
  }

  /** The slot's key under key index {@code k} (valid while the host is indexed). */
  public double key(int slot, int k) {
    return key[slot * keys + k];
  }

  /** True if a's (key, id) comes before b's. */
  public boolean before(int a, int b, int k) {
    return compare(a, b, k) < 0;
  }

  // ---- queries ---------------------------------------------------------------------------

  private int find(int t, long[] need, int k, double bound) {
    while (t != NIL) {
      if (!covers(subMax, (t * keys + k) * D, need)) {
        return NIL;
      }
      if (key[t * keys + k] < bound) {
        // t and everything left of it rank below the bound: no host there fits.
        t = right[t * keys + k];
        continue;
      }
      int found = find(left[t * keys + k], need, k, bound);
      if (found != NIL) {
        return found;
      }
      if (covers(free, t * D, need)) {
        return t;
      }
      t = right[t * keys + k];
    }
    return NIL;
  }

  private static boolean covers(long[] a, int offset, long[] need) {
    for (int d = 0; d < D; d++) {
      if (a[offset + d] < need[d]) {
        return false;
      }
    }
    return true;
  }

  // ---- treap -----------------------------------------------------------------------------
  //
  // A max-heap on prio, in-order by (key, id); rotations keep parent links; maxima are pulled
  // up from a changed node only while they change.

  private int compare(int a, int b, int k) {
    int c = Double.compare(key[a * keys + k], key[b * keys + k]);
    return c != 0 ? c : ids[a].compareTo(ids[b]);
  }

  /** Inserts x into the treap at roots[ri]. */
  private void insert(int[] roots, int ri, int x, int k) {
    int xk = x * keys + k;
    left[xk] = NIL;
    right[xk] = NIL;
    System.arraycopy(free, x * D, subMax, xk * D, D);
    int t = roots[ri];
    if (t == NIL) {
      parent[xk] = NIL;
      roots[ri] = x;
      return;
    }
    while (true) {
      int tk = t * keys + k;
      if (compare(x, t, k) < 0) {
        if (left[tk] == NIL) {
          left[tk] = x;
          break;
        }
        t = left[tk];
      } else {
        if (right[tk] == NIL) {
          right[tk] = x;
          break;
        }
        t = right[tk];
      }
    }
    parent[xk] = t;
    while (parent[xk] != NIL && prio[parent[xk]] < prio[x]) {
      rotateUp(roots, ri, x, k);
    }
    // Above x every subtree gained x: maxima can only grow; stop where they do not.
    for (int a = parent[xk]; a != NIL && pull(a, k); a = parent[a * keys + k]) {
      // pulled
    }
  }

  /** Removes x from the treap at roots[ri]. */
  private void erase(int[] roots, int ri, int x, int k) {
    int xk = x * keys + k;
    while (left[xk] != NIL && right[xk] != NIL) {
      int l = left[xk];
      int r = right[xk];
      rotateUp(roots, ri, prio[l] > prio[r] ? l : r, k);
    }
    int child = left[xk] != NIL ? left[xk] : right[xk];
    int p = parent[xk];
    if (child != NIL) {
      parent[child * keys + k] = p;
    }
    if (p == NIL) {
      roots[ri] = child;
    } else if (left[p * keys + k] == x) {
      left[p * keys + k] = child;
    } else {
      right[p * keys + k] = child;
    }
    // Above x every subtree lost x: maxima can only shrink; stop where they do not.
    for (int a = p; a != NIL && pull(a, k); a = parent[a * keys + k]) {
      // pulled
    }
  }

  /** Rotates x above its parent, keeping order, parent links and maxima. */
  private void rotateUp(int[] roots, int ri, int x, int k) {
    int xk = x * keys + k;
    int p = parent[xk];
    int pk = p * keys + k;
    int g = parent[pk];
    if (left[pk] == x) {
      int b = right[xk];
      left[pk] = b;
      if (b != NIL) {
        parent[b * keys + k] = p;
      }
      right[xk] = p;
    } else {
      int b = left[xk];
      right[pk] = b;
      if (b != NIL) {
        parent[b * keys + k] = p;
      }
      left[xk] = p;
    }
    parent[pk] = x;
    parent[xk] = g;
    if (g == NIL) {
      roots[ri] = x;
    } else if (left[g * keys + k] == p) {
      left[g * keys + k] = x;
    } else {
      right[g * keys + k] = x;
    }
    pull(p, k);
    pull(x, k);
  }

  /** Recomputes t's subtree maxima; true if any changed. */
  private boolean pull(int t, int k) {
    int tk = t * keys + k;
    int base = tk * D;
    int l = left[tk];
    int r = right[tk];
    boolean changed = false;
    for (int d = 0; d < D; d++) {
      long m = free[t * D + d];
      if (l != NIL) {
        m = Math.max(m, subMax[(l * keys + k) * D + d]);
      }
      if (r != NIL) {
        m = Math.max(m, subMax[(r * keys + k) * D + d]);
      }
      if (subMax[base + d] != m) {
        subMax[base + d] = m;
        changed = true;
      }
    }
    return changed;
  }

  /** A fixed pseudo-random priority per host id: the treap's shape never depends on chance. */
  private static int priorityOf(String id) {
    long h = id.hashCode() * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }

  private void ensureCapacity(int n) {
    if (n <= ids.length) {
      return;
    }
    int c = Math.max(n, Math.max(16, ids.length * 2));
    left = grow(left, c * keys);
    right = grow(right, c * keys);
    parent = grow(parent, c * keys);
    key = Arrays.copyOf(key, c * keys);
    free = Arrays.copyOf(free, c * D);
    subMax = Arrays.copyOf(subMax, c * keys * D);
    prio = Arrays.copyOf(prio, c);
    classOf = Arrays.copyOf(classOf, c);
    ids = Arrays.copyOf(ids, c);
    poolOf = Arrays.copyOf(poolOf, c);
  }

  private static int[] grow(int[] a, int n) {
    int old = a.length;
    int[] b = Arrays.copyOf(a, n);
    Arrays.fill(b, old, n, NIL);
    return b;
  }
}
