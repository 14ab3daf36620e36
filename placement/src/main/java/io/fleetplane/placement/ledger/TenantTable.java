package io.fleetplane.placement.ledger;

import java.util.Arrays;

/**
 * The ledger's tenants in parallel arrays indexed by a tenant slot, found by id through an
 * open-addressing hash table, and threaded into one doubly linked list per host. Millions of
 * tenants cost one String each plus about 40 bytes of arrays, where a HashMap of objects would cost
 * three times that.
 */
final class TenantTable {

  static final int NONE = -1;

  private static final int EMPTY = 0;
  private static final int DELETED = -1;

  /** Entries are tenant slot + 1, or EMPTY, or DELETED. */
  private int[] table = new int[16];

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
    int mask = table.length - 1;
    for (int i = spread(id.hashCode()) & mask; ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == EMPTY) {
        return NONE;
      }
      if (e > 0 && ids[e - 1].equals(id)) {
        return e - 1;
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
    int mask = table.length - 1;
    for (int i = spread(id.hashCode()) & mask; ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == EMPTY || e == DELETED) {
        if (e == EMPTY) {
          tableUsed++;
        }
        table[i] = slot + 1;
        break;
      }
    }
    size++;
    return slot;
  }

  /** Removes the tenant in {@code slot} (already unlinked from its host's list). */
  void remove(int slot) {
    String id = ids[slot];
    int mask = table.length - 1;
    for (int i = spread(id.hashCode()) & mask; ; i = (i + 1) & mask) {
      if (table[i] == slot + 1) {
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
    int[] t = new int[capacity];
    int mask = capacity - 1;
    for (int slot = 0; slot < top; slot++) {
      if (ids[slot] != null) {
        int i = spread(ids[slot].hashCode()) & mask;
        while (t[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        t[i] = slot + 1;
      }
    }
    table = t;
    tableUsed = size;
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
