package io.fleetplane.scheduler.cell;

import io.fleetplane.events.HostCommand;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.placement.Placer;
import io.fleetplane.placement.ledger.CapacityLedger;
import io.fleetplane.placement.model.Decision;
import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Refusals;
import io.fleetplane.placement.score.ScoringPolicies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One cell's placement state machine: the single writer of its hosts' ledger. Tenant commands, host
 * reports, host commands and clock ticks go in; placements, tombstones and tenant events come out
 * through a {@link CellOutput}, in the order they must be written. Pure: no Kafka, no clock of its
 * own, deterministic for the same inputs. It decides; {@link TenantEvents} and {@link TenantRecord}
 * spell what it decided, and the query side builds views from what it exposes.
 *
 * <p>Tenants wait in a {@link PendingQueue} when nothing fits, and are retried — in priority then
 * arrival order — whenever capacity may have appeared: a host report (new or grown host), a
 * release, an uncordon.
 */
public final class Cell {

  private final String id;
  private final CellConfig config;
  private final PlanCatalogue catalogue;
  private final TenantRepository tenants;
  private final CapacityLedger ledger = new CapacityLedger();
  private final Placer placer;
  private final Map<String, HostRecord> hosts = new HashMap<>();
  private final PendingQueue pending = new PendingQueue();

  /** Why each waiting tenant waits (its last PENDING reason), for queries. */
  private final Map<String, String> waitingReasons = new HashMap<>();

  public Cell(String id, CellConfig config, PlanCatalogue catalogue, TenantRepository tenants) {
    this.id = id;
    this.config = config;
    this.catalogue = catalogue;
    this.tenants = tenants;
    this.placer = new Placer(ledger, ScoringPolicies.byName(config.policy()));
  }

  public String id() {
    return id;
  }

  // ---- restoring -------------------------------------------------------------------------

  /**
   * Rebuilds the cell from its stored hosts and tenants (after a restart or rebalance): hosts
   * first, then every tenant's commitment or place in the queue.
   */
  public void restore(Iterable<HostRecord> hostRecords, Iterable<TenantRecord> tenantRecords) {
    for (HostRecord h : hostRecords) {
      hosts.put(h.clusterId(), h);
      ledger.upsertHost(Conversions.host(h, config));
    }
    for (TenantRecord t : tenantRecords) {
      Demand d = Conversions.demand(t.spec(), t.resources());
      if (t.placed()) {
        ledger.restore(
            t.tenantId(), t.clusterId(), d.resources(), d.priority(), d.usesSharedEtcd());
      } else {
        pending.add(d, t.seq());
        lastPendingReason(t).ifPresent(why -> waitingReasons.put(t.tenantId(), why));
      }
    }
  }

  // ---- tenants ---------------------------------------------------------------------------

  /**
   * Places a new tenant, or queues it with the reasons no host takes it.
   *
   * @param json the bytes the request was accepted from, kept with the tenant's record
   * @param seq the request's arrival order (its offset in the cell's input)
   */
  public void create(TenantRequest r, byte[] json, long seq, long nowMs, CellOutput out) {
    // Every tenant of the cell is either committed in the ledger or waiting in the queue, both in
    // memory: a new tenant costs no store read.
    if (Directory.conflict(holds(r.tenantId()), r.op()) == Directory.Conflict.EXISTS) {
      TenantRecord existing = tenants.get(r.tenantId());
      out.event(
          TenantEvents.rejected(
              r,
              "tenant " + r.tenantId() + " already exists (" + existing.whereabouts() + ")",
              nowMs));
      return;
    }
    Resources resources = Conversions.demandOf(r, catalogue);
    Demand d = Conversions.demand(r, resources);
    TenantRecord record = TenantRecord.waiting(r, json, seq, resources);
    if (pending.hasClassOf(d)) {
      queue(record, d, Placer.refusals(ledger, d), nowMs, out);
      return;
    }
    Decision decision = placer.choose(d);
    if (decision instanceof Decision.Placed p) {
      commit(record, d, p.hostId(), p.reason(), TenantEvent.Type.PLACED, nowMs, out);
    } else {
      queue(record, d, ((Decision.Unplaceable) decision).refusals(), nowMs, out);
    }
  }

