package io.fleetplane.scheduler.streams;

import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each tenant's last {@link #KEPT} lifecycle events, from the scheduler and the agents alike,
 * for the tenant query. Reads {@code fleet.tenant-events}; an event that does not decode is a dead
 * letter.
 */
public final class TenantHistory implements Processor<String, byte[], String, Routed> {

  static final int KEPT = 50;

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
