package io.fleetplane.scheduler.cell;

import io.fleetplane.placement.model.Demand;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Tenants waiting for a host, taken in priority then arrival order — without looking at every
 * waiting tenant when capacity appears. Tenants with equal needs (resources and constraints,
 * whatever their id and priority) form a class; if the first of a class fits nowhere, none of the
 * class does. So a retry asks the index once per class, not once per tenant.
 */
final class PendingQueue {

  /** A waiting tenant. */
  record Entry(Demand demand, long seq, Demand shape) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparingInt((Entry e) -> -e.demand().priority())
          .thenComparingLong(Entry::seq)
          .thenComparing(e -> e.demand().tenantId());

  private final Map<Demand, PriorityQueue<Entry>> classes = new HashMap<>();
  private final TreeSet<Entry> heads = new TreeSet<>(ORDER);
  private final Map<String, Entry> byTenant = new HashMap<>();

  int size() {
    return byTenant.size();
  }

  int classes() {
    return classes.size();
  }

  boolean contains(String tenantId) {
    return byTenant.containsKey(tenantId);
  }

  /** True if tenants of this demand's class are already waiting: a newcomer goes behind. */
  boolean hasClassOf(Demand d) {
    return classes.containsKey(shape(d));
  }

  void add(Demand d, long seq) {
    Entry e = new Entry(d, seq, shape(d));
    PriorityQueue<Entry> q = classes.computeIfAbsent(e.shape(), k -> new PriorityQueue<>(ORDER));
    Entry oldHead = q.peek();
    q.add(e);
    byTenant.put(d.tenantId(), e);
    if (oldHead != q.peek()) {
      if (oldHead != null) {
        heads.remove(oldHead);
      }
      heads.add(e);
    }
  }

  /** Removes a waiting tenant; null if it was not waiting. */
  Entry remove(String tenantId) {
    Entry e = byTenant.remove(tenantId);
    if (e == null) {
      return null;
    }
    PriorityQueue<Entry> q = classes.get(e.shape());
    boolean wasHead = q.peek() == e;
    q.remove(e);
    if (wasHead) {
      heads.remove(e);
      if (q.peek() != null) {
        heads.add(q.peek());
      }
    }
    if (q.isEmpty()) {
      classes.remove(e.shape());
    }
    return e;
  }

  /** The first {@code n} waiting tenants, in the order they will be offered a host. */
  java.util.List<Entry> first(int n) {
    return byTenant.values().stream().sorted(ORDER).limit(n).toList();
  }

  /** A decision about a class head: place it (true) or leave its class waiting (false). */
  interface Attempt {
    boolean tryPlace(Entry head);
  }

  /**
   * Offers each class's first tenant, best first, to {@code attempt}; a placed one is removed and
   * the next of its class offered; a class whose first does not fit waits for the next retry.
   */
  void drain(Attempt attempt) {
    ArrayDeque<Entry> blocked = new ArrayDeque<>();
    while (!heads.isEmpty()) {
      Entry head = heads.pollFirst();
      if (attempt.tryPlace(head)) {
        PriorityQueue<Entry> q = classes.get(head.shape());
        q.poll();
        byTenant.remove(head.demand().tenantId());
        if (q.isEmpty()) {
          classes.remove(head.shape());
        } else {
          heads.add(q.peek());
        }
      } else {
        blocked.add(head);
      }
    }
    heads.addAll(blocked);
  }

  private static Demand shape(Demand d) {
    return d.withTenantId("").withPriority(0);
  }
}
