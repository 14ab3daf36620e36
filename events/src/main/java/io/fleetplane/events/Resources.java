package io.fleetplane.events;

import java.util.Arrays;
import java.util.Map;

/**
 * An amount of every {@link Dimension}: CPU in millicores, memory in MiB, pod slots, storage in
 * GiB. On the wire: {@code {"cpuMillis":500,"memoryMiB":1024,"pods":3,"storageGiB":2}}. Code that
 * does not mean one dimension in particular iterates {@link Dimension#values()}.
 *
 * <p>A host's allocatable storage may be {@link #UNREPORTED}: an agent that cannot tell does not
 * limit it. Only {@link #reported} says so; arithmetic on an unreported amount is a mistake.
 */
public final class Resources {

  /** An amount the host did not report (never on the wire; only where absence means "unknown"). */
  public static final long UNREPORTED = -1;

  public static final Resources ZERO = new Resources(new long[Dimension.COUNT]);

  /** Beyond these an amount is wrong, not large: {@link Dimension#max()} of each. */
  public static final Resources MAX;

  static {
    long[] max = new long[Dimension.COUNT];
    for (Dimension d : Dimension.values()) {
      max[d.ordinal()] = d.max();
    }
    MAX = new Resources(max);
  }

  private final long[] amounts;

  private Resources(long[] amounts) {
    this.amounts = amounts;
  }

  /** CPU, memory and pods; no storage. */
  public Resources(long cpuMillis, long memoryMiB, long pods) {
    this(new long[Dimension.COUNT]);
    amounts[Dimension.CPU.ordinal()] = cpuMillis;
    amounts[Dimension.MEMORY.ordinal()] = memoryMiB;
    amounts[Dimension.PODS.ordinal()] = pods;
  }

  /**
   * A host's allocatable as an agent that does not report storage says it: CPU, memory and pods,
   * storage {@link #UNREPORTED} (not limited).
   */
  public static Resources allocatable(long cpuMillis, long memoryMiB, long pods) {
    return new Resources(cpuMillis, memoryMiB, pods).with(Dimension.STORAGE, UNREPORTED);
  }

  /** One value per dimension, in {@link Dimension} order. */
  public static Resources of(long[] values) {
    if (values.length != Dimension.COUNT) {
      throw new IllegalArgumentException(
          "need " + Dimension.COUNT + " amounts, got " + values.length);
    }
    return new Resources(values.clone());
  }

  /** The named amounts; the others 0. */
  public static Resources of(Map<Dimension, Long> amounts) {
    long[] a = new long[Dimension.COUNT];
    amounts.forEach((d, v) -> a[d.ordinal()] = v);
    return new Resources(a);
  }

  public long get(Dimension d) {
    return amounts[d.ordinal()];
  }

  public boolean reported(Dimension d) {
    return amounts[d.ordinal()] != UNREPORTED;
  }

  /** This amount with {@code d} set to {@code value}. */
  public Resources with(Dimension d, long value) {
    long[] a = amounts.clone();
    a[d.ordinal()] = value;
    return new Resources(a);
  }

  public long[] toArray() {
    return amounts.clone();
  }

  public long cpuMillis() {
    return get(Dimension.CPU);
  }

  public long memoryMiB() {
    return get(Dimension.MEMORY);
  }

  public long pods() {
    return get(Dimension.PODS);
  }

  public long storageGiB() {
    return get(Dimension.STORAGE);
  }

  /** The sum, dimension by dimension; unknown plus anything stays {@link #UNREPORTED}. */
  public Resources plus(Resources other) {
    long[] a = new long[Dimension.COUNT];
    for (int i = 0; i < a.length; i++) {
      a[i] =
          amounts[i] == UNREPORTED || other.amounts[i] == UNREPORTED
              ? UNREPORTED
              : amounts[i] + other.amounts[i];
    }
    return new Resources(a);
  }

  /** Each amount times {@code factor}; an {@link #UNREPORTED} one stays so. */
  public Resources times(long factor) {
    long[] a = new long[Dimension.COUNT];
    for (int i = 0; i < a.length; i++) {
      a[i] = amounts[i] == UNREPORTED ? UNREPORTED : amounts[i] * factor;
    }
    return new Resources(a);
  }

  /** Any amount below zero that is not {@link #UNREPORTED}. */
  public boolean anyNegative() {
    for (long v : amounts) {
      if (v < 0 && v != UNREPORTED) {
        return true;
      }
    }
    return false;
  }

  /** As JSON: the wire names, {@code UNREPORTED} amounts left out. */
  @com.fasterxml.jackson.annotation.JsonValue
  public Map<String, Long> asMap() {
    Map<String, Long> m = new java.util.LinkedHashMap<>();
    for (Dimension d : Dimension.values()) {
      if (reported(d)) {
        m.put(d.wire(), get(d));
      }
    }
    return m;
  }

  /**
   * From JSON written by {@link #asMap} (the scheduler's stores, its REST answers): a dimension
   * left out is {@link #UNREPORTED} if optional (values written before it existed), 0 if required.
   */
  @com.fasterxml.jackson.annotation.JsonCreator
  public static Resources fromMap(Map<String, Long> m) {
    long[] a = new long[Dimension.COUNT];
    for (Dimension d : Dimension.values()) {
      Long v = m.get(d.wire());
      a[d.ordinal()] = v != null ? v : d.required() ? 0 : UNREPORTED;
    }
    return new Resources(a);
  }

  /** This amount with every {@link #UNREPORTED} one counted as 0. */
  public Resources reportedOrZero() {
    long[] a = null;
    for (int i = 0; i < amounts.length; i++) {
      if (amounts[i] == UNREPORTED) {
        if (a == null) {
          a = amounts.clone();
        }
        a[i] = 0;
      }
    }
    return a == null ? this : new Resources(a);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resources r && Arrays.equals(amounts, r.amounts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(amounts);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Resources[");
    for (Dimension d : Dimension.values()) {
      if (sb.length() > 10) {
        sb.append(", ");
      }
      long v = get(d);
      sb.append(d.wire()).append('=').append(v == UNREPORTED ? "unreported" : Long.toString(v));
    }
    return sb.append(']').toString();
  }
}
