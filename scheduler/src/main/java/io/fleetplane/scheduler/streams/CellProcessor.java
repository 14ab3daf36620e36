package io.fleetplane.scheduler.streams;

import io.fleetplane.events.Placement;
import io.fleetplane.events.PlacementKey;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.scheduler.cell.Cell;
import io.fleetplane.scheduler.cell.CellConfig;
import io.fleetplane.scheduler.cell.CellOutput;
import io.fleetplane.scheduler.cell.HostRecord;
import io.fleetplane.scheduler.cell.TenantRecord;
import io.fleetplane.scheduler.cell.TenantRepository;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.CellViews;
import io.fleetplane.scheduler.query.LocalCells;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Placement, partitioned by cell: drives the {@link Cell}s of its partition. The cells' state is
 * their stores' (tenants, hosts); on start the cells are rebuilt from them, so with exactly-once
 * the ledger can never disagree with the placements written.
 */
final class CellProcessor implements Processor<String, CellCommand, String, Routed> {

  private final CellConfig config;
  private final PlanCatalogue catalogue;
  private final UnaryOperator<String> cellOfRegion;
  private final Duration tick;
  private final LocalCells views;
  private final FleetMetrics metrics;
  private final Map<String, Cell> cells = new TreeMap<>();
  private ProcessorContext<String, Routed> ctx;
  private KeyValueStore<String, TenantRecord> tenantStore;
  private KeyValueStore<String, HostRecord> hostStore;
  private TenantRepository repository;

  CellProcessor(
      CellConfig config,
      PlanCatalogue catalogue,
      UnaryOperator<String> cellOfRegion,
      Duration tick,
      LocalCells views,
      FleetMetrics metrics) {
    this.config = config;
    this.catalogue = catalogue;
    this.cellOfRegion = cellOfRegion;
    this.tick = tick;
    this.views = views;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.ctx = context;
    this.tenantStore = context.getStateStore(StoreNames.TENANTS);
    this.hostStore = context.getStateStore(StoreNames.HOSTS);
    this.repository = new StoreRepository(tenantStore);
    restore();
    publishViews(context.currentSystemTimeMs());
    // Queries read views, not the cells: published from this thread once a second.
    context.schedule(VIEW_EVERY, PunctuationType.WALL_CLOCK_TIME, this::publishViews);
    context.schedule(
        tick,
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          Output out = new Output(now);
          for (Cell cell : cells.values()) {
            cell.tick(now, out);
          }
        });
  }

  private void restore() {
    Map<String, List<HostRecord>> hosts = new TreeMap<>();
    try (KeyValueIterator<String, HostRecord> it = hostStore.all()) {
      while (it.hasNext()) {
        HostRecord h = it.next().value;
        hosts
            .computeIfAbsent(cellOfRegion.apply(h.report().region()), k -> new ArrayList<>())
            .add(h);
      }
    }
    Map<String, List<TenantRecord>> tenants = new TreeMap<>();
    try (KeyValueIterator<String, TenantRecord> it = tenantStore.all()) {
      while (it.hasNext()) {
        TenantRecord t = it.next().value;
        tenants
            .computeIfAbsent(cellOfRegion.apply(t.spec().region()), k -> new ArrayList<>())
            .add(t);
      }
    }
    // Every cell that has hosts or tenants: a region no host has reported in yet still holds its
    // waiting tenants, to be placed when one does.
    java.util.Set<String> ids = new java.util.TreeSet<>(hosts.keySet());
    ids.addAll(tenants.keySet());
    for (String id : ids) {
      cell(id).restore(hosts.getOrDefault(id, List.of()), tenants.getOrDefault(id, List.of()));
    }
  }

  static final Duration VIEW_EVERY = Duration.ofSeconds(1);

  private void publishViews(long now) {
    List<CellView> published = new ArrayList<>(cells.size());
    for (Cell cell : cells.values()) {
      CellView view = CellViews.of(cell, now);
      views.publish(view);
      published.add(view);
    }
    metrics.hosts(published);
  }

  @Override
  public void close() {
    for (String id : cells.keySet()) {
      views.forget(id);
      metrics.forget(id);
    }
  }

  private Cell cell(String id) {
    return cells.computeIfAbsent(id, k -> new Cell(k, config, catalogue, repository));
  }

  @Override
  public void process(org.apache.kafka.streams.processor.api.Record<String, CellCommand> rec) {
    Cell cell = cell(rec.key());
    long now = ctx.currentSystemTimeMs();
    Output out = new Output(rec.timestamp());
    CellCommand c = rec.value();
    if (c instanceof CellCommand.Tenant t) {
      TenantRequest r = t.request();
      long t0 = System.nanoTime();
      switch (r.op()) {
        case CREATE ->
            cell.create(r, t.json(), ctx.recordMetadata().orElseThrow().offset(), now, out);
        case UPDATE -> cell.update(r, now, out);
        case DELETE -> cell.delete(r, now, out);
      }
      metrics.decisionNanos(System.nanoTime() - t0);
    } else if (c instanceof CellCommand.Report r) {
      cell.hostReport(r.report(), now, out);
    } else if (c instanceof CellCommand.Command hc) {
      cell.hostCommand(hc.command(), now, out);
    }
  }

  /** Forwards what a cell decides, and persists its hosts. */
  private final class Output implements CellOutput {
    private final long timestamp;

    Output(long timestamp) {
      this.timestamp = timestamp;
    }

    @Override
    public void placement(Placement p) {
      forward(p.key(), new Routed.Place(p));
    }

    @Override
    public void release(String clusterId, String tenantId) {
      forward(PlacementKey.of(clusterId, tenantId), new Routed.Release(clusterId, tenantId));
    }

    @Override
    public void event(TenantEvent e) {
      count(e);
      forward(e.tenantId(), new Routed.Event(e));
    }

    @Override
    public void recordedEvent(TenantEvent e) {
      count(e);
      ctx.forward(
          new org.apache.kafka.streams.processor.api.Record<>(
              e.tenantId(),
              (Routed) new Routed.Event(e),
              timestamp,
              TenantHistory.recordedElsewhere()));
    }

    private void count(TenantEvent e) {
      metrics.outcome(e.type());
      if (e.type() == TenantEvent.Type.REJECTED) {
        metrics.rejected("refused_by_cell");
      }
    }

    @Override
    public void host(HostRecord r) {
      hostStore.put(r.clusterId(), r);
    }

    private void forward(String key, Routed value) {
      ctx.forward(new org.apache.kafka.streams.processor.api.Record<>(key, value, timestamp));
    }
  }

  /** Tenant records in the state store. */
  private record StoreRepository(KeyValueStore<String, TenantRecord> store)
      implements TenantRepository {
    @Override
    public TenantRecord get(String tenantId) {
      return store.get(tenantId);
    }

    @Override
    public void put(TenantRecord record) {
      store.put(record.tenantId(), record);
    }

    @Override
    public void delete(String tenantId) {
      store.delete(tenantId);
    }
  }
}
