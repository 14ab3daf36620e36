package io.fleetplane.scheduler.cell;

import java.util.List;

/**
 * The intake stage's record of a tenant id: which cell holds it (so UPDATE and DELETE need not
 * repeat the region), whether it exists, and its incarnation: the requestId of the CREATE that made
 * it (the last one, if the id was deleted since). Request ids are remembered apart, in the intake's
 * request-id store.
 *
 * @param incarnation null for tenants created before incarnations were recorded
 * @param legacyRequestIds request ids an earlier version kept in the entry itself (at most 32);
 *     still honoured, and moved to the request-id store when the entry is next written
 */
public record DirectoryEntry(
    String cell,
    boolean live,
    String incarnation,
    @com.fasterxml.jackson.annotation.JsonAlias("recentRequestIds") List<String> legacyRequestIds) {

  public DirectoryEntry {
    legacyRequestIds = legacyRequestIds == null ? List.of() : List.copyOf(legacyRequestIds);
  }

  public static DirectoryEntry of(String cell, boolean live, String incarnation) {
    return new DirectoryEntry(cell, live, incarnation, List.of());
  }

  public static final DirectoryEntry NONE = of(null, false, null);
}
