package io.fleetplane.testkit;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.kafka.KafkaContainer;

/** Testcontainers' Kafka, the same version as our clients; needs a Docker engine. */
final class ContainerKafka implements KafkaBroker {

  static final String IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

  private final KafkaContainer container;

  private ContainerKafka(KafkaContainer container) {
    this.container = container;
  }

  @SuppressWarnings("resource")
  static ContainerKafka start() {
    KafkaContainer c =
        new KafkaContainer(IMAGE).withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    c.start();
    return new ContainerKafka(c);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String description() {
    return "Testcontainers " + IMAGE;
  }

  @Override
  public void close() {
    container.stop();
  }
}
