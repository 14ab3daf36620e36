package io.fleetplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.Names;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.corpus.HostileCorpus;
import io.fleetplane.events.corpus.HostileCorpus.Case;
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
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus (1,000+ values, {@link HostileCorpus}) through a real broker against the
 * packaged scheduler, with valid requests interleaved and a SIGKILL of the scheduler half way:
 * every hostile value is dead-lettered with a readable reason, every hostile request is REJECTED to
 * the tenant its key names with the request id it carried, no valid request is lost or refused, the
 * stream never stops, and after the restart every valid request sent again is recognised as a
 * repeat.
 */
class HostileCorpusIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VALID_EVERY = 5;

  @TempDir Path work;

  @Test
  void everyHostileValueIsRefusedReadablyAndNothingValidIsLost() throws Exception {
    try (KafkaBroker kafka = KafkaBrokers.start()) {
      run(kafka);
    }
  }

  private void run(KafkaBroker kafka) throws Exception {
    String app = "hostile-it-" + UUID.randomUUID();
    int port = SchedulerProcess.freePort();
    Process scheduler = start(kafka, app, port, "first");
    List<Case> corpus = HostileCorpus.generate(7);
    Map<String, Case> byOffset = new HashMap<>();
    List<String> valid = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      for (int h = 0; h < 3; h++) {
        producer.send(
            new ProducerRecord<>(Topics.HOST_REPORTS.name(), "host-" + h, hostReport("host-" + h)));
      }
      producer.flush();
      awaitHosts(port, 3);
      producer.send(request(HostileCorpus.EXISTING, HostileCorpus.EXISTING_CREATE));
      producer.flush();
      awaitEvents(kafka, 1);

      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < corpus.size(); i++) {
        Case c = corpus.get(i);
        String topic =
            switch (c.topic()) {
              case TENANT_REQUESTS -> Topics.TENANT_REQUESTS.name();
              case HOST_REPORTS -> Topics.HOST_REPORTS.name();
              case HOST_COMMANDS -> Topics.HOST_COMMANDS.name();
            };
        sent.add(producer.send(new ProducerRecord<>(topic, c.key(), c.value())));
        if (i % VALID_EVERY == 0) {
          String t = "ok-" + valid.size();
          valid.add(t);
          producer.send(request(t, "create-" + t));
        }
        if (i == corpus.size() / 2) {
          producer.flush();
          awaitEvents(kafka, 2 + valid.size() / 2); // decisions are under way: kill it now
          scheduler.destroyForcibly(); // SIGKILL
          scheduler.waitFor();
          scheduler = start(kafka, app, port, "second");
        }
      }
      producer.flush();
      for (int i = 0; i < corpus.size(); i++) {
        RecordMetadata m = sent.get(i).get();
        byOffset.put(m.topic() + "/" + m.partition() + "/" + m.offset(), corpus.get(i));
      }
    }
    try {
      verifyDeadLetters(kafka, byOffset);
      verifyEvents(kafka, corpus, valid);
      verifyRepeatsAfterTheRestart(kafka, valid);
      assertThat(scheduler.isAlive()).as("the scheduler never stopped").isTrue();
      assertThat(java.nio.file.Files.readString(Path.of("target", "hostile-it-first.log")))
          .as("a clean start: each meter registered once")
          .doesNotContain("has been already registered")
          .contains("Using the Kafka cluster at");
    } finally {
      scheduler.destroy();
      scheduler.waitFor();
    }
  }

  private void verifyDeadLetters(KafkaBroker kafka, Map<String, Case> byOffset) {
    Map<String, DeadLetter> letters = new HashMap<>();
    try (KafkaConsumer<String, byte[]> c = consumer(kafka, Topics.DEAD_LETTERS.name())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (letters.size() < byOffset.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          DeadLetter d = Codecs.DEAD_LETTER.decode(r.value()).orElseThrow();
          String at = d.sourceTopic() + "/" + d.partition() + "/" + d.offset();
          assertThat(letters.put(at, d)).as("one dead letter per value: " + at).isNull();
        }
      }
    }
    for (Map.Entry<String, Case> e : byOffset.entrySet()) {
      DeadLetter d = letters.get(e.getKey());
      String what = e.getValue().kind() + " at " + e.getKey();
      assertThat(d).as("dead letter for " + what).isNotNull();
      assertReadable(what, d.reason());
    }
    assertThat(letters).as("nothing valid is dead-lettered").hasSameSizeAs(byOffset);
  }

  private void verifyEvents(KafkaBroker kafka, List<Case> corpus, List<String> valid) {
    Map<String, List<String>> expected = new HashMap<>();
    int expectedRejections = 0;
    for (Case c : corpus) {
      if (c.rejectTo() != null) {
        expected.computeIfAbsent(c.rejectTo(), k -> new ArrayList<>()).add(c.requestId());
        expectedRejections++;
      }
    }
    int rejections = expectedRejections;
    List<TenantEvent> all =
        readEvents(
            kafka,
            e ->
                count(e, TenantEvent.Type.PLACED) >= valid.size() + 1
                    && count(e, TenantEvent.Type.REJECTED) >= rejections);
    all = readAll(kafka); // and a quiet while after: a second decision would show

    Map<String, List<TenantEvent>> rejected = new HashMap<>();
    Map<String, Integer> placed = new HashMap<>();
    for (TenantEvent e : all) {
      if (e.type() == TenantEvent.Type.REJECTED) {
        rejected.computeIfAbsent(e.tenantId(), k -> new ArrayList<>()).add(e);
        assertReadable("REJECTED " + e.tenantId(), e.reason());
      } else if (e.type() == TenantEvent.Type.PLACED) {
        placed.merge(e.tenantId(), 1, Integer::sum);
      }
    }
    for (String t : valid) {
      assertThat(placed.get(t)).as("valid request placed exactly once: " + t).isEqualTo(1);
      assertThat(rejected).as("valid request not refused: " + t).doesNotContainKey(t);
    }
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      List<String> got =
          rejected.getOrDefault(e.getKey(), List.of()).stream()
              .map(TenantEvent::requestId)
              .toList();
      assertThat(got)
          .as("REJECTED for " + e.getKey() + ", with the request ids")
          .containsExactlyInAnyOrderElementsOf(e.getValue());
    }
    assertThat(rejected.keySet()).as("no REJECTED beyond the corpus").isEqualTo(expected.keySet());
  }

  /** After the restart, every valid request sent again is a repeat: no second decision. */
  private void verifyRepeatsAfterTheRestart(KafkaBroker kafka, List<String> valid)
      throws Exception {
    int before = readAll(kafka).size();
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      for (String t : valid) {
        producer.send(request(t, "create-" + t));
      }
      producer.send(request(HostileCorpus.EXISTING, HostileCorpus.EXISTING_CREATE));
      producer.send(request("sentinel", "create-sentinel"));
    }
    readEvents(kafka, e -> e.stream().anyMatch(x -> x.tenantId().equals("sentinel")));
    assertThat(readAll(kafka).size() - before)
        .as("only the sentinel was decided: every re-sent id is a repeat")
        .isEqualTo(1);
  }

  private static long count(List<TenantEvent> events, TenantEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).count();
  }

  /** Every event of the scheduler's on the topic, read until a quiet 3 s. */
  private static List<TenantEvent> readAll(KafkaBroker kafka) {
    return readEvents(kafka, e -> false, Duration.ofMinutes(1));
  }

  private static void assertReadable(String what, String reason) {
    assertThat(reason).as(what).isNotBlank();
    assertThat(Names.hasHiddenCharacters(reason)).as(what + ": " + reason).isFalse();
    for (String word :
        List.of("Jackson", "Feature", "StreamRead", "[Source", "REDACTED", "Exception", "`")) {
      assertThat(reason).as(what).doesNotContain(word);
    }
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private Process start(KafkaBroker kafka, String app, int port, String name) throws IOException {
    return SchedulerProcess.start(kafka, app, port, work.resolve("state"), "hostile-it-" + name);
  }

  private static ProducerRecord<String, byte[]> request(String tenant, String requestId) {
    return new ProducerRecord<>(
        Topics.TENANT_REQUESTS.name(),
        tenant,
        utf8(
            "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\""
                + tenant
                + "\",\"requestId\":\""
                + requestId
                + "\",\"plan\":\"small\",\"region\":\"eu-west\"}"));
  }

  private static byte[] hostReport(String id) {
    return utf8(
        "{\"v\":1,\"clusterId\":\""
            + id
            + "\",\"region\":\"eu-west\",\"zones\":[\"a\",\"b\",\"c\"],"
            + "\"allocatable\":{\"cpuMillis\":400000,\"memoryMiB\":1024000,\"pods\":2500},"
            + "\"capabilities\":{\"datastoreModes\":[\"dedicated-etcd\"]},"
            + "\"reportedAt\":\"2026-11-24T10:00:00Z\"}");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(KafkaBroker kafka, String topic) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "hostile-it-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  private static List<TenantEvent> readEvents(
      KafkaBroker kafka, java.util.function.Predicate<List<TenantEvent>> done) {
    List<TenantEvent> all = readEvents(kafka, done, Duration.ofMinutes(4));
    assertThat(done.test(all)).as("events so far: " + all.size()).isTrue();
    return all;
  }

  /** Every event on the topic, until {@code done} or, once quiet for the timeout, what is there. */
  private static List<TenantEvent> readEvents(
      KafkaBroker kafka, java.util.function.Predicate<List<TenantEvent>> done, Duration timeout) {
    List<TenantEvent> all = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = consumer(kafka, Topics.TENANT_EVENTS.name())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      int quiet = 0;
      while (!done.test(all) && System.nanoTime() < deadline && (quiet < 6 || all.isEmpty())) {
        int n = 0;
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          TenantEvent e = Codecs.TENANT_EVENT.decode(r.value()).orElseThrow();
          if (e.source() == TenantEvent.Source.SCHEDULER) {
            all.add(e);
          }
          n++;
        }
        quiet = n == 0 ? quiet + 1 : 0;
      }
    }
    return all;
  }

  private static void awaitEvents(KafkaBroker kafka, int n) {
    readEvents(kafka, e -> e.size() >= n);
  }

  private static void awaitHosts(int port, int hosts) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/fleet"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode totals = JSON.readTree(r.body()).path("totals");
        if (r.statusCode() == 200 && totals.path("hosts").asInt() == hosts) {
          return;
        }
      } catch (IOException notUpYet) {
        // still starting
      }
      assertThat(System.nanoTime()).as("the scheduler saw the hosts").isLessThan(deadline);
      Thread.sleep(300);
    }
  }
}
