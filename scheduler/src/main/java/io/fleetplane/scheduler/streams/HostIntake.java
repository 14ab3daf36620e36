package io.fleetplane.scheduler.streams;

import io.fleetplane.events.HostCommand;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Problem;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Intake for hosts, partitioned by cluster: decodes reports and commands, remembers each host's
 * cell (commands name only the cluster), and routes both to the cell.
 */
final class HostIntake implements Processor<String, byte[], String, Routed> {

  private final UnaryOperator<String> cellOfRegion;
  private final FleetMetrics metrics;
  private ProcessorContext<String, Routed> ctx;
  private KeyValueStore<String, String> directory;

  HostIntake(UnaryOperator<String> cellOfRegion, FleetMetrics metrics) {
    this.cellOfRegion = cellOfRegion;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.ctx = context;
    this.directory = context.getStateStore(StoreNames.HOST_DIRECTORY);
  }

  @Override
  public void process(org.apache.kafka.streams.processor.api.Record<String, byte[]> rec) {
    String topic = ctx.recordMetadata().orElseThrow().topic();
    if (topic.equals(Topics.HOST_COMMANDS.name())) {
      command(rec);
    } else {
      report(rec);
    }
  }

  private void report(org.apache.kafka.streams.processor.api.Record<String, byte[]> rec) {
    Decoded<HostReport> decoded = Codecs.HOST_REPORT.decode(rec.value());
    if (decoded instanceof Decoded.Failure<HostReport> f) {
      Rejections.dead(metrics, ctx, rec, f.reason(), f.problems());
      return;
    }
    HostReport r = decoded.orElseThrow();
    if (!keyed(rec, r.clusterId())) {
      return;
    }
    String cell = cellOfRegion.apply(r.region());
    String before = directory.get(r.clusterId());
    if (before != null && !before.equals(cell)) {
      String why =
          "host "
              + r.clusterId()
              + " moved from region cell "
              + before
              + " to "
              + cell
              + ": a host cannot change cells; remove it from the fleet and add it again";
      Rejections.dead(metrics, ctx, rec, why, List.of(new Problem("region", why)));
      return;
    }
    directory.put(r.clusterId(), cell);
    ctx.forward(
        rec.withKey(cell).withValue((Routed) new Routed.ToCell(cell, new CellCommand.Report(r))));
  }

  private void command(org.apache.kafka.streams.processor.api.Record<String, byte[]> rec) {
    Decoded<HostCommand> decoded = Codecs.HOST_COMMAND.decode(rec.value());
    if (decoded instanceof Decoded.Failure<HostCommand> f) {
      Rejections.dead(metrics, ctx, rec, f.reason(), f.problems());
      return;
    }
    HostCommand c = decoded.orElseThrow();
    if (!keyed(rec, c.clusterId())) {
      return;
    }
    String cell = directory.get(c.clusterId());
    if (cell == null) {
      String why = "unknown host " + c.clusterId() + ": it has never reported";
      Rejections.dead(metrics, ctx, rec, why, List.of(new Problem("clusterId", why)));
      return;
    }
    ctx.forward(
        rec.withKey(cell).withValue((Routed) new Routed.ToCell(cell, new CellCommand.Command(c))));
  }

  private boolean keyed(
      org.apache.kafka.streams.processor.api.Record<String, byte[]> rec, String clusterId) {
    if (clusterId.equals(rec.key())) {
      return true;
    }
    String why =
        "the record key '"
            + (rec.key() == null ? "(none)" : io.fleetplane.events.Names.clip(rec.key()))
            + "' is not the cluster id '"
            + clusterId
            + "': host records must be keyed by cluster id";
    Rejections.dead(metrics, ctx, rec, why, List.of(new Problem("", why)));
    return false;
  }
}
