package io.fleetplane.placement.model;

import java.util.Arrays;

/** An immutable amount of every {@link Resource}, in whole units (millicores, MiB, pods, GiB). */
public final class ResourceVector {

  public static final ResourceVector ZERO = new ResourceVector(new long[Resource.COUNT]);

  private final long[] v;

  private ResourceVector(long[] v) {
    this.v = v;
  }

  /** CPU, memory and pods; none of the other resources. */
  public static ResourceVector of(long cpuMillis, long memoryMiB, long pods) {
    long[] a = new long[Resource.COUNT];
    a[Resource.CPU.ordinal()] = cpuMillis;
    a[Resource.MEMORY.ordinal()] = memoryMiB;
    a[Resource.PODS.ordinal()] = pods;
    return new ResourceVector(a);
  }

  /** The same amount of every resource. */
  public static ResourceVector filled(long value) {
    long[] a = new long[Resource.COUNT];
    java.util.Arrays.fill(a, value);
    return new ResourceVector(a);
  }

  /** A vector from one value per resource, in {@link Resource} order. */
  public static ResourceVector of(long[] values) {
    if (values.length != Resource.COUNT) {
      throw new IllegalArgumentException(
          "need " + Resource.COUNT + " values, got " + values.length);
    }
    return new ResourceVector(values.clone());
  }

  public long get(Resource r) {
    return v[r.ordinal()];
  }

  public long get(int ordinal) {
    return v[ordinal];
  }

  public long[] toArray() {
    return v.clone();
  }

  public ResourceVector plus(ResourceVector o) {
    long[] a = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      a[i] = Math.addExact(v[i], o.v[i]);
    }
    return new ResourceVector(a);
  }

  public ResourceVector minus(ResourceVector o) {
    long[] a = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      a[i] = Math.subtractExact(v[i], o.v[i]);
    }
    return new ResourceVector(a);
  }

  /** True if every amount is at most {@code o}'s. */
  public boolean fitsIn(ResourceVector o) {
    for (int i = 0; i < v.length; i++) {
      if (v[i] > o.v[i]) {
        return false;
      }
    }
    return true;
  }

  public boolean anyNegative() {
    for (long x : v) {
      if (x < 0) {
        return true;
      }
    }
    return false;
  }

  public boolean isZero() {
    for (long x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceVector r && Arrays.equals(v, r.v);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(v);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (Resource r : Resource.values()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(r.label()).append(' ').append(r.format(v[r.ordinal()]));
    }
    return sb.append('}').toString();
  }
}
