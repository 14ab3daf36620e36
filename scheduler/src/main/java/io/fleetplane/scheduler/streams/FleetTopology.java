package io.fleetplane.scheduler.streams;

import io.fleetplane.events.ClusterStreamPartitioner;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.scheduler.cell.CellConfig;
import io.fleetplane.scheduler.cell.HostRecord;
import io.fleetplane.scheduler.query.LocalCells;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The scheduler's topology. Two stages, as in docs/architecture.md:
 *
 * <pre>
 *   fleet.tenant-requests -> TenantIntake (directory, dedup) --.
 *   fleet.host-reports  --.                                    +-> [cell-commands, by cell]
 *   fleet.host-commands --+-> HostIntake (host -> cell) -------'          |
 *                                                                 CellProcessor (ledgers)
 *   dead letters, REJECTED  <- either stage                               |
 *   fleet.placements (by cluster), fleet.tenant-events  <-----------------'
 * </pre>
 */
public final class FleetTopology {

  private FleetTopology() {}

  /** The cell of a region. One cell per region: a region's capacity is decided in one place. */
  public static final UnaryOperator<String> CELL_OF_REGION = region -> region;

  /** The topology with request ids remembered for the requests topic's default retention. */
  public static Topology build(
      CellConfig config,
      PlanCatalogue catalogue,
      Duration tick,
      LocalCells views,
      FleetMetrics metrics) {
    return build(config, catalogue, tick, views, metrics, Topics.TENANT_REQUESTS.retention());
  }

  /**
   * @param requestRetention how long {@code fleet.tenant-requests} keeps records, and so how long a
   *     request id is remembered
   */
  public static Topology build(
      CellConfig config,
      PlanCatalogue catalogue,
      Duration tick,
      LocalCells views,
      FleetMetrics metrics,
      Duration requestRetention) {
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.TENANT_DIRECTORY),
            Serdes.String(),
            BinarySerdes.directoryEntries()));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.REQUEST_IDS), Serdes.Bytes(), Serdes.Long()));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.HOST_DIRECTORY),
            Serdes.String(),
            Serdes.String()));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.TENANTS),
            Serdes.String(),
            BinarySerdes.tenantRecords()));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.TENANT_HISTORY),
            Serdes.String(),
            JsonSerde.of(TenantHistory.Events.class)));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.HOSTS),
            Serdes.String(),
            JsonSerde.of(HostRecord.class)));

    var codec = Codecs.tenantRequest(catalogue);
    KStream<String, Routed> tenants =
        b.stream(Topics.TENANT_REQUESTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .process(
                () -> new TenantIntake(codec, CELL_OF_REGION, requestRetention, metrics),
                StoreNames.TENANT_DIRECTORY,
                StoreNames.REQUEST_IDS);
    KStream<String, Routed> hosts =
        b.stream(
                List.of(Topics.HOST_REPORTS.name(), Topics.HOST_COMMANDS.name()),
                Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .process(() -> new HostIntake(CELL_OF_REGION, metrics), StoreNames.HOST_DIRECTORY);
    KStream<String, Routed> intake = tenants.merge(hosts);

    KStream<String, Routed> decided =
        intake
            .filter((k, v) -> v instanceof Routed.ToCell)
            .mapValues(v -> ((Routed.ToCell) v).command())
            .repartition(
                Repartitioned.<String, CellCommand>as(StoreNames.CELL_COMMANDS)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(CellCommand.serde()))
            .process(
                () -> new CellProcessor(config, catalogue, CELL_OF_REGION, tick, views, metrics),
                StoreNames.TENANTS,
                StoreNames.HOSTS);
    KStream<String, Routed> history =
        b.stream(Topics.TENANT_EVENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .process(() -> new TenantHistory(metrics), StoreNames.TENANT_HISTORY);

    KStream<String, Routed> out =
        intake.filter((k, v) -> !(v instanceof Routed.ToCell)).merge(decided).merge(history);
    out.filter((k, v) -> v instanceof Routed.Dead)
        .mapValues(v -> ((Routed.Dead) v).letter())
        .to(Topics.DEAD_LETTERS.name(), Produced.with(Serdes.String(), Codecs.DEAD_LETTER.serde()));
    out.filter((k, v) -> v instanceof Routed.Event)
        .mapValues(v -> ((Routed.Event) v).event())
        .to(
            Topics.TENANT_EVENTS.name(),
            Produced.with(Serdes.String(), Codecs.TENANT_EVENT.serde()));
    out.filter((k, v) -> v instanceof Routed.Place || v instanceof Routed.Release)
        .mapValues(v -> v instanceof Routed.Place p ? p.placement() : null)
        .to(
            Topics.PLACEMENTS.name(),
            Produced.with(Serdes.String(), Codecs.PLACEMENT.serde())
                .withStreamPartitioner(new ClusterStreamPartitioner<>()));
    return b.build();
  }
}
