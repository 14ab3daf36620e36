package io.fleetplane.scheduler.streams;

import io.fleetplane.events.Names;
import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.codec.Decoded;
import io.fleetplane.events.codec.TenantRequestCodec;
import io.fleetplane.scheduler.cell.Directory;
import io.fleetplane.scheduler.cell.DirectoryEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Intake, partitioned by tenant: decodes and validates each request, drops repeated request ids
 * ({@link RequestIds}), keeps the tenant directory ({@link Directory}), and routes the request to
 * its cell. Everything it cannot accept becomes a dead letter and a REJECTED event that carries the
 * request's id, addressed to the record key when that is a valid tenant id (else to the tenant id
 * the value names, when that one is).
 */
final class TenantIntake implements Processor<String, byte[], String, Routed> {

  /** How often a slice of the remembered request ids is swept for expired ones. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  private final TenantRequestCodec codec;
  private final UnaryOperator<String> cellOfRegion;
  private final Duration requestRetention;
  private final FleetMetrics metrics;
  private ProcessorContext<String, Routed> ctx;
  private KeyValueStore<String, DirectoryEntry> directory;
  private RequestIds requestIds;

  TenantIntake(
      TenantRequestCodec codec,
      UnaryOperator<String> cellOfRegion,
      Duration requestRetention,
      FleetMetrics metrics) {
    this.codec = codec;
    this.cellOfRegion = cellOfRegion;
    this.requestRetention = requestRetention;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.ctx = context;
    this.directory = context.getStateStore(StoreNames.TENANT_DIRECTORY);
    KeyValueStore<Bytes, Long> ids = context.getStateStore(StoreNames.REQUEST_IDS);
    this.requestIds = new RequestIds(ids, requestRetention.toMillis());
    context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, requestIds::sweep);
  }

  @Override
  public void process(Record<String, byte[]> rec) {
    Decoded<TenantRequest> decoded = codec.decode(rec.value());
    if (decoded instanceof Decoded.Failure<TenantRequest> f) {
      refuse(
          rec,
          f.kind().name().toLowerCase(Locale.ROOT),
          f.id("tenantId"),
          f.id("requestId"),
          f.reason(),
          f.problems());
      return;
    }
    TenantRequest r = decoded.orElseThrow();
    if (!r.tenantId().equals(rec.key())) {
      String why =
          "the record key '"
              + (rec.key() == null ? "(none)" : Names.clip(rec.key()))
              + "' is not the tenant id '"
              + r.tenantId()
              + "': requests must be keyed by tenant id";
      refuse(rec, "key_mismatch", r.tenantId(), r.requestId(), why, List.of(new Problem("", why)));
      return;
    }
    long now = ctx.currentSystemTimeMs();
    if (r.requestedAt() != null
        && r.requestedAt().isBefore(Instant.ofEpochMilli(now).minus(requestRetention))) {
      String why =
          "requestedAt "
              + r.requestedAt()
              + " is more than "
              + describe(requestRetention)
              + " ago: request ids are remembered that long, so whether it was handled already"
              + " cannot be known; send it again with a new requestId";
      refuse(
          rec,
          "too_old",
          r.tenantId(),
          r.requestId(),
          why,
          List.of(new Problem("requestedAt", why)));
      return;
    }
    DirectoryEntry entry = directory.get(r.tenantId());
    if (entry == null) {
      entry = DirectoryEntry.NONE;
    }
    boolean repeat = requestIds.repeat(r.tenantId(), r.requestId(), now);
    if (!entry.legacyRequestIds().isEmpty()) {
      repeat |= entry.legacyRequestIds().contains(r.requestId());
      for (String old : entry.legacyRequestIds()) { // moved out of the entry, as written below
        requestIds.repeat(r.tenantId(), old, now);
      }
      entry = DirectoryEntry.of(entry.cell(), entry.live(), entry.incarnation());
      directory.put(r.tenantId(), entry);
    }
    if (repeat) {
      metrics.repeated();
      return; // it had its effect the first time
    }
    Directory.Verdict verdict = Directory.decide(entry, r, cellOfRegion);
    if (verdict instanceof Directory.Accept a) {
      directory.put(r.tenantId(), a.next());
      ctx.forward(
          rec.withKey(a.cell())
              .withValue(
                  (Routed) new Routed.ToCell(a.cell(), new CellCommand.Tenant(r, rec.value()))));
    } else {
      Directory.Refuse no = (Directory.Refuse) verdict;
      refuse(
          rec,
          no.category(),
          r.tenantId(),
          r.requestId(),
          no.reason(),
          List.of(new Problem("tenantId", no.reason())));
    }
  }

  /**
   * A dead letter, and a REJECTED event for the tenant the record is keyed by (or, if the key is no
   * tenant id, the one its value names) with the request's id, when those are valid.
   */
  private void refuse(
      Record<String, byte[]> rec,
      String category,
      String namedTenant,
      String requestId,
      String reason,
      List<Problem> problems) {
    Rejections.dead(metrics, ctx, rec, reason, problems);
    String to =
        rec.key() != null && Names.problemWithTenantId(rec.key()) == null ? rec.key() : namedTenant;
    Rejections.reject(metrics, category, ctx, rec, to, requestId, reason, problems);
  }

  private static String describe(Duration d) {
    long days = d.toDays();
    return days > 0 && d.equals(Duration.ofDays(days))
        ? days + (days == 1 ? " day" : " days")
        : d.toString();
  }
}
