package io.fleetplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.Topics;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scheduler instances share the work; each answers queries for the whole fleet, asking the
 * other for the cells and tenants it owns.
 */
class MultiInstanceQueriesIT {

  /** The cell repartition topic has as many partitions as the request topic. */
  private static final int CELL_PARTITIONS = Topics.TENANT_REQUESTS.defaultPartitions();

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path work;

  @Test
  void eachInstanceAnswersForTheWholeFleet() throws Exception {
    // A broker of its own: the fleet topics of other ITs would mix into what this one counts.
    try (KafkaBroker kafka = KafkaBrokers.start()) {
      run(kafka);
    }
  }

  private void run(KafkaBroker kafka) throws Exception {
    List<String> regions = regionsCoveringEveryCellPartition();
    String app = "multi-it-" + UUID.randomUUID();
    int portA = SchedulerProcess.freePort();
    int portB = SchedulerProcess.freePort();
    Process a =
        SchedulerProcess.start(
            kafka,
            app,
            portA,
            work.resolve("a"),
            "multi-it-a",
            "-Dquarkus.kafka-streams.application-server=localhost:" + portA);
    Process b =
        SchedulerProcess.start(
            kafka,
            app,
            portB,
            work.resolve("b"),
            "multi-it-b",
            "-Dquarkus.kafka-streams.application-server=localhost:" + portB);
    try {
      publish(kafka, regions);
      for (int port : new int[] {portA, portB}) {
        await(
            port,
            "/api/fleet",
            n ->
                n.path("totals").path("hosts").asInt() == regions.size()
                    && n.path("totals").path("tenants").asInt() == regions.size());
      }
      // Both instances own cells: neither holds the whole fleet alone.
      int ownA = get(portA, "/api/internal/cells").size();
      int ownB = get(portB, "/api/internal/cells").size();
      assertThat(ownA).isPositive().isLessThan(regions.size());
      assertThat(ownA + ownB).isEqualTo(regions.size());
      // Any tenant, asked of either instance, wherever its stores are.
      for (int i = 0; i < regions.size(); i++) {
        String tenant = "t" + i;
        for (int port : new int[] {portA, portB}) {
          JsonNode t =
              await(
                  port,
                  "/api/tenants/" + tenant,
                  n -> "placed".equals(n.path("status").asText()) && n.path("history").size() > 0);
          assertThat(t.path("cell").asText()).isEqualTo(regions.get(i));
          assertThat(t.path("clusterId").asText()).isEqualTo("host-" + i);
        }
      }
    } finally {
      a.destroy();
      b.destroy();
      a.waitFor();
      b.waitFor();
    }
  }

  /** Region names whose cell keys fall on every partition of the cell repartition topic. */
  private static List<String> regionsCoveringEveryCellPartition() {
    String[] byPartition = new String[CELL_PARTITIONS];
    int found = 0;
    for (int i = 0; found < CELL_PARTITIONS; i++) {
      String r = "region-" + i;
      int p = Utils.toPositive(Utils.murmur2(r.getBytes(StandardCharsets.UTF_8))) % CELL_PARTITIONS;
      if (byPartition[p] == null) {
        byPartition[p] = r;
        found++;
      }
    }
    return List.of(byPartition);
  }

  private static void publish(KafkaBroker kafka, List<String> regions) throws Exception {
    Properties p = kafka.clientProperties();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      List<String> hosts = new ArrayList<>();
      for (int i = 0; i < regions.size(); i++) {
        String id = "host-" + i;
        hosts.add(id);
        producer
            .send(
                new ProducerRecord<>(
                    Topics.HOST_REPORTS.name(),
                    id,
                    utf8(
                        "{\"v\":1,\"clusterId\":\""
                            + id
                            + "\",\"region\":\""
                            + regions.get(i)
                            + "\","
                            + "\"allocatable\":{\"cpuMillis\":8000,\"memoryMiB\":65536,\"pods\":110},"
                            + "\"capabilities\":{\"datastoreModes\":[\"dedicated-etcd\"]},"
                            + "\"reportedAt\":\"2026-11-24T10:00:00Z\"}")))
            .get();
      }
      Thread.sleep(2_000); // let the reports reach their cells before the tenants do
      for (int i = 0; i < regions.size(); i++) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.TENANT_REQUESTS.name(),
                    "t" + i,
                    utf8(
                        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"t"
                            + i
                            + "\",\"requestId\":\"r"
                            + i
                            + "\",\"plan\":\"small\",\"region\":\""
                            + regions.get(i)
                            + "\"}")))
            .get();
      }
    }
  }

  private JsonNode await(int port, String path, java.util.function.Predicate<JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(port, path);
        if (last != null && done.test(last)) {
          return last;
        }
      } catch (java.io.IOException starting) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("localhost:" + port + path + " never matched; last answer " + last);
  }

  private JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
