package io.fleetplane.events;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Immutable copies that keep a stable order, so equal events encode to equal bytes. */
final class Collections2 {

  private Collections2() {}

  static SortedMap<String, String> sortedCopy(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return Collections.emptySortedMap();
    }
    return Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
