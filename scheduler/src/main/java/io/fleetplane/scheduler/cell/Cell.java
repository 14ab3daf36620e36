package io.fleetplane.scheduler.cell;

import io.fleetplane.events.HostCommand;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Problem;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cell's placement state machine: the single writer of its hosts' ledger. Tenant commands, host
 * reports, host commands and clock ticks go in; placements, tombstones and tenant events come out
 * through a {@link CellOutput}, in the order they must be written. Pure: no Kafka, no clock of its
 * own, deterministic for the same inputs.
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

  public CapacityLedger ledger() {
    return ledger;
  }

  public Map<String, HostRecord> hosts() {
    return java.util.Collections.unmodifiableMap(hosts);
  }

  public int pendingCount() {
    return pending.size();
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
   * @param seq the request's arrival order (its offset in the cell's input)
   */
  public void create(TenantRequest r, long seq, long nowMs, CellOutput out) {
    // Every tenant of the cell is either committed in the ledger or waiting in the queue, both in
    // memory: a new tenant costs no store read.
    TenantRecord existing = holds(r.tenantId()) ? tenants.get(r.tenantId()) : null;
    if (existing != null) {
      reject(
          r, "tenant " + r.tenantId() + " already exists (" + describe(existing) + ")", nowMs, out);
      return;
    }
    Resources resources = Conversions.demandOf(r, catalogue);
    Demand d = Conversions.demand(r, resources);
    TenantRecord record =
        new TenantRecord(
            r.tenantId(),
            r,
            TenantRecord.Status.PENDING,
            null,
            0,
            seq,
            resources,
            r.requestId(),
            List.of());
    if (!pending.hasClassOf(d)) {
      Decision decision = placer.choose(d);
      if (decision instanceof Decision.Placed p) {
        commit(record, d, p.hostId(), p.reason(), TenantEvent.Type.PLACED, nowMs, out);
        return;
      }
      queue(record, d, ((Decision.Unplaceable) decision).refusals(), nowMs, out);
      return;
    }
    queue(record, d, Placer.refusals(ledger, d), nowMs, out);
  }

  /** Resizes (or re-prioritises) a tenant: in place if it fits, else moves it, else refuses. */
  public void update(TenantRequest r, long nowMs, CellOutput out) {
    TenantRecord old = tenants.get(r.tenantId());
    if (old == null) {
      reject(r, "unknown tenant " + r.tenantId() + ": nothing to update", nowMs, out);
      return;
    }
    TenantRequest spec = applyUpdate(old.spec(), r);
    Resources resources = Conversions.demandOf(spec, catalogue);
    Demand d = Conversions.demand(spec, resources);
    TenantRecord updated =
        new TenantRecord(
            old.tenantId(),
            spec,
            old.status(),
            old.clusterId(),
            old.generation(),
            old.seq(),
            resources,
            r.requestId(),
            old.events());
    if (!old.placed()) {
      pending.remove(old.tenantId());
      tenants.put(updated);
      pending.add(d, old.seq());
      retryPending(nowMs, out);
      if (pending.contains(old.tenantId())) {
        waitingReasons.put(old.tenantId(), why(Placer.refusals(ledger, d)));
        record(
            updated,
            event(
                updated,
                TenantEvent.Type.PENDING,
                null,
                "still waiting, now for " + spec.plan() + ": " + why(Placer.refusals(ledger, d)),
                nowMs),
            out);
      }
      return;
    }
    CapacityLedger.Resize resize = ledger.resize(old.tenantId(), d.resources(), d.priority());
    if (resize instanceof CapacityLedger.Resize.InPlace) {
      TenantRecord placed = withPlacement(updated, old.clusterId(), old.generation() + 1);
      out.placement(placement(placed, nowMs));
      record(
          placed,
          event(
              placed,
              TenantEvent.Type.RESIZED,
              old.clusterId(),
              "resized in place on "
                  + old.clusterId()
                  + " from "
                  + old.spec().plan()
                  + " to "
                  + spec.plan(),
              nowMs),
          out);
      retryPending(nowMs, out); // a shrink frees capacity
      return;
    }
    List<String> why = ((CapacityLedger.Resize.MustMove) resize).reasons();
    String target = placer.bestHost(d);
    if (target == null) {
      out.event(
          new TenantEvent(
              r.tenantId(),
              TenantEvent.Type.REJECTED,
              TenantEvent.Source.SCHEDULER,
              old.clusterId(),
              r.requestId(),
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
              Map.of(),
              Instant.ofEpochMilli(nowMs)));
      return;
    }
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
            + spec.plan()
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
    TenantRecord old = tenants.get(r.tenantId());
    if (old == null) {
      reject(r, "unknown tenant " + r.tenantId() + ": nothing to delete", nowMs, out);
      return;
    }
    tenants.delete(old.tenantId());
    // The RELEASED answers the DELETE: it carries the DELETE's request id.
    TenantRecord deleted = old.withRequestId(r.requestId());
    if (!old.placed()) {
      pending.remove(old.tenantId());
      waitingReasons.remove(old.tenantId());
      out.event(
          event(
              deleted, TenantEvent.Type.RELEASED, null, "deleted while waiting for a host", nowMs));
      return;
    }
    ledger.release(old.tenantId());
    out.release(old.clusterId(), old.tenantId());
    out.event(
        event(
            deleted,
            TenantEvent.Type.RELEASED,
            old.clusterId(),
            "released from " + old.clusterId(),
            nowMs));
    retryPending(nowMs, out);
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
            out.event(
                new TenantEvent(
                    t,
                    TenantEvent.Type.HOST_LOST,
                    TenantEvent.Source.SCHEDULER,
                    h.clusterId(),
                    null,
                    0,
                    "host "
                        + h.clusterId()
                        + " has not reported for "
                        + silentMs / 1000
                        + " s; the tenant stays placed there until an operator moves it",
                    List.of(),
                    Map.of(),
                    Instant.ofEpochMilli(nowMs)));
          }
        }
      }
    }
    for (HostRecord h : changed) {
      putHost(h, out);
    }
  }

  // ---- queries ---------------------------------------------------------------------------

  /** How many waiting tenants a view lists, best first. */
  public static final int WAITING_LISTED = 100;

  /** The cell now, for queries: built on the stream thread, read by others. */
  public io.fleetplane.scheduler.query.CellView view(long nowMs) {
    List<io.fleetplane.scheduler.query.HostView> hostViews = new ArrayList<>(ledger.hostCount());
    for (String id : new java.util.TreeSet<>(hosts.keySet())) {
      int slot = ledger.slotOf(id);
      HostRecord h = hosts.get(id);
      hostViews.add(
          new io.fleetplane.scheduler.query.HostView(
              id,
              h.report().region(),
              h.state().name().toLowerCase(java.util.Locale.ROOT),
              ledger.overcommitted(slot),
              h.report().allocatable(),
              // Never negative: a host whose headroom or own pods exceed what it offers has no
              // limit, and an over-committed one (flagged above) nothing free.
              nonNegative(Conversions.resources(ledger.host(slot).limit())),
              Conversions.resources(ledger.committed(slot)),
              nonNegative(
                  new Resources(ledger.free(slot, 0), ledger.free(slot, 1), ledger.free(slot, 2))),
              ledger.tenantCount(slot),
              Instant.ofEpochMilli(h.lastReportMs())));
    }
    List<io.fleetplane.scheduler.query.PendingView> waiting = new ArrayList<>();
    for (PendingQueue.Entry e : pending.first(WAITING_LISTED)) {
      TenantRecord r = tenants.get(e.demand().tenantId());
      waiting.add(
          new io.fleetplane.scheduler.query.PendingView(
              e.demand().tenantId(),
              e.demand().region(),
              r == null ? null : r.spec().plan(),
              e.demand().priority(),
              e.seq(),
              waitingReasons.get(e.demand().tenantId())));
    }
    return new io.fleetplane.scheduler.query.CellView(
        id,
        List.copyOf(hostViews),
        ledger.tenantCount(),
        pending.size(),
        List.copyOf(waiting),
        ledger.sizeCounts().stream()
            .map(
                c ->
                    new io.fleetplane.scheduler.query.SizeView(
                        Conversions.resources(c.size()), c.tenants()))
            .toList(),
        Instant.ofEpochMilli(nowMs));
  }

  // ---- internals -------------------------------------------------------------------------

  /** Why a waiting tenant waits, as its record's last PENDING event said. */
  private static java.util.Optional<String> lastPendingReason(TenantRecord t) {
    for (int i = t.events().size() - 1; i >= 0; i--) {
      if (t.events().get(i).type() == TenantEvent.Type.PENDING) {
        return java.util.Optional.of(t.events().get(i).reason());
      }
    }
    return java.util.Optional.empty();
  }

  private static Resources nonNegative(Resources r) {
    return new Resources(
        Math.max(0, r.cpuMillis()), Math.max(0, r.memoryMiB()), Math.max(0, r.pods()));
  }

  /** Whether the cell has this tenant, placed or waiting. */
  private boolean holds(String tenantId) {
    return pending.contains(tenantId) || ledger.hostOf(tenantId) != null;
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
    TenantRecord placed = withPlacement(record, hostId, record.generation() + 1);
    out.placement(placement(placed, nowMs));
    record(placed, event(placed, type, hostId, reason, nowMs), out);
  }

  /** Keeps the record with the event in it, and emits the event. */
  private void record(TenantRecord r, TenantEvent e, CellOutput out) {
    tenants.put(r.withEvent(e));
    out.recordedEvent(e);
  }

  private void queue(TenantRecord record, Demand d, Refusals refusals, long nowMs, CellOutput out) {
    pending.add(d, record.seq());
    waitingReasons.put(record.tenantId(), why(refusals));
    record(
        record,
        new TenantEvent(
            record.tenantId(),
            TenantEvent.Type.PENDING,
            TenantEvent.Source.SCHEDULER,
            null,
            record.requestId(),
            0,
            why(refusals),
            List.of(),
            refusals.counts(),
            Instant.ofEpochMilli(nowMs)),
        out);
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

  private static void reject(TenantRequest r, String reason, long nowMs, CellOutput out) {
    out.event(
        new TenantEvent(
            r.tenantId(),
            TenantEvent.Type.REJECTED,
            TenantEvent.Source.SCHEDULER,
            null,
            r.requestId(),
            0,
            reason,
            List.of(new Problem("tenantId", reason)),
            Map.of(),
            Instant.ofEpochMilli(nowMs)));
  }

  private static TenantRecord withPlacement(TenantRecord r, String clusterId, long generation) {
    return new TenantRecord(
        r.tenantId(),
        r.spec(),
        TenantRecord.Status.PLACED,
        clusterId,
        generation,
        r.seq(),
        r.resources(),
        r.requestId(),
        r.events());
  }

  private static Placement placement(TenantRecord r, long nowMs) {
    TenantRequest s = r.spec();
    return new Placement(
        r.tenantId(),
        r.clusterId(),
        r.generation(),
        s.plan(),
        s.datastore(),
        s.isolation(),
        r.resources(),
        s.highAvailability(),
        s.storageGi(),
        s.effectivePriority(),
        r.requestId(),
        Instant.ofEpochMilli(nowMs));
  }

  private static TenantEvent event(
      TenantRecord r, TenantEvent.Type type, String clusterId, String reason, long nowMs) {
    return new TenantEvent(
        r.tenantId(),
        type,
        TenantEvent.Source.SCHEDULER,
        clusterId,
        r.requestId(),
        r.generation(),
        reason,
        List.of(),
        Map.of(),
        Instant.ofEpochMilli(nowMs));
  }

  private static String describe(TenantRecord r) {
    return r.placed() ? "placed on " + r.clusterId() : "waiting for a host";
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
