package io.fleetplane.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A broker started by the same code as {@link KafkaExtension}'s (its own instance, for the life of
 * the Quarkus test), for {@code @QuarkusTest}s:
 * {@code @QuarkusTestResource(KafkaTestResource.class)}. It sets {@code kafka.bootstrap.servers}
 * and {@code quarkus.kafka-streams.bootstrap-servers}.
 */
public final class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

  private KafkaBroker broker;

  @Override
  public Map<String, String> start() {
    broker = KafkaBrokers.start();
    String servers = broker.bootstrapServers();
    return Map.of(
        "kafka.bootstrap.servers", servers,
        "quarkus.kafka-streams.bootstrap-servers", servers);
  }

  /** The running broker, for a test that wants to create topics or read them. */
  public KafkaBroker broker() {
    return broker;
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