  /**
   * Resizes (or re-prioritises) a tenant: while it waits, in its place in the queue; when placed,
   * in place if it fits, else by a move to a host that takes it, else not at all.
   */
  public void update(TenantRequest r, long nowMs, CellOutput out) {
    Optional<TenantRecord> known = known(r, "update", nowMs, out);
    if (known.isEmpty()) {
      return;
    }
    TenantRecord old = known.get();
    TenantRequest spec = applyUpdate(old.spec(), r);
    Resources resources = Conversions.demandOf(spec, catalogue);
    Demand d = Conversions.demand(spec, resources);
    TenantRecord updated = old.respecified(spec, resources, r.requestId());
    if (!old.placed()) {
      updateWaiting(updated, d, nowMs, out);
      return;
    }
    CapacityLedger.Resize resize = ledger.resize(old.tenantId(), d.resources(), d.priority());
    if (resize instanceof CapacityLedger.Resize.InPlace) {
      resizeInPlace(old, updated, nowMs, out);
      return;
    }
    List<String> why = ((CapacityLedger.Resize.MustMove) resize).reasons();
    String target = placer.bestHost(d);
    if (target == null) {
      out.event(
          TenantEvents.rejected(
              r,
              old.clusterId(),
              old.generation(),
              "cannot resize to "
                  + spec.plan()
                  + ": it does not fit on "
                  + old.clusterId()
                  + " ("
                  + String.join(", ", why)
                  + ") and no other host takes it ("
                  + why(Placer.refusals(ledger, d))
                  + "); it stays as it was",
              List.of(),
              nowMs));
      return;
    }
    moveToGrow(old, updated, d, target, why, nowMs, out);
  }

  /** A waiting tenant's new needs: it keeps its place in the queue, and may fit now. */
  private void updateWaiting(TenantRecord updated, Demand d, long nowMs, CellOutput out) {
    pending.remove(updated.tenantId());
    tenants.put(updated);
    pending.add(d, updated.seq());
    retryPending(nowMs, out);
    if (pending.contains(updated.tenantId())) {
      Refusals refusals = Placer.refusals(ledger, d);
      waitingReasons.put(updated.tenantId(), why(refusals));
      record(
          updated,
          TenantEvents.pending(
              updated,
              "still waiting, now for " + updated.spec().plan() + ": " + why(refusals),
              refusals,
              nowMs),
          out);
    }
  }

  private void resizeInPlace(TenantRecord old, TenantRecord updated, long nowMs, CellOutput out) {
    TenantRecord placed = updated.placedOn(old.clusterId());
    out.placement(placed.placement(nowMs));
    record(
        placed,
        TenantEvents.of(
            placed,
            TenantEvent.Type.RESIZED,
            old.clusterId(),
            "resized in place on "
                + old.clusterId()
                + " from "
                + old.spec().plan()
                + " to "
                + updated.spec().plan(),
            nowMs),
        out);
    retryPending(nowMs, out); // a shrink frees capacity
  }

  private void moveToGrow(
      TenantRecord old,
      TenantRecord updated,
      Demand d,
      String target,
      List<String> why,
      long nowMs,
      CellOutput out) {
    ledger.release(old.tenantId());
    out.release(old.clusterId(), old.tenantId());
    commit(
        updated,
        d,
        target,
        "moved from "
            + old.clusterId()
            + " to "
            + target
            + " to grow to "
            + updated.spec().plan()
            + " ("
            + String.join(", ", why)
            + " on "
            + old.clusterId()
            + ")",
        TenantEvent.Type.MOVED,
        nowMs,
        out);
    retryPending(nowMs, out);
  }

