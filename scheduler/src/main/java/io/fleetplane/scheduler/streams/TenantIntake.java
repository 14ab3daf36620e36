package io.fleetplane.scheduler.streams;

import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.codec.Decoded;
import io.fleetplane.events.codec.TenantRequestCodec;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Intake, partitioned by tenant: decodes and validates each request, drops repeated request ids,
 * keeps the tenant directory (tenant -> cell), and routes the request to its cell. Everything it
 * cannot accept becomes a dead letter and a REJECTED event.
 */
final class TenantIntake implements Processor<String, byte[], String, Routed> {

  private final TenantRequestCodec codec;
  private final UnaryOperator<String> cellOfRegion;
  private final FleetMetrics metrics;
  private ProcessorContext<String, Routed> ctx;
  private KeyValueStore<String, DirectoryEntry> directory;

  TenantIntake(TenantRequestCodec codec, UnaryOperator<String> cellOfRegion, FleetMetrics metrics) {
    this.codec = codec;
    this.cellOfRegion = cellOfRegion;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.ctx = context;
    this.directory = context.getStateStore(StoreNames.TENANT_DIRECTORY);
  }

  @Override
  public void process(org.apache.kafka.streams.processor.api.Record<String, byte[]> rec) {
    Decoded<TenantRequest> decoded = codec.decode(rec.value());
    if (decoded instanceof Decoded.Failure<TenantRequest> f) {
      Rejections.dead(metrics, ctx, rec, f.reason(), f.problems());
      Rejections.reject(
          metrics,
          f.kind().name().toLowerCase(java.util.Locale.ROOT),
          ctx,
          rec,
          rec.key(),
          null,
          f.reason(),
          f.problems());
      return;
    }
    TenantRequest r = decoded.orElseThrow();
    if (!r.tenantId().equals(rec.key())) {
      String why =
          "the record key '"
              + rec.key()
              + "' is not the tenant id '"
              + r.tenantId()
              + "': requests must be keyed by tenant id";
      List<Problem> problems = List.of(new Problem("", why));
      Rejections.dead(metrics, ctx, rec, why, problems);
      Rejections.reject(
          metrics, "key_mismatch", ctx, rec, r.tenantId(), r.requestId(), why, problems);
      return;
    }
    DirectoryEntry entry = directory.get(r.tenantId());
    if (entry == null) {
      entry = DirectoryEntry.none();
    }
    if (entry.seen(r.requestId())) {
      return; // a repeat: it had its effect the first time
    }
    switch (r.op()) {
      case CREATE -> {
        if (entry.live()) {
          refuse(
              rec,
              r,
              entry,
              "already_exists",
              "tenant " + r.tenantId() + " already exists (in cell " + entry.cell() + ")");
          return;
        }
        String cell = cellOfRegion.apply(r.region());
        directory.put(r.tenantId(), entry.with(cell, true, r.requestId()));
        toCell(rec, cell, r);
      }
      case UPDATE, DELETE -> {
        if (!entry.live()) {
          refuse(
              rec,
              r,
              entry,
              "unknown_tenant",
              "unknown tenant " + r.tenantId() + ": nothing to " + r.op().name().toLowerCase());
          return;
        }
        directory.put(
            r.tenantId(),
            entry.with(entry.cell(), r.op() != io.fleetplane.events.Op.DELETE, r.requestId()));
        toCell(rec, entry.cell(), r);
      }
    }
  }

  private void refuse(
      org.apache.kafka.streams.processor.api.Record<String, byte[]> rec,
      TenantRequest r,
      DirectoryEntry entry,
      String category,
      String why) {
    directory.put(r.tenantId(), entry.with(entry.cell(), entry.live(), r.requestId()));
    List<Problem> problems = List.of(new Problem("tenantId", why));
    Rejections.dead(metrics, ctx, rec, why, problems);
    Rejections.reject(metrics, category, ctx, rec, r.tenantId(), r.requestId(), why, problems);
  }

  private void toCell(
      org.apache.kafka.streams.processor.api.Record<String, byte[]> rec,
      String cell,
      TenantRequest r) {
    ctx.forward(
        rec.withKey(cell)
            .withValue((Routed) new Routed.ToCell(cell, new CellCommand.Tenant(r, rec.value()))));
  }
}
