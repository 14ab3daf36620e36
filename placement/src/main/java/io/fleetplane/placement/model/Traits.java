package io.fleetplane.placement.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a host offers that does not change with its load: where it is, its labels and taints, its
 * capabilities. Filters that look only at these give the same answer for every host with equal
 * traits, which is what lets the index group hosts into pools.
 *
 * @param zones the zones the host's nodes span
 * @param datastoreModes "dedicated-etcd", "shared-etcd", "kine"
 */
public record Traits(
    String region,
    SortedSet<String> zones,
    SortedMap<String, String> labels,
    List<Taint> taints,
    boolean gvisor,
    SortedSet<String> datastoreModes) {

  public Traits {
    zones = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(zones));
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    taints = List.copyOf(taints);
    datastoreModes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(datastoreModes));
  }

  public static Traits of(
      String region,
      Set<String> zones,
      Map<String, String> labels,
      List<Taint> taints,
      boolean gvisor,
      Set<String> datastoreModes) {
    return new Traits(
        region,
        new TreeSet<>(zones),
        new TreeMap<>(labels),
        taints,
        gvisor,
        new TreeSet<>(datastoreModes));
  }
}
