package io.fleetplane.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fleetplane.events.ClusterPartitioning;
import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.Placement;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.testkit.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The packaged scheduler's path, on a real broker: requests and reports in, placements out. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class SchedulerThroughKafkaIT {

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String servers;

  private void send(String topic, String key, String json) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
            new StringSerializer(),
            new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, key, json.getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  private List<ConsumerRecord<String, byte[]>> readUntil(
      String topic, Predicate<ConsumerRecord<String, byte[]>> done) {
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          seen.add(r);
          if (done.test(r)) {
            return seen;
          }
        }
      }
    }
    throw new AssertionError("no matching record on " + topic + " within 90 s; saw " + seen.size());
  }

  @Test
  void placesATenantOnTheBrokerOnTheClustersPartition() throws Exception {
    send(
        Topics.HOST_REPORTS.name(),
        "eu-h1",
        """
        {"v":1,"clusterId":"eu-h1","region":"eu-west","zones":["a","b","c"],
         "allocatable":{"cpuMillis":8000,"memoryMiB":65536,"pods":110},
         "capabilities":{"gvisor":true,"datastoreModes":["dedicated-etcd"],"sharedEtcdHeadroom":0},
         "reportedAt":"2026-11-24T10:00:00Z"}""");
    send(
        Topics.TENANT_REQUESTS.name(),
        "acme",
        """
        {"v":1,"op":"CREATE","tenantId":"acme","requestId":"r1","plan":"small","region":"eu-west"}""");

    ConsumerRecord<String, byte[]> placed =
        readUntil(Topics.PLACEMENTS.name(), r -> "eu-h1/acme".equals(r.key())).get(0);
    Placement p = Codecs.PLACEMENT.decode(placed.value()).orElseThrow();
    assertThat(p.clusterId()).isEqualTo("eu-h1");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
      int partitions =
          admin
              .describeTopics(List.of(Topics.PLACEMENTS.name()))
              .allTopicNames()
              .get()
              .get(Topics.PLACEMENTS.name())
              .partitions()
              .size();
      assertThat(placed.partition())
          .isEqualTo(ClusterPartitioning.partitionFor("eu-h1", partitions));
    }
    List<ConsumerRecord<String, byte[]>> events =
        readUntil(
            Topics.TENANT_EVENTS.name(),
            r ->
                "acme".equals(r.key())
                    && Codecs.TENANT_EVENT.decode(r.value()).orElseThrow().type()
                        == TenantEvent.Type.PLACED);
    assertThat(events).isNotEmpty();
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

    // Queries answer from the cells' views (published every second) and the stores.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              given()
                  .when()
                  .get("/api/fleet")
                  .then()
                  .statusCode(200)
                  .body("totals.hosts", equalTo(1))
                  .body("totals.tenants", equalTo(1))
                  .body("totals.committed.cpuMillis", equalTo(500))
                  .body("regions[0].region", equalTo("eu-west"));
              given()
                  .when()
                  .get("/api/tenants/acme")
                  .then()
                  .statusCode(200)
                  .body("status", equalTo("placed"))
                  .body("clusterId", equalTo("eu-h1"))
                  .body("history[0].type", equalTo("PLACED"));
            });
    given()
        .when()
        .get("/api/hosts/eu-h1")
        .then()
        .statusCode(200)
        .body("tenants", equalTo(1))
        .body("free.cpuMillis", equalTo(7500));
    given().when().get("/api/tenants/nobody").then().statusCode(404);
    given().when().get("/openapi").then().statusCode(200);
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("fleet_decisions_total{type=\"PLACED\"}")
        .contains("fleet_decision_latency_seconds_bucket")
        .contains("fleet_host_utilisation{host=\"eu-h1\"");
  }

  @Test
  void aHostWithoutRoomForTheVolumesLeavesADedicatedEtcdTenantWaitingForStorage() throws Exception {
    send(
        Topics.HOST_REPORTS.name(),
        "us-h1",
        """
        {"v":1,"clusterId":"us-h1","region":"us-east","zones":["a","b","c"],
         "allocatable":{"cpuMillis":8000,"memoryMiB":65536,"pods":110,"storageGiB":30},
         "capabilities":{"gvisor":false,"datastoreModes":["dedicated-etcd","kine"],"sharedEtcdHeadroom":0},
         "reportedAt":"2026-11-24T10:00:00Z"}""");
    // medium, highly available: three etcd members of 20 GiB each, 60 GiB; the host has 30
    send(
        Topics.TENANT_REQUESTS.name(),
        "vol",
        """
        {"v":1,"op":"CREATE","tenantId":"vol","requestId":"v1","plan":"medium","region":"us-east",
         "highAvailability":true,"storageGi":20}""");
    List<ConsumerRecord<String, byte[]>> events =
        readUntil(
            Topics.TENANT_EVENTS.name(),
            r ->
                "vol".equals(r.key())
                    && Codecs.TENANT_EVENT.decode(r.value()).orElseThrow().type()
                        == TenantEvent.Type.PENDING);
    TenantEvent pending =
        Codecs.TENANT_EVENT.decode(events.get(events.size() - 1).value()).orElseThrow();
    assertThat(pending.reason()).isEqualTo("0/1 host available: 1 insufficient storage");

    // Without volumes of its own (kine), a tenant fits.
    send(
        Topics.TENANT_REQUESTS.name(),
        "kine-1",
        """
        {"v":1,"op":"CREATE","tenantId":"kine-1","requestId":"k1","plan":"medium","region":"us-east",
         "datastore":{"mode":"kine","databaseRef":"postgres://kine@db.example:5432/k1"}}""");
    readUntil(Topics.PLACEMENTS.name(), r -> "us-h1/kine-1".equals(r.key()));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .when()
                    .get("/api/hosts/us-h1")
                    .then()
                    .statusCode(200)
                    .body("allocatable.storageGiB", equalTo(30))
                    .body("committed.storageGiB", equalTo(0))
                    .body("free.storageGiB", equalTo(30)));
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("fleet_region_limit{region=\"us-east\",resource=\"storage\"} 30.0")
        .contains("fleet_host_utilisation{host=\"us-h1\",region=\"us-east\",resource=\"storage\"}");
  }

  @Test
  void aMalformedRequestIsADeadLetterWithItsOriginalBytes() throws Exception {
    send(Topics.TENANT_REQUESTS.name(), "broken", "{\"v\":1,\"op\":");
    ConsumerRecord<String, byte[]> r =
        readUntil(Topics.DEAD_LETTERS.name(), x -> "broken".equals(x.key())).stream()
            .filter(x -> "broken".equals(x.key()))
            .findFirst()
            .orElseThrow();
    DeadLetter d = Codecs.DEAD_LETTER.decode(r.value()).orElseThrow();
    assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"op\":");
    assertThat(d.sourceTopic()).isEqualTo(Topics.TENANT_REQUESTS.name());
  }
}
