package io.fleetplane.agent.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.follow.PlacementFollower;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.reconcile.Controllers;
import io.fleetplane.agent.reconcile.ReconcileMetrics;
import io.fleetplane.agent.report.HostFacts;
import io.fleetplane.agent.report.HostReporter;
import io.fleetplane.agent.report.StatusReporter;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Topics;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
  private final AtomicBoolean replayed = new AtomicBoolean();
  private Operator operator;
  private KafkaProducer<String, byte[]> producer;
  private HostReporter hostReporter;
  private StatusReporter statusReporter;
  private ScheduledExecutorService timer;
  private Thread follower;
  private volatile KafkaConsumer<String, byte[]> consumer;
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
    return replayed.get();
  }

  /**
   * Ready: a replica that acts once its replay is done; a replica standing by for the lease at once
   * (it is healthy and serves nothing, and a rolling update must be able to go past it).
   */
  public boolean ready() {
    return !running.get() || replayed.get();
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
            kafka(ProducerConfig.configNames()), new StringSerializer(), new ByteArraySerializer());
    HostFacts facts =
        new HostFacts(
            config.clusterId(),
            config.region(),
            config.labels(),
            modes(config.datastoreModes()),
            config.sharedEtcdHeadroom(),
            config.agentVersion().orElse("dev"));
    hostCluster = new KubernetesHostCluster(client);
    hostReporter =
        new HostReporter(hostCluster, facts, producer, Clock.systemUTC(), config.reportEvery());
    statusReporter =
        new StatusReporter(hostCluster, config.clusterId(), producer, Clock.systemUTC());
    timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fleet-host-report"));
    long every = config.checkEvery().toMillis();
    timer.scheduleWithFixedDelay(this::report, every, every, TimeUnit.MILLISECONDS);
    follower = new Thread(this::follow, "fleet-placement-follower");
    follower.start();
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
      // Wake the consumer out of its poll (interrupting a Kafka client breaks its close).
      KafkaConsumer<String, byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
      try {
        follower.join(10_000);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
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

  /** Replays, then follows until shutdown; a failure is logged and the whole loop starts again. */
  private void follow() {
    while (running.get()) {
      Properties p = kafka(ConsumerConfig.configNames());
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      p.remove(ConsumerConfig.GROUP_ID_CONFIG); // it assigns its partition itself
      try (KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
        this.consumer = consumer;
        PlacementFollower f =
            new PlacementFollower(
                consumer, Topics.PLACEMENTS.name(), config.clusterId(), hostCluster);
        f.replay(config.replayTimeout());
        replayed.set(true);
        while (running.get()) {
          f.pollOnce(Duration.ofMillis(500));
        }
      } catch (org.apache.kafka.common.errors.WakeupException ex) {
        return; // stopActing woke it
      } catch (RuntimeException ex) {
        if (!running.get()) {
          return;
        }
        LOG.warnf("following placements failed, starting over in 5 s: %s", ex.toString());
        try {
          Thread.sleep(5_000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** The {@code kafka.*} properties that a client of this kind takes. */
  private Properties kafka(Set<String> accepted) {
    Properties p = new Properties();
    for (String name : all.getPropertyNames()) {
      if (name.startsWith("kafka.")) {
        String key = name.substring("kafka.".length());
        if (accepted.contains(key)) {
          all.getOptionalValue(name, String.class).ifPresent(v -> p.put(key, v));
        }
      }
    }
    return p;
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
