package io.fleetplane.agent.report;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fleetplane.agent.crd.TenantControlPlane;
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
 * and sooner on a significant change ({@link CapacityModel#significantChange}). Reads nodes, pods,
 * runtime classes and tenants from informers, so a report costs no API call. With Kafka away the
 * producer keeps the latest reports and retries; the topic is compacted, so only the last matters.
 */
public final class HostReporter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(HostReporter.class);

  private final HostFacts facts;
  private final Producer<String, byte[]> producer;
  private final Clock clock;
  private final Duration period;
  private final int partitions;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<RuntimeClass> runtimeClasses;
  private final SharedIndexInformer<TenantControlPlane> tenants;
  private HostReport last;
  private Instant lastSent = Instant.EPOCH;

  public HostReporter(
      KubernetesClient client,
      HostFacts facts,
      Producer<String, byte[]> producer,
      Clock clock,
      Duration period) {
    this.facts = facts;
    this.producer = producer;
    this.clock = clock;
    this.period = period;
    this.partitions = producer.partitionsFor(Topics.HOST_REPORTS.name()).size();
    this.nodes = client.nodes().inform();
    this.pods = client.pods().inAnyNamespace().inform();
    this.runtimeClasses = client.resources(RuntimeClass.class).inform();
    this.tenants = client.resources(TenantControlPlane.class).inform();
  }

  /** The report the cluster gives now. */
  public HostReport current() {
    return CapacityModel.report(
        facts,
        nodes.getStore().list(),
        pods.getStore().list(),
        runtimeClasses.getStore().list(),
        runningTenants(),
        clock.instant());
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
    if (!due && !CapacityModel.significantChange(last, next)) {
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

  /** Tenants whose control plane is Ready, as the controller last wrote their status. */
  private int runningTenants() {
    int n = 0;
    for (TenantControlPlane t : tenants.getStore().list()) {
      if (t.getStatus() != null && "Ready".equals(t.getStatus().getPhase())) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    nodes.close();
    pods.close();
    runtimeClasses.close();
    tenants.close();
  }
}
