package io.fleetplane.scheduler.streams;

import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.placement.score.ScoringPolicies;
import io.fleetplane.scheduler.cell.CellConfig;
import io.fleetplane.scheduler.config.DimensionSettings;
import io.fleetplane.scheduler.config.SchedulerConfig;
import io.fleetplane.scheduler.kafka.KafkaSetup;
import io.fleetplane.scheduler.query.LocalCells;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

/** Wires the topology from configuration; the arithmetic lives in the cells. */
@ApplicationScoped
public class TopologyProducer {

  @Produces
  @jakarta.inject.Singleton
  LocalCells localCells() {
    return new LocalCells();
  }

  /** One set of meters per process, however often the topology is asked for. */
  @Produces
  @jakarta.inject.Singleton
  FleetMetrics metrics(LocalCells views, io.micrometer.core.instrument.MeterRegistry registry) {
    return new FleetMetrics(registry, views);
  }

  /** Unscoped (dependent): Kafka Streams reads the topology's fields, which a proxy lacks. */
  @Produces
  Topology topology(
      SchedulerConfig config, KafkaSetup kafkaReady, LocalCells views, FleetMetrics metrics) {
    SchedulerConfig.Scheduler s = config.scheduler();
    ScoringPolicies.byName(s.policy()); // an unknown policy fails the start, naming the known ones
    PlanCatalogue catalogue =
        s.planCatalogue().map(PlanCatalogue::load).orElseGet(PlanCatalogue::defaults);
    CellConfig cell =
        new CellConfig(
            s.policy(),
            DimensionSettings.overcommitPermille(s.overcommit()),
            DimensionSettings.headroom(s.headroom()),
            s.maxTenantsPerHost().orElse(Integer.MAX_VALUE),
            s.unreachableAfter(),
            s.lostAfter());
    return FleetTopology.build(
        cell, catalogue, s.tick(), views, metrics, config.topics().requestRetention());
  }
}