  /** Releases a tenant (or drops it from the queue). */
  public void delete(TenantRequest r, long nowMs, CellOutput out) {
    Optional<TenantRecord> known = known(r, "delete", nowMs, out);
    if (known.isEmpty()) {
      return;
    }
    TenantRecord old = known.get();
    tenants.delete(old.tenantId());
    // The RELEASED answers the DELETE: it carries the DELETE's request id.
    TenantRecord deleted = old.withRequestId(r.requestId());
    if (!old.placed()) {
      pending.remove(old.tenantId());
      waitingReasons.remove(old.tenantId());
      out.event(
          TenantEvents.of(
              deleted, TenantEvent.Type.RELEASED, null, "deleted while waiting for a host", nowMs));
      return;
    }
    ledger.release(old.tenantId());
    out.release(old.clusterId(), old.tenantId());
    out.event(
        TenantEvents.of(
            deleted,
            TenantEvent.Type.RELEASED,
            old.clusterId(),
            "released from " + old.clusterId(),
            nowMs));
    retryPending(nowMs, out);
  }

  /** The tenant an UPDATE or DELETE names, or a REJECTED saying the cell does not hold it. */
  private Optional<TenantRecord> known(TenantRequest r, String verb, long nowMs, CellOutput out) {
    TenantRecord old = holds(r.tenantId()) ? tenants.get(r.tenantId()) : null;
    if (Directory.conflict(old != null, r.op()) == Directory.Conflict.UNKNOWN) {
      out.event(
          TenantEvents.rejected(
              r, "unknown tenant " + r.tenantId() + ": nothing to " + verb, nowMs));
      return Optional.empty();
    }
    return Optional.of(old);
  }

  // ---- hosts -----------------------------------------------------------------------------

  /** Folds an agent's report into the ledger; a new or grown host may take waiting tenants. */
  public void hostReport(HostReport report, long nowMs, CellOutput out) {
    HostRecord prev = hosts.get(report.clusterId());
    HostRecord next =
        prev == null
            ? new HostRecord(report.clusterId(), report, nowMs, null, false, false)
            : prev.withReport(report, nowMs);
    putHost(next, out);
    retryPending(nowMs, out);
  }

  /** Cordons or uncordons a host. */
  public void hostCommand(HostCommand command, long nowMs, CellOutput out) {
    HostRecord prev = hosts.get(command.clusterId());
    if (prev == null) {
      return; // the intake stage refuses commands for hosts it has never heard of
    }
    boolean cordon = command.command() == HostCommand.Command.CORDON;
    putHost(prev.withCordon(cordon ? command.reason() : null), out);
    if (!cordon) {
      retryPending(nowMs, out);
    }
  }

  /**
   * Marks silent hosts: unreachable (no new tenants) after {@code unreachableAfter}, lost (an event
   * for each of its tenants, which stay placed) after {@code lostAfter}.
   */
  public void tick(long nowMs, CellOutput out) {
    List<HostRecord> changed = new ArrayList<>();
    for (HostRecord h : new TreeMap<>(hosts).values()) {
      long silentMs = nowMs - h.lastReportMs();
      boolean unreachable = silentMs > config.unreachableAfter().toMillis();
      boolean lost = silentMs > config.lostAfter().toMillis();
      if (unreachable != h.unreachable() || lost != h.lost()) {
        changed.add(h.withSilence(unreachable, lost));
        if (lost && !h.lost()) {
          for (String t : ledger.tenantsOn(h.clusterId())) {
            out.event(TenantEvents.hostLost(t, h.clusterId(), silentMs, nowMs));
          }
        }
      }
    }
    for (HostRecord h : changed) {
      putHost(h, out);
    }
  }

  // ---- what queries read (on the stream thread; views are built from it) ------------------

  public CapacityLedger ledger() {
    return ledger;
  }

  public Map<String, HostRecord> hosts() {
    return Collections.unmodifiableMap(hosts);
  }

  public int pendingCount() {
    return pending.size();
  }

  /** A tenant waiting for a host, and why. */
  public record Waiting(
      String tenantId, String region, String plan, int priority, long seq, String reason) {}

