package io.fleetplane.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The whole agent as the application runs it: a placement in, a tenant built, events out. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = CrdSetup.class)
@QuarkusTestResource(FleetKafkaResource.class)
class AgentAppIT {

  @Inject KubernetesClient client;

  @io.quarkus.test.common.http.TestHTTPResource("/q/metrics")
  java.net.URI metrics;

  @Test
  void aPlacementForThisClusterBecomesATenantAndTheClusterIsReported() throws Exception {
    Placement p =
        Fixtures.placement("eu-h1", "acme", "small", 1, DatastoreMode.SHARED_ETCD, Isolation.RUNC);
    int partitions = Topics.PLACEMENTS.defaultPartitions();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            FleetKafkaResource.broker.clientProperties(),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.PLACEMENTS.name(),
                  ClusterPartitioning.partitionFor("eu-h1", partitions),
                  p.key(),
                  Codecs.PLACEMENT.encode(p)))
          .get();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.resources(TenantControlPlane.class).withName("acme").get() != null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.namespaces().withName(TenantNames.namespace("acme")).get() != null);

    Properties c = FleetKafkaResource.broker.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.HOST_REPORTS.name(), Topics.TENANT_EVENTS.name()));
      java.util.Set<String> seen = new java.util.HashSet<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> seen.add(r.topic() + ":" + r.key()));
                return seen.contains(Topics.HOST_REPORTS.name() + ":eu-h1")
                    && seen.contains(Topics.TENANT_EVENTS.name() + ":acme");
              });
      assertThat(seen).contains(Topics.HOST_REPORTS.name() + ":eu-h1");
    }

    // Its reconciles are counted for Prometheus.
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                http.send(
                        java.net.http.HttpRequest.newBuilder(metrics).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("fleet_agent_reconciles_total{outcome=\"succeeded\""));
  }
}
