package io.fleetplane.agent.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.follow.PlacementFollower;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.kafka.KafkaSettings;
import io.fleetplane.agent.reconcile.Controllers;
import io.fleetplane.agent.reconcile.ReconcileMetrics;
import io.fleetplane.agent.report.HostFacts;
import io.fleetplane.agent.report.HostReporter;
import io.fleetplane.agent.report.StatusReporter;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.WireEnum;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The agent's three parts in one process: the controller (JOSDK), the follower of this cluster's
 * share of the placements (one thread: replay, then follow), and the reporters. Kafka client
 * settings are the standard {@code kafka.*} properties (TLS and SASL pass through).
 */
@ApplicationScoped
public class AgentRuntime {

  private static final Logger LOG = Logger.getLogger(AgentRuntime.class);

  private final KubernetesClient client;
  private final AgentConfig config;
  private final Config all;
  private final AtomicBoolean running = new AtomicBoolean();
  private Operator operator;
  private KafkaProducer<String, byte[]> producer;
  private HostReporter hostReporter;
  private StatusReporter statusReporter;
  private ScheduledExecutorService timer;
  private volatile PlacementFollower follower;
  private Leadership leadership;
  private volatile KubernetesHostCluster hostCluster;
  private final MeterRegistry registry;

  AgentRuntime(KubernetesClient client, AgentConfig config, Config all, MeterRegistry registry) {
    this.client = client;
    this.registry = registry;
    this.config = config;
    this.all = all;
  }

  /** Whether the start-up replay has made the cluster hold its whole desired set. */
  public boolean replayed() {
    PlacementFollower f = follower;
    return f != null && f.replayed();
  }

  /**
   * Ready: a replica that acts once its replay is done; a replica standing by for the lease at once
   * (it is healthy and serves nothing, and a rolling update must be able to go past it).
   */
  public boolean ready() {
    return !running.get() || replayed();
  }

  void start(@Observes StartupEvent e) {
    if (!config.leaderElection().enabled()) {
      act();
      return;
    }
    String lease = "fleet-agent-" + config.clusterId();
    LOG.infof(
        "agent for host cluster %s waiting to lead (Lease %s/%s, as %s)",
        config.clusterId(),
        config.leaderElection().namespace(),
        lease,
        config.leaderElection().identity());
    leadership =
        new Leadership(
            client,
            config.leaderElection().namespace(),
            lease,
            config.leaderElection().identity(),
            this::act,
            () -> {
              // Never act without the lease: stop at once, and let the pod restart as a follower.
              stopActing();
              Quarkus.asyncExit(1);
            });
  }

  /** Starts the controller, the follower and the reporters: only while this replica leads. */
  private synchronized void act() {
    running.set(true);
    operator =
        Controllers.operator(client, config.concurrentReconciles(), new ReconcileMetrics(registry));
    operator.start();
    producer =
        new KafkaProducer<>(
            KafkaSettings.reports(kafka()), new StringSerializer(), new ByteArraySerializer());
    HostFacts facts =
        new HostFacts(
            config.clusterId(),
            config.region(),
            config.labels(),
            modes(config.datastoreModes()),
            config.sharedEtcdHeadroom(),
            config.agentVersion().orElse("dev"));
    hostCluster = new KubernetesHostCluster(client, storageGib(config.storageGib()));
    hostReporter =
        new HostReporter(hostCluster, facts, producer, Clock.systemUTC(), config.reportEvery());
    statusReporter =
        new StatusReporter(hostCluster, config.clusterId(), producer, Clock.systemUTC());
    timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fleet-host-report"));
    long every = config.checkEvery().toMillis();
    timer.scheduleWithFixedDelay(this::report, every, every, TimeUnit.MILLISECONDS);
    follower = new PlacementFollower(kafka(), config.clusterId(), hostCluster).start();
    timer.schedule(
        () -> {
          if (!follower.replayed()) {
            LOG.warnf(
                "the replay of the placements has not finished within %s; still trying",
                config.replayTimeout());
          }
        },
        config.replayTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.infof(
        "agent for host cluster %s (%s) started: following its placements, reporting every %s",
        config.clusterId(), config.region(), config.reportEvery());
  }

  void stop(@Observes ShutdownEvent e) {
    if (leadership != null) {
      leadership.close();
    }
    stopActing();
  }

  private synchronized void stopActing() {
    running.set(false);
    if (follower != null) {
      follower.close();
      follower = null;
    }
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    if (statusReporter != null) {
      statusReporter.close();
      statusReporter = null;
    }
    hostReporter = null;
    if (hostCluster != null) {
      hostCluster.close();
      hostCluster = null;
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  private void report() {
    try {
      hostReporter.maybeReport();
    } catch (RuntimeException ex) {
      LOG.warnf("host report failed, retried in %s: %s", config.checkEvery(), ex.toString());
    }
    statusReporter.resendUndelivered(); // after Kafka was away
  }

  /** The deployment's {@code kafka.*} settings (bootstrap servers, TLS, SASL), unprefixed. */
  private Properties kafka() {
    Properties p = new Properties();
    for (String name : all.getPropertyNames()) {
      if (name.startsWith("kafka.")) {
        all.getOptionalValue(name, String.class)
            .ifPresent(v -> p.put(name.substring("kafka.".length()), v));
      }
    }
    return p;
  }

  static java.util.OptionalLong storageGib(java.util.Optional<Long> configured) {
    if (configured.isEmpty()) {
      return java.util.OptionalLong.empty();
    }
    long gib = configured.get();
    if (gib < 0 || gib > io.fleetplane.events.Dimension.STORAGE.max()) {
      throw new IllegalArgumentException(
          "fleet.agent.storage-gib: must be between 0 and "
              + io.fleetplane.events.Dimension.STORAGE.max()
              + " (GiB), got "
              + gib);
    }
    return java.util.OptionalLong.of(gib);
  }

  private static Set<DatastoreMode> modes(Set<String> wire) {
    EnumSet<DatastoreMode> out = EnumSet.noneOf(DatastoreMode.class);
    for (String w : wire) {
      DatastoreMode m = WireEnum.fromWire(DatastoreMode.class, w.trim());
      if (m == null) {
        throw new IllegalArgumentException(
            "fleet.agent.datastore-modes: unknown mode '"
                + w
                + "', expected "
                + WireEnum.spellings(DatastoreMode.class));
      }
      out.add(m);
    }
    return out;
  }
}