  /** The first {@code n} waiting tenants, best first. */
  public List<Waiting> waiting(int n) {
    List<Waiting> out = new ArrayList<>();
    for (PendingQueue.Entry e : pending.first(n)) {
      TenantRecord r = tenants.get(e.demand().tenantId());
      out.add(
          new Waiting(
              e.demand().tenantId(),
              e.demand().region(),
              r == null ? null : r.spec().plan(),
              e.demand().priority(),
              e.seq(),
              waitingReasons.get(e.demand().tenantId())));
    }
    return out;
  }

  // ---- internals -------------------------------------------------------------------------

  /** Whether the cell has this tenant, placed or waiting. */
  private boolean holds(String tenantId) {
    return pending.contains(tenantId) || ledger.hostOf(tenantId) != null;
  }

  /** Why a waiting tenant waits, as its record's last PENDING event said. */
  private static Optional<String> lastPendingReason(TenantRecord t) {
    for (int i = t.events().size() - 1; i >= 0; i--) {
      if (t.events().get(i).type() == TenantEvent.Type.PENDING) {
        return Optional.of(t.events().get(i).reason());
      }
    }
    return Optional.empty();
  }

  private void putHost(HostRecord record, CellOutput out) {
    hosts.put(record.clusterId(), record);
    ledger.upsertHost(Conversions.host(record, config));
    out.host(record);
  }

  private void retryPending(long nowMs, CellOutput out) {
    if (pending.size() == 0) {
      return;
    }
    pending.drain(
        head -> {
          String host = placer.bestHost(head.demand());
          if (host == null) {
            return false;
          }
          TenantRecord record = tenants.get(head.demand().tenantId());
          commit(
              record,
              head.demand(),
              host,
              "placed on " + host + " after waiting: capacity appeared",
              TenantEvent.Type.PLACED,
              nowMs,
              out);
          return true;
        });
  }

  private void commit(
      TenantRecord record,
      Demand d,
      String hostId,
      String reason,
      TenantEvent.Type type,
      long nowMs,
      CellOutput out) {
    ledger.commit(d.tenantId(), hostId, d.resources(), d.priority(), d.usesSharedEtcd());
    waitingReasons.remove(d.tenantId());
    TenantRecord placed = record.placedOn(hostId);
    out.placement(placed.placement(nowMs));
    record(placed, TenantEvents.of(placed, type, hostId, reason, nowMs), out);
  }

  /** Keeps the record with the event in it, and emits the event. */
  private void record(TenantRecord r, TenantEvent e, CellOutput out) {
    tenants.put(r.withEvent(e));
    out.recordedEvent(e);
  }

  private void queue(TenantRecord record, Demand d, Refusals refusals, long nowMs, CellOutput out) {
    pending.add(d, record.seq());
    waitingReasons.put(record.tenantId(), why(refusals));
    record(record, TenantEvents.pending(record, why(refusals), refusals, nowMs), out);
  }

  /**
   * Why no host takes a tenant, for a person: the refusals per reason, or, in a region no host has
   * ever reported in, that (a misspelt region would otherwise look like a full one).
   */
  private String why(Refusals refusals) {
    if (ledger.hostCount() == 0) {
      return "no host cluster has reported in region "
          + id
          + ": the tenant waits until one does (is the region's name right?)";
    }
    return refusals.message();
  }

  /** The CREATE spec with an UPDATE's plan, priority and storage applied. */
  static TenantRequest applyUpdate(TenantRequest spec, TenantRequest update) {
    return new TenantRequest(
        spec.op(),
        spec.tenantId(),
        update.requestId(),
        update.plan() != null ? update.plan() : spec.plan(),
        spec.datastore(),
        spec.isolation(),
        spec.region(),
        spec.requiredLabels(),
        spec.tolerations(),
        spec.highAvailability(),
        update.storageGi() != null ? update.storageGi() : spec.storageGi(),
        update.priority() != null ? update.priority() : spec.priority(),
        spec.requestedAt(),
        spec.incarnation());
  }
}
