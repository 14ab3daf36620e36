package io.fleetplane.agent.report;

import io.fleetplane.agent.host.HostCluster;
import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes the cluster's {@link HostReport} on {@code fleet.host-reports}: every {@code period},
 * and sooner on a significant change ({@link HostReports#significantChange}). The capacity comes
 * from the {@link HostCluster} (on Kubernetes, from informers, so a report costs no API call). With
 * Kafka away the producer keeps the latest reports and retries; the topic is compacted, so only the
 * last matters.
 */
public final class HostReporter {

  private static final Logger LOG = Logger.getLogger(HostReporter.class);

  private final HostCluster cluster;
  private final HostFacts facts;
  private final Producer<String, byte[]> producer;
  private final Clock clock;
  private final Duration period;
  private final int partitions;
  private HostReport last;
  private Instant lastSent = Instant.EPOCH;

  public HostReporter(
      HostCluster cluster,
      HostFacts facts,
      Producer<String, byte[]> producer,
      Clock clock,
      Duration period) {
    this.cluster = cluster;
    this.facts = facts;
    this.producer = producer;
    this.clock = clock;
    this.period = period;
    this.partitions = producer.partitionsFor(Topics.HOST_REPORTS.name()).size();
    cluster.capacity(); // starts what the cluster watches, so the first report is complete
  }

  /** The report the cluster gives now. */
  public HostReport current() {
    return HostReports.report(facts, cluster.capacity(), clock.instant());
  }

  /**
   * Sends the current report if it changed significantly or the period has passed.
   *
   * @return whether a report was sent
   */
  public synchronized boolean maybeReport() {
    HostReport next = current();
    Instant now = clock.instant();
    boolean due = !now.isBefore(lastSent.plus(period));
    if (!due && !HostReports.significantChange(last, next)) {
      return false;
    }
    producer.send(
        new ProducerRecord<>(
            Topics.HOST_REPORTS.name(),
            ClusterPartitioning.partitionFor(facts.clusterId(), partitions),
            facts.clusterId(),
            Codecs.HOST_REPORT.encode(next)),
        (md, e) -> {
          if (e != null) {
            LOG.warnf("host report for %s not delivered yet: %s", facts.clusterId(), e.toString());
          }
        });
    last = next;
    lastSent = now;
    return true;
  }
}
