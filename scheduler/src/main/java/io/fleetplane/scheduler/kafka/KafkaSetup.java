package io.fleetplane.scheduler.kafka;

import io.fleetplane.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
    List<String> created =
        TopicCreator.createMissing(
            props,
            config.topics().partitions(),
            config.topics().replicationFactor(),
            config.topics().timeout(),
            config.topics().requestRetention());
    if (!created.isEmpty()) {
      LOG.infof("Created topics %s", created);
    }
  }

  @PreDestroy
  void stop() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
