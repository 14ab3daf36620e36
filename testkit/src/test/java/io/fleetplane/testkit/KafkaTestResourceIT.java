package io.fleetplane.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class KafkaTestResourceIT {

  @Test
  void givesQuarkusTheBootstrapServersOfARunningBrokerAndStopsIt() throws Exception {
    KafkaTestResource resource = new KafkaTestResource();
    Map<String, String> config = resource.start();
    try {
      String servers = config.get("kafka.bootstrap.servers");
      assertThat(config).containsEntry("quarkus.kafka-streams.bootstrap-servers", servers);
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
        assertThat(admin.describeCluster().nodes().get()).hasSize(1);
      }
    } finally {
      resource.stop();
    }
    assertThat(resource.broker()).isNull();
  }
}
