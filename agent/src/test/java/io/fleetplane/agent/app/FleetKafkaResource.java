package io.fleetplane.agent.app;

import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A broker of its own with the fleet's topics made, before the agent starts. */
public final class FleetKafkaResource implements QuarkusTestResourceLifecycleManager {

  static KafkaBroker broker;

  @Override
  public Map<String, String> start() {
    broker = KafkaBrokers.start();
    broker.createTopics(Topics.all().stream().map((TopicSpec t) -> t.newTopic((short) 1)).toList());
    return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
