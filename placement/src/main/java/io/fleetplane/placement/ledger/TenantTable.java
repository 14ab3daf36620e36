package io.fleetplane.placement.ledger;

import java.util.Arrays;

/**
 * The ledger's tenants in parallel arrays indexed by a tenant slot, found by id through an
 * open-addressing hash table whose entries keep the hash (a probe past other tenants reads no
 * String), and threaded into one doubly linked list per host. Millions of tenants cost one String
 * each plus about 50 bytes of arrays, where a HashMap of objects would cost three times that.
 */
final class TenantTable {

  static final int NONE = -1;

  private static final long EMPTY = 0;
  private static final long DELETED = 0xFFFF_FFFFL; // a low half of -1: no slot

  /** Entries are {@link #entry}(hash, slot), or EMPTY, or DELETED. */
  private long[] table = new long[16];

  private int tableUsed; // entries that are not EMPTY (live and deleted)
  private int size;

  private String[] ids = new String[8];
  int[] host = new int[8];
  int[] shape = new int[8];
  int[] priority = new int[8];
  int[] next = new int[8]; // in the host's list, or in the free list
  int[] prev = new int[8];
  private int top; // slots ever used
  private int freeHead = NONE;

  int size() {
    return size;
  }

  String id(int slot) {
    return ids[slot];
  }

  /** The slot of {@code id}, or NONE. */
  int find(String id) {
    int h = spread(id.hashCode());
    int mask = table.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      long e = table[i];
      if (e == EMPTY) {
        return NONE;
      }
      // The hash is compared first: probing past other tenants touches only this array.
      if ((int) (e >>> 32) == h && (int) e > 0 && ids[(int) e - 1].equals(id)) {
        return (int) e - 1;
      }
    }
  }

  /** Adds a tenant that is not in the table; returns its slot. */
  int add(String id) {
    if ((tableUsed + 1) * 10 > table.length * 7) {
      rehash();
    }
    int slot;
    if (freeHead != NONE) {
      slot = freeHead;
      freeHead = next[slot];
    } else {
      if (top == ids.length) {
        grow();
      }
      slot = top++;
    }
    ids[slot] = id;
    int h = spread(id.hashCode());
    int mask = table.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      long e = table[i];
      if (e == EMPTY || e == DELETED) {
        if (e == EMPTY) {
          tableUsed++;
        }
        table[i] = entry(h, slot);
        break;
      }
    }
    size++;
    return slot;
  }

  /** Removes the tenant in {@code slot} (already unlinked from its host's list). */
  void remove(int slot) {
    String id = ids[slot];
    int h = spread(id.hashCode());
    int mask = table.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      if (table[i] == entry(h, slot)) {
        table[i] = DELETED;
        break;
      }
    }
    ids[slot] = null;
    next[slot] = freeHead;
    freeHead = slot;
    size--;
  }

  private void rehash() {
    // A load of 0.25-0.5 after rehashing; it may reach 0.7 before the next one.
    int capacity = Integer.highestOneBit(Math.max(8, size * 2)) << 1;
    long[] t = new long[capacity];
    int mask = capacity - 1;
    for (int slot = 0; slot < top; slot++) {
      if (ids[slot] != null) {
        int h = spread(ids[slot].hashCode());
        int i = h & mask;
        while (t[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        t[i] = entry(h, slot);
      }
    }
    table = t;
    tableUsed = size;
  }

  /** A table entry: the tenant's spread hash in the high half, its slot + 1 in the low half. */
  private static long entry(int hash, int slot) {
    return ((long) hash << 32) | (slot + 1);
  }

  private void grow() {
    int n = ids.length + (ids.length >> 1) + 8;
    ids = Arrays.copyOf(ids, n);
    host = Arrays.copyOf(host, n);
    shape = Arrays.copyOf(shape, n);
    priority = Arrays.copyOf(priority, n);
    next = Arrays.copyOf(next, n);
    prev = Arrays.copyOf(prev, n);
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
