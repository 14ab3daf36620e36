package io.fleetplane.scheduler.streams;

import java.util.ArrayList;
import java.util.List;

/**
 * The intake stage's record of a tenant: which cell holds it (so UPDATE and DELETE need not repeat
 * the region), whether it exists, and its last request ids (to drop repeats).
 */
public record DirectoryEntry(String cell, boolean live, List<String> recentRequestIds) {

  /** How many request ids are remembered per tenant: retries come soon after the original. */
  static final int REMEMBERED = 32;

  boolean seen(String requestId) {
    return recentRequestIds.contains(requestId);
  }

  DirectoryEntry with(String cell, boolean live, String requestId) {
    List<String> ids = new ArrayList<>(recentRequestIds);
    ids.add(requestId);
    if (ids.size() > REMEMBERED) {
      ids.remove(0);
    }
    return new DirectoryEntry(cell, live, List.copyOf(ids));
  }

  static DirectoryEntry none() {
    return new DirectoryEntry(null, false, List.of());
  }
}
