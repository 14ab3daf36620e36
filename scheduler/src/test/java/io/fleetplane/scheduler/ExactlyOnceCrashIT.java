package io.fleetplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.Placement;
import io.fleetplane.events.PlacementKey;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once, proven: the packaged scheduler runs in its own JVM, is killed with SIGKILL in the
 * middle of 20,000 requests (creates and deletes mixed), is restarted on the same state, and the
 * output topics alone must show every live tenant placed exactly once, every deleted tenant
 * released, no host over-committed, and the restarted ledger's committed totals equal to the live
 * placements per host.
 */
class ExactlyOnceCrashIT {

  private static final int REQUESTS = 20_000;
  private static final int HOSTS = 20;
  private static final Resources HOST = new Resources(400_000, 1_000 * 1024, 2_500);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void aSchedulerKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
    // A broker of its own: the fleet topics of other ITs would mix into what this one counts.
    try (KafkaBroker kafka = KafkaBrokers.start()) {
      run(kafka);
    }
  }

  private void run(KafkaBroker kafka) throws Exception {
    String app = "crash-it-" + UUID.randomUUID();
    int port = SchedulerProcess.freePort();
    Process first = scheduler(kafka, app, port, "first");
    publishHosts(kafka);
    // Requests and reports reach a cell through different intake tasks: wait for every host,
    // so that each request is decided at once (a tenant ahead of its hosts would wait).
    awaitHosts(port);
    publishRequests(kafka);

    // Kill it once a quarter of the decisions are out.
    List<TenantEvent> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> events = consumer(kafka, Topics.TENANT_EVENTS.name())) {
      pollUntil(events, seen, e -> seen.size() >= REQUESTS / 4, Duration.ofMinutes(4));
    }
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no flush
    first.waitFor();
    assertThat(seen.size()).as("killed in the middle").isLessThan(REQUESTS);

    Process second = scheduler(kafka, app, port, "second");
    try {
      List<TenantEvent> all = new ArrayList<>();
      try (KafkaConsumer<String, byte[]> events = consumer(kafka, Topics.TENANT_EVENTS.name())) {
        pollUntil(events, all, e -> all.size() >= REQUESTS, Duration.ofMinutes(6));
        // A quiet while: anything beyond one decision per request would be a duplicate.
        pollFor(events, all, Duration.ofSeconds(5));
      }
      verify(kafka, all, port);
    } finally {
      second.destroy();
      second.waitFor();
    }
  }

  private void verify(KafkaBroker kafka, List<TenantEvent> events, int port) throws Exception {
    Map<String, Integer> placed = new HashMap<>();
    Map<String, Integer> released = new HashMap<>();
    for (TenantEvent e : events) {
      assertThat(e.type())
          .as("every request placed at once: capacity suffices")
          .isIn(TenantEvent.Type.PLACED, TenantEvent.Type.RELEASED);
      (e.type() == TenantEvent.Type.PLACED ? placed : released)
          .merge(e.tenantId(), 1, Integer::sum);
    }
    assertThat(events).hasSize(REQUESTS);
    int creates = 0;
    int deletes = 0;
    for (int i = 0; i < REQUESTS; i++) {
      if (isDelete(i)) {
        deletes++;
        assertThat(released.get(tenant(i - 4))).as("released once: " + tenant(i - 4)).isEqualTo(1);
      } else {
        creates++;
        assertThat(placed.get(tenant(i))).as("placed once: " + tenant(i)).isEqualTo(1);
      }
    }

    // The placements topic, read as compaction would leave it: the last value per key.
    Map<String, Placement> live = new HashMap<>();
    Map<String, Integer> liveKeysPerTenant = new HashMap<>();
    try (KafkaConsumer<String, byte[]> c = consumer(kafka, Topics.PLACEMENTS.name())) {
      List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int quiet = 0;
      while (System.nanoTime() < deadline && quiet < 10) {
        int n = 0;
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
          all.add(r);
          n++;
        }
        quiet = n == 0 ? quiet + 1 : 0;
      }
      for (ConsumerRecord<String, byte[]> r : all) {
        if (r.value() == null) {
          live.remove(r.key());
        } else {
          live.put(r.key(), Codecs.PLACEMENT.decode(r.value()).orElseThrow());
        }
      }
    }
    for (String key : live.keySet()) {
      liveKeysPerTenant.merge(PlacementKey.tenantIdOf(key), 1, Integer::sum);
    }
    assertThat(live).hasSize(creates - deletes);
    assertThat(liveKeysPerTenant.values()).allMatch(n -> n == 1);
    for (int i = 0; i < REQUESTS; i++) {
      if (isDelete(i)) {
        assertThat(liveKeysPerTenant)
            .as("deleted tenant has no live placement")
            .doesNotContainKey(tenant(i - 4));
      }
    }

    // No host over-committed, and the ledger agrees with the placements.
    Map<String, long[]> perHost = new HashMap<>();
    for (Placement p : live.values()) {
      long[] s = perHost.computeIfAbsent(p.clusterId(), k -> new long[3]);
      s[0] += p.resources().cpuMillis();
      s[1] += p.resources().memoryMiB();
      s[2] += p.resources().pods();
    }
    for (Map.Entry<String, long[]> e : perHost.entrySet()) {
      assertThat(e.getValue()[0]).isLessThanOrEqualTo(HOST.cpuMillis());
      assertThat(e.getValue()[1]).isLessThanOrEqualTo(HOST.memoryMiB());
      assertThat(e.getValue()[2]).isLessThanOrEqualTo(HOST.pods());
    }
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<String> mismatches = new ArrayList<>();
      for (int h = 0; h < HOSTS; h++) {
        String id = "host-" + h;
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/hosts/" + id))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long[] expected = perHost.getOrDefault(id, new long[3]);
        if (r.statusCode() != 200) {
          mismatches.add(id + ": HTTP " + r.statusCode());
          continue;
        }
        JsonNode committed = JSON.readTree(r.body()).path("committed");
        long[] got = {
          committed.path("cpuMillis").asLong(),
          committed.path("memoryMiB").asLong(),
          committed.path("pods").asLong()
        };
        if (!java.util.Arrays.equals(got, expected)) {
          mismatches.add(
              id
                  + ": ledger "
                  + java.util.Arrays.toString(got)
                  + ", placements "
                  + java.util.Arrays.toString(expected));
        }
      }
      if (mismatches.isEmpty()) {
        break;
      }
      assertThat(System.nanoTime()).as(mismatches.toString()).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  // ---- the workload ----------------------------------------------------------------------

  /** Every fifth request deletes the tenant created four requests before it. */
  private static boolean isDelete(int i) {
    return i % 5 == 4;
  }

  private static String tenant(int i) {
    return String.format("t%05d", i);
  }

  private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(
        p, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
  }

  private static void awaitHosts(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/fleet"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200
            && JSON.readTree(r.body()).path("totals").path("hosts").asInt() == HOSTS) {
          return;
        }
      } catch (IOException notUpYet) {
        // the scheduler is still starting
      }
      assertThat(System.nanoTime()).as("the scheduler saw all hosts").isLessThan(deadline);
      Thread.sleep(300);
    }
  }

  private static void publishHosts(KafkaBroker kafka) {
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      for (int h = 0; h < HOSTS; h++) {
        String id = "host-" + h;
        producer.send(
            new ProducerRecord<>(
                Topics.HOST_REPORTS.name(),
                id,
                utf8(
                    "{\"v\":1,\"clusterId\":\""
                        + id
                        + "\",\"region\":\""
                        + (h % 2 == 0 ? "eu-west" : "us-east")
                        + "\",\"zones\":[\"a\",\"b\",\"c\"],\"allocatable\":{\"cpuMillis\":"
                        + HOST.cpuMillis()
                        + ",\"memoryMiB\":"
                        + HOST.memoryMiB()
                        + ",\"pods\":"
                        + HOST.pods()
                        + "},"
                        + "\"capabilities\":{\"gvisor\":true,\"datastoreModes\":[\"dedicated-etcd\"],\"sharedEtcdHeadroom\":0},"
                        + "\"reportedAt\":\"2026-11-24T10:00:00Z\"}")));
      }
    }
  }

  private static void publishRequests(KafkaBroker kafka) {
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      for (int i = 0; i < REQUESTS; i++) {
        String json;
        String t;
        if (isDelete(i)) {
          t = tenant(i - 4);
          json =
              "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"" + t + "\",\"requestId\":\"d" + i + "\"}";
        } else {
          t = tenant(i);
          json =
              "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\""
                  + t
                  + "\",\"requestId\":\"c"
                  + i
                  + "\",\"plan\":\""
                  + (i % 3 == 0 ? "medium" : "small")
                  + "\",\"region\":\""
                  + (i % 2 == 0 ? "eu-west" : "us-east")
                  + "\"}";
        }
        producer.send(new ProducerRecord<>(Topics.TENANT_REQUESTS.name(), t, utf8(json)));
      }
    }
  }

  // ---- processes and plumbing ------------------------------------------------------------

  private Process scheduler(KafkaBroker kafka, String app, int port, String name)
      throws IOException {
    return SchedulerProcess.start(kafka, app, port, work.resolve("state"), "crash-it-" + name);
  }

  private static KafkaConsumer<String, byte[]> consumer(KafkaBroker kafka, String topic) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-it-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  private static void pollUntil(
      KafkaConsumer<String, byte[]> c,
      List<TenantEvent> into,
      java.util.function.Predicate<List<TenantEvent>> done,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(into)) {
      assertThat(System.nanoTime())
          .as("decisions seen so far: " + into.size())
          .isLessThan(deadline);
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
        into.add(Codecs.TENANT_EVENT.decode(r.value()).orElseThrow());
      }
    }
  }

  private static void pollFor(KafkaConsumer<String, byte[]> c, List<TenantEvent> into, Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
        into.add(Codecs.TENANT_EVENT.decode(r.value()).orElseThrow());
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
