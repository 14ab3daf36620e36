package io.fleetplane.scheduler.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.scheduler.cell.DirectoryEntry;
import io.fleetplane.scheduler.cell.TenantRecord;
import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.LocalCells;
import io.fleetplane.scheduler.streams.StoreNames;
import io.fleetplane.scheduler.streams.TenantHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers queries over the whole application: this instance's cell views and stores, and, when
 * several instances share the work ({@code quarkus.kafka-streams.application-server} set on each),
 * the other instances' through their internal endpoints.
 */
@ApplicationScoped
public class FleetQueries {

  /**
   * A tenant, as the query answers it.
   *
   * @param incarnation the request id of the CREATE that made the tenant as it is (or was last):
   *     what an UPDATE or DELETE may name in {@code incarnation}
   */
  public record Tenant(
      String tenantId,
      String status,
      String cell,
      String clusterId,
      long generation,
      String plan,
      Resources resources,
      String incarnation,
      List<TenantEvent> history) {}

  private final KafkaStreams streams;
  private final LocalCells local;
  private final Optional<String> self;
  private final ObjectMapper json;
  private final StoreReads reads;
  private final Activity activity;

  public FleetQueries(
      KafkaStreams streams,
      LocalCells local,
      ObjectMapper json,
      Activity activity,
      @ConfigProperty(name = "quarkus.kafka-streams.application-server") Optional<String> self) {
    this.streams = streams;
    this.local = local;
    this.activity = activity;
    this.json = json;
    this.self = self;
    this.reads = new StoreReads(streams, self, json);
  }

  /** Every cell's latest view, from every instance. */
  public List<CellView> allCells() {
    Map<String, CellView> byCell = new LinkedHashMap<>();
    for (CellView c : local.all()) {
      byCell.put(c.cell(), c);
    }
    for (HostInfo other : otherInstances()) {
      for (CellView c :
          reads
              .fetch(other, "/api/internal/cells", new TypeReference<List<CellView>>() {})
              .orElse(List.of())) {
        byCell.merge(c.cell(), c, (a, b) -> a.at().isAfter(b.at()) ? a : b);
      }
    }
    List<CellView> all = new ArrayList<>(byCell.values());
    all.sort(Comparator.comparing(CellView::cell));
    return all;
  }

  /** Placements per second and rejections of every instance, summed. */
  public Activity.Snapshot activity() {
    List<Activity.Snapshot> all = new ArrayList<>();
    all.add(activity.snapshot());
    for (HostInfo other : otherInstances()) {
      reads
          .fetch(other, "/api/internal/activity", new TypeReference<Activity.Snapshot>() {})
          .ifPresent(all::add);
    }
    return Activity.merge(all);
  }

  public Optional<Tenant> tenant(String tenantId) {
    List<TenantEvent> history =
        reads
            .read(
                StoreNames.TENANT_HISTORY,
                tenantId,
                tenantId,
                new TypeReference<TenantHistory.Events>() {})
            .map(TenantHistory.Events::events)
            .orElse(null);
    Optional<DirectoryEntry> entry =
        reads.read(
            StoreNames.TENANT_DIRECTORY,
            tenantId,
            tenantId,
            new TypeReference<DirectoryEntry>() {});
    String cell = entry.map(DirectoryEntry::cell).orElse(null);
    TenantRecord record =
        cell == null
            ? null
            : reads
                .read(StoreNames.TENANTS, tenantId, cell, new TypeReference<TenantRecord>() {})
                .orElse(null);
    if (record == null && history == null) {
      return Optional.empty();
    }
    List<TenantEvent> events = new ArrayList<>();
    if (record != null) {
      events.addAll(record.events());
    }
    if (history != null) {
      events.addAll(history);
    }
    events.sort(Comparator.comparing(TenantEvent::at)); // stable: ties keep the cell's order first
    return Optional.of(
        new Tenant(
            tenantId,
            record == null ? "gone" : record.status().name().toLowerCase(java.util.Locale.ROOT),
            cell,
            record == null ? null : record.clusterId(),
            record == null ? 0 : record.generation(),
            record == null ? null : record.spec().plan(),
            record == null ? null : record.resources(),
            entry.map(DirectoryEntry::incarnation).orElse(null),
            List.copyOf(events)));
  }

  private List<HostInfo> otherInstances() {
    if (self.isEmpty()) {
      return List.of();
    }
    List<HostInfo> others = new ArrayList<>();
    for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
      HostInfo h = m.hostInfo();
      if (!(h.host() + ":" + h.port()).equals(self.get())) {
        others.add(h);
      }
    }
    return others;
  }
}
