package io.fleetplane.scheduler.streams;

import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.Names;
import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Bad input never stops a stream: it becomes a dead letter, and a REJECTED event if it can. */
final class Rejections {

  private Rejections() {}

  /** Sends the record's original bytes, where they came from and why, to the dead letters. */
  static void dead(
      FleetMetrics metrics,
      ProcessorContext<String, Routed> ctx,
      org.apache.kafka.streams.processor.api.Record<String, byte[]> rec,
      String reason,
      List<Problem> problems) {
    RecordMetadata m = ctx.recordMetadata().orElseThrow();
    byte[] key = rec.key() == null ? null : rec.key().getBytes(StandardCharsets.UTF_8);
    DeadLetter letter =
        DeadLetter.of(
            m.topic(),
            m.partition(),
            m.offset(),
            key,
            rec.value(),
            reason,
            problems,
            Instant.ofEpochMilli(ctx.currentSystemTimeMs()));
    metrics.deadLetter(m.topic());
    ctx.forward(rec.withValue((Routed) new Routed.Dead(rec.key(), letter)));
  }

  /**
   * Counts a rejection under {@code category} (a few fixed words: the metric's label) and emits a
   * REJECTED event, if {@code tenantId} can name a tenant.
   */
  static void reject(
      FleetMetrics metrics,
      String category,
      ProcessorContext<String, Routed> ctx,
      org.apache.kafka.streams.processor.api.Record<String, byte[]> rec,
      String tenantId,
      String requestId,
      String reason,
      List<Problem> problems) {
    metrics.rejected(category);
    if (tenantId == null || Names.problemWithTenantId(tenantId) != null) {
      return;
    }
    TenantEvent e =
        new TenantEvent(
            tenantId,
            TenantEvent.Type.REJECTED,
            TenantEvent.Source.SCHEDULER,
            null,
            requestId,
            0,
            reason,
            problems,
            Map.of(),
            Instant.ofEpochMilli(ctx.currentSystemTimeMs()));
    ctx.forward(rec.withKey(tenantId).withValue((Routed) new Routed.Event(e)));
  }
}
