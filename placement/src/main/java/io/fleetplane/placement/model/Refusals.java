package io.fleetplane.placement.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Why hosts were refused, counted per reason, the way kube-scheduler says it: "0/1000 hosts
 * available: 612 insufficient memory, 388 not in region eu-west". A host refused for several
 * reasons counts under each.
 *
 * @param hosts hosts considered
 * @param available hosts that passed every filter
 */
public record Refusals(int hosts, int available, SortedMap<String, Long> counts) {

  public Refusals {
    counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
  }

  public String message() {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    // Most common first; equal counts in name order, so the message is deterministic.
    entries.sort(
        (a, b) ->
            a.getValue().equals(b.getValue())
                ? a.getKey().compareTo(b.getKey())
                : Long.compare(b.getValue(), a.getValue()));
    StringBuilder sb =
        new StringBuilder()
            .append(available)
            .append('/')
            .append(hosts)
            .append(hosts == 1 ? " host" : " hosts")
            .append(" available");
    String sep = ": ";
    for (Map.Entry<String, Long> e : entries) {
      sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
      sep = ", ";
    }
    if (hosts == 0) {
      sb.append(": no host clusters known");
    }
    return sb.toString();
  }
}
