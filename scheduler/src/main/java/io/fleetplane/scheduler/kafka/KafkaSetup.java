package io.fleetplane.scheduler.kafka;

import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import io.fleetplane.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Runs before Kafka Streams (startup priority 1): starts the embedded broker when no {@code
 * kafka.bootstrap.servers} is configured, then creates the fleet's topics that are missing. A Kafka
 * that cannot be reached fails the start with a clear error, not a hang.
 */
@Startup(1)
@ApplicationScoped
public class KafkaSetup {

  private static final Logger LOG = Logger.getLogger(KafkaSetup.class);

  private final SchedulerConfig config;
  private EmbeddedKafka embedded;

  public KafkaSetup(SchedulerConfig config) {
    this.config = config;
  }

  @PostConstruct
  void start() {
    Optional<String> configured =
        ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class);
    String servers;
    if (configured.isEmpty()) {
      SchedulerConfig.Embedded e = config.embeddedKafka();
      long t0 = System.nanoTime();
      embedded = EmbeddedKafka.start(e.dataDir(), e.port(), e.controllerPort());
      servers = embedded.bootstrapServers();
      LOG.infof(
          "No kafka.bootstrap.servers configured: started an embedded single-node KRaft broker at %s"
              + " in %d ms, data in %s. Set kafka.bootstrap.servers to use a real Kafka cluster.",
          servers, (System.nanoTime() - t0) / 1_000_000, e.dataDir().toAbsolutePath());
    } else {
      servers = configured.get();
      LOG.infof("Using the Kafka cluster at %s", servers);
    }
    createTopics(servers);
  }

  private void createTopics(String servers) {
    Map<String, Object> props = new java.util.HashMap<>();
    // TLS/SASL and the like pass through as kafka.* properties.
    for (String name : ConfigProvider.getConfig().getPropertyNames()) {
      if (name.startsWith("kafka.")) {
        ConfigProvider.getConfig()
            .getOptionalValue(name, String.class)
            .ifPresent(v -> props.put(name.substring("kafka.".length()), v));
      }
    }
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    long timeoutMs = config.topics().timeout().toMillis();
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 30_000));
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec spec : Topics.all()) {
        if (!existing.contains(spec.name())) {
          NewTopic t =
              new NewTopic(
                  spec.name(),
                  Optional.of(config.topics().partitions().orElse(spec.defaultPartitions())),
                  config.topics().replicationFactor());
          missing.add(t.configs(spec.configs()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        LOG.infof("Created topics %s", missing.stream().map(NewTopic::name).toList());
      }
      checkHostTopicsAgree(admin, timeoutMs);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at "
              + servers
              + " within "
              + config.topics().timeout()
              + ": check kafka.bootstrap.servers and that the brokers are up",
          e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka at " + servers + " refused: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up Kafka topics", e);
    }
  }

  /** A host's commands must meet its reports: the two topics need equal partition counts. */
  private static void checkHostTopicsAgree(Admin admin, long timeoutMs)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> d =
        admin
            .describeTopics(List.of(Topics.HOST_REPORTS.name(), Topics.HOST_COMMANDS.name()))
            .allTopicNames()
            .get(timeoutMs, TimeUnit.MILLISECONDS);
    int reports = d.get(Topics.HOST_REPORTS.name()).partitions().size();
    int commands = d.get(Topics.HOST_COMMANDS.name()).partitions().size();
    if (reports != commands) {
      throw new IllegalStateException(
          Topics.HOST_REPORTS.name()
              + " has "
              + reports
              + " partitions and "
              + Topics.HOST_COMMANDS.name()
              + " "
              + commands
              + ": they must be equal, so that a"
              + " host's commands and reports meet");
    }
  }

  @PreDestroy
  void stop() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
