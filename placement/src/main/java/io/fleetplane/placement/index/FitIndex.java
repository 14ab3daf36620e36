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
 * <p>Ready hosts are grouped into pools of equal {@link Traits} (trait filters answer the
 * same for a whole pool). Each pool is a treap ordered by (policy key, host id), and each
 * node carries the per-dimension maximum of free capacity in its subtree. A query walks the
 * treap in order and skips every subtree whose maximum does not cover the demand, and every
 * node below the policy's lower bound; the first node that covers it is the answer: the
 * lowest key, then the lowest id, exactly what a scan of every host would choose.
 *
 * <p>The dimensions are the resources, then tenant slots ({@code maxTenants - tenants}), then
 * shared-etcd slots ({@code headroom - used}): the load filters, as numbers.
 */
public final class FitIndex implements CapacityLedger.Listener {

  /** resources + tenant slots + shared-etcd slots */
  public static final int D = Resource.COUNT + 2;

  private static final int NIL = -1;
  private static final int TENANT_SLOTS = Resource.COUNT;
  private static final int ETCD_SLOTS = Resource.COUNT + 1;

  private final CapacityLedger ledger;
  private final ScoringPolicy policy;
  private final int keys;

  private final Map<Traits, Pool> pools = new HashMap<>();
  private final List<Pool> poolList = new ArrayList<>();

  // Per host slot. Tree links and keys are per key index k: [slot * keys + k].
  private int[] left = new int[0];
  private int[] right = new int[0];
  private double[] key = new double[0];
  private long[] free = new long[0]; // [slot * D + d]
  private long[] subMax = new long[0]; // [(slot * keys + k) * D + d]
  private int[] prio = new int[0];
  private String[] ids = new String[0];
  private Pool[] poolOf = new Pool[0];

  private final long[] scratchFree = new long[Resource.COUNT];

  /** Hosts of equal traits, one treap per policy key. */
  public static final class Pool {
    final Traits traits;
    final int[] roots;
    int size;

    Pool(Traits traits, int keys) {
      this.traits = traits;
      this.roots = new int[keys];
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
      for (int k = 0; k < keys; k++) {
        old.roots[k] = erase(old.roots[k], slot, k);
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
    Pool pool = pools.get(h.traits());
    if (pool == null) {
      pool = new Pool(h.traits(), keys);
      pools.put(h.traits(), pool);
      poolList.add(pool);
    }
    for (int k = 0; k < keys; k++) {
      key[slot * keys + k] = policy.key(k, scratchFree);
      pool.roots[k] = insert(pool.roots[k], slot, k);
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
    return find(pool.roots[k], need, k, bound);
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

  private int compare(int a, int b, int k) {
    int c = Double.compare(key[a * keys + k], key[b * keys + k]);
    return c != 0 ? c : ids[a].compareTo(ids[b]);
  }

  private int insert(int root, int x, int k) {
    left[x * keys + k] = NIL;
    right[x * keys + k] = NIL;
    pull(x, k);
    split(root, x, k);
    int before = splitLeft;
    int after = splitRight;
    return merge(merge(before, x, k), after, k);
  }

  private int erase(int root, int x, int k) {
    split(root, x, k); // the right part starts with x
    int before = splitLeft;
    int after = splitRight;
    return merge(before, eraseMin(after, k), k);
  }

  private int eraseMin(int t, int k) {
    int l = left[t * keys + k];
    if (l == NIL) {
      return right[t * keys + k];
    }
    left[t * keys + k] = eraseMin(l, k);
    pull(t, k);
    return t;
  }

  // The two results of split: no allocation on the hot path.
  private int splitLeft;
  private int splitRight;

  /** Splits t into nodes before x (splitLeft) and nodes from x on (splitRight). */
  private void split(int t, int x, int k) {
    if (t == NIL) {
      splitLeft = NIL;
      splitRight = NIL;
      return;
    }
    if (compare(t, x, k) < 0) {
      split(right[t * keys + k], x, k);
      right[t * keys + k] = splitLeft;
      pull(t, k);
      splitLeft = t;
    } else {
      split(left[t * keys + k], x, k);
      left[t * keys + k] = splitRight;
      pull(t, k);
      splitRight = t;
    }
  }

  private int merge(int a, int b, int k) {
    if (a == NIL) {
      return b;
    }
    if (b == NIL) {
      return a;
    }
    if (prio[a] > prio[b]) {
      right[a * keys + k] = merge(right[a * keys + k], b, k);
      pull(a, k);
      return a;
    }
    left[b * keys + k] = merge(a, left[b * keys + k], k);
    pull(b, k);
    return b;
  }

  private void pull(int t, int k) {
    int base = (t * keys + k) * D;
    int l = left[t * keys + k];
    int r = right[t * keys + k];
    for (int d = 0; d < D; d++) {
      long m = free[t * D + d];
      if (l != NIL) {
        m = Math.max(m, subMax[(l * keys + k) * D + d]);
      }
      if (r != NIL) {
        m = Math.max(m, subMax[(r * keys + k) * D + d]);
      }
      subMax[base + d] = m;
    }
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
    key = Arrays.copyOf(key, c * keys);
    free = Arrays.copyOf(free, c * D);
    subMax = Arrays.copyOf(subMax, c * keys * D);
    prio = Arrays.copyOf(prio, c);
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
