package io.fleetplane.scheduler.cell;

import io.fleetplane.events.TenantRequest;
import java.util.function.UnaryOperator;

/**
 * The tenant directory's rule, pure: given what the directory knows of a tenant id and a new
 * (valid, not repeated) request for it, accept the request for a cell, with the entry to keep, or
 * refuse it with a reason.
 *
 * <ul>
 *   <li>CREATE: only for an id that is not live; starts a new incarnation, named by its requestId.
 *   <li>UPDATE, DELETE: only for a live id; if the request names an {@code incarnation}, only for
 *       that one (a request aimed at a tenant that has since been deleted and created again must
 *       not touch the new one). DELETE leaves the id not live.
 * </ul>
 */
public final class Directory {

  private Directory() {}

  /** What to do with a request. */
  public sealed interface Verdict {}

  /** Route to {@code cell}; the directory keeps {@code next}. */
  public record Accept(String cell, DirectoryEntry next) implements Verdict {}

  /**
   * Refuse: {@code category} is a metric label (a few fixed words), {@code reason} for a person.
   */
  public record Refuse(String category, String reason) implements Verdict {}

  /** What the rule says of an operation on a tenant id that is, or is not, live. */
  public enum Conflict {
    /** Allowed. */
    NONE,
    /** A CREATE of a live tenant. */
    EXISTS,
    /** An UPDATE or DELETE of a tenant that is not live. */
    UNKNOWN
  }

  /** The rule itself: CREATE needs an id that is not live, UPDATE and DELETE one that is. */
  public static Conflict conflict(boolean live, io.fleetplane.events.Op op) {
    if (op == io.fleetplane.events.Op.CREATE) {
      return live ? Conflict.EXISTS : Conflict.NONE;
    }
    return live ? Conflict.NONE : Conflict.UNKNOWN;
  }

  public static Verdict decide(
      DirectoryEntry entry, TenantRequest r, UnaryOperator<String> cellOfRegion) {
    String id = r.tenantId();
    String verb = r.op().name().toLowerCase(java.util.Locale.ROOT);
    if (r.op() != io.fleetplane.events.Op.CREATE
        && r.incarnation() != null
        && entry.incarnation() != null
        && !r.incarnation().equals(entry.incarnation())) {
      return new Refuse(
          "stale_incarnation",
          "the "
              + verb
              + " is for tenant "
              + id
              + " as created by request "
              + r.incarnation()
              + ", but that tenant was deleted and "
              + id
              + " is now "
              + (entry.live()
                  ? "the one created by request " + entry.incarnation()
                  : "deleted (last created by request " + entry.incarnation() + ")")
              + ": nothing was changed");
    }
    return switch (conflict(entry.live(), r.op())) {
      case EXISTS ->
          new Refuse(
              "already_exists",
              "tenant " + id + " already exists (in region cell " + entry.cell() + ")");
      case UNKNOWN ->
          new Refuse(
              "unknown_tenant",
              entry.incarnation() != null || entry.cell() != null
                  ? "tenant " + id + " was deleted: nothing to " + verb
                  : "unknown tenant " + id + ": nothing to " + verb);
      case NONE -> {
        String cell =
            r.op() == io.fleetplane.events.Op.CREATE
                ? cellOfRegion.apply(r.region())
                : entry.cell();
        String incarnation =
            r.op() == io.fleetplane.events.Op.CREATE ? r.requestId() : entry.incarnation();
        yield new Accept(
            cell, DirectoryEntry.of(cell, r.op() != io.fleetplane.events.Op.DELETE, incarnation));
      }
    };
  }
}
