package io.fleetplane.scheduler.streams;

import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each tenant's last {@link #KEPT} lifecycle events for the tenant query: the agents' events,
 * and those of the scheduler's that no tenant record holds (rejections, releases, lost hosts).
 * Reads {@code fleet.tenant-events}; an event that does not decode is a dead letter.
 *
 * <p>The cell keeps its own decisions about a tenant in the tenant's record, which it writes
 * anyway, and marks those events with the header {@value #RECORDED}: they are skipped here without
 * being decoded. Storing them twice cost a store read, a store write and a changelog record per
 * decision (a quarter of the scheduler's time in the throughput benchmark). The query merges both.
 */
public final class TenantHistory implements Processor<String, byte[], String, Routed> {

  static final int KEPT = 50;

  /** Header on an event that the cell also keeps in the tenant's record. */
  public static final String RECORDED = "fleet-recorded-in";

  private static final byte[] TENANT_RECORD = "tenant-record".getBytes(StandardCharsets.UTF_8);

  static Headers recordedElsewhere() {
    return new RecordHeaders(new Header[] {new RecordHeader(RECORDED, TENANT_RECORD)});
  }

  /** A tenant's recent events, oldest first. */
  public record Events(List<TenantEvent> events) {}

  private final FleetMetrics metrics;
  private ProcessorContext<String, Routed> ctx;
  private KeyValueStore<String, Events> store;

  TenantHistory(FleetMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.ctx = context;
    this.store = context.getStateStore(StoreNames.TENANT_HISTORY);
  }

  @Override
  public void process(org.apache.kafka.streams.processor.api.Record<String, byte[]> rec) {
    if (rec.headers().lastHeader(RECORDED) != null) {
      return;
    }
    Decoded<TenantEvent> d = Codecs.TENANT_EVENT.decode(rec.value());
    if (d instanceof Decoded.Failure<TenantEvent> f) {
      Rejections.dead(metrics, ctx, rec, f.reason(), f.problems());
      return;
    }
    TenantEvent e = d.orElseThrow();
    Events old = store.get(e.tenantId());
    List<TenantEvent> list = new ArrayList<>(old == null ? List.of() : old.events());
    list.add(e);
    if (list.size() > KEPT) {
      list.subList(0, list.size() - KEPT).clear();
    }
    store.put(e.tenantId(), new Events(List.copyOf(list)));
  }
}
