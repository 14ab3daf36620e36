package io.fleetplane.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Op;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fleetctl against a real broker: what it publishes, what it tails, and no broker at all. */
class FleetctlIT {

  private static final Pattern PUBLISHED =
      Pattern.compile(
          "published (\\w+) (\\S+) \\(request (\\S+)\\)"
              + " to fleet\\.tenant-requests\\[(\\d+)\\]@(\\d+)\\n");

  static KafkaBroker kafka;

  record Result(int exit, String out, String err) {}

  @BeforeAll
  static void broker() throws Exception {
    kafka = KafkaBrokers.start();
    try (Admin admin = kafka.admin()) {
      admin
          .createTopics(Topics.all().stream().map(t -> t.newTopic((short) 1)).toList())
          .all()
          .get();
    }
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  private static Result fleetctl(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Fleetctl.run(args, printer(out), printer(err));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static PrintStream printer(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String[] against(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--bootstrap";
    all[1] = kafka.bootstrapServers();
    System.arraycopy(args, 0, all, 2, args.length);
    return all;
  }

  /** The request a "published ..." line names, read back from where it says it went. */
  private static TenantRequest publishedRequest(Result r) {
    assertThat(r.exit()).as(r.err()).isZero();
    Matcher m = PUBLISHED.matcher(r.out());
    assertThat(m.matches()).as(r.out()).isTrue();
    TopicPartition tp =
        new TopicPartition(Topics.TENANT_REQUESTS.name(), Integer.parseInt(m.group(4)));
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            kafka.clientProperties(), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, Long.parseLong(m.group(5)));
      ConsumerRecord<String, byte[]> record =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> {
                    var records = consumer.poll(Duration.ofMillis(200)).records(tp);
                    return records.isEmpty() ? null : records.get(0);
                  },
                  rec -> rec != null);
      TenantRequest request = Codecs.tenantRequest().decode(record.value()).orElseThrow();
      assertThat(record.key()).isEqualTo(request.tenantId()).isEqualTo(m.group(2));
      assertThat(request.op().wire()).isEqualTo(m.group(1));
      assertThat(request.requestId()).isEqualTo(m.group(3));
      return request;
    }
  }

  private static void publishEvents(String tenant, TenantEvent.Type... types) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      for (TenantEvent.Type type : types) {
        TenantEvent.Source source =
            type.compareTo(TenantEvent.Type.PROVISIONING) >= 0
                ? TenantEvent.Source.AGENT
                : TenantEvent.Source.SCHEDULER;
        String cluster = type == TenantEvent.Type.ACCEPTED ? null : "eu-west-h001";
        TenantEvent e =
            TenantEvent.of(
                tenant, type, source, cluster, "r-" + tenant, "because " + type, Instant.now());
        producer.send(event(tenant, Codecs.TENANT_EVENT.encode(e)));
      }
      producer.flush();
    }
  }

  private static ProducerRecord<String, byte[]> event(String key, byte[] value) {
    return new ProducerRecord<>(Topics.TENANT_EVENTS.name(), key, value);
  }

  @Test
  void createPublishesARequestKeyedByTheTenant() {
    TenantRequest r =
        publishedRequest(
            fleetctl(
                against(
                    "create",
                    "acme-it",
                    "--region",
                    "eu-west",
                    "--plan",
                    "medium",
                    "--isolation",
                    "gvisor",
                    "--label",
                    "fleet.io/tier=gold",
                    "--ha",
                    "--priority",
                    "7",
                    "--storage-gi",
                    "16",
                    "--request-id",
                    "acme-it-1")));

    assertThat(r.op()).isEqualTo(Op.CREATE);
    assertThat(r.tenantId()).isEqualTo("acme-it");
    assertThat(r.requestId()).isEqualTo("acme-it-1");
    assertThat(r.plan()).isEqualTo("medium");
    assertThat(r.region()).isEqualTo("eu-west");
    assertThat(r.datastore().mode()).isEqualTo(DatastoreMode.DEDICATED_ETCD);
    assertThat(r.isolation()).isEqualTo(Isolation.GVISOR);
    assertThat(r.requiredLabels()).isEqualTo(Map.of("fleet.io/tier", "gold"));
    assertThat(r.highAvailability()).isTrue();
    assertThat(r.priority()).isEqualTo(7);
    assertThat(r.storageGi()).isEqualTo(16);
  }

  @Test
  void resizeAndDeletePublishAnUpdateAndADelete() {
    TenantRequest resize =
        publishedRequest(fleetctl(against("resize", "acme-it", "--plan", "large")));
    TenantRequest delete = publishedRequest(fleetctl(against("delete", "acme-it")));

    assertThat(resize.op()).isEqualTo(Op.UPDATE);
    assertThat(resize.plan()).isEqualTo("large");
    assertThat(resize.region()).isNull();
    assertThat(delete.op()).isEqualTo(Op.DELETE);
    assertThat(delete.tenantId()).isEqualTo("acme-it");
    assertThat(delete.requestId()).isNotEqualTo(resize.requestId());
  }

  @Test
  void badInputPublishesNothing() throws Exception {
    long before = endOffsetsSum(Topics.TENANT_REQUESTS);

    Result r = fleetctl(against("create", "Bad_Id", "--region", "eu-west"));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(endOffsetsSum(Topics.TENANT_REQUESTS)).isEqualTo(before);
  }

  @Test
  void tailPrintsTheTenantsEventsUntilItIsReady() {
    publishEvents("tail-a", TenantEvent.Type.ACCEPTED, TenantEvent.Type.PLACED);
    publishEvents("someone-else", TenantEvent.Type.ACCEPTED);
    publishEvents("tail-a", TenantEvent.Type.PROVISIONING, TenantEvent.Type.READY);

    Result r =
        fleetctl(
            against(
                "tail",
                "--tenant",
                "tail-a",
                "--from-beginning",
                "--until",
                "READY",
                "--for",
                "20s"));

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .satisfiesExactly(
            l -> assertThat(l).matches("\\S+Z tail-a ACCEPTED scheduler - because ACCEPTED"),
            l -> assertThat(l).endsWith(" tail-a PLACED scheduler eu-west-h001 because PLACED"),
            l ->
                assertThat(l)
                    .endsWith(" tail-a PROVISIONING agent eu-west-h001 because PROVISIONING"),
            l -> assertThat(l).endsWith(" tail-a READY agent eu-west-h001 because READY"));
  }

  @Test
  void tailSaysWhichRecordItCouldNotReadAndGoesOn() {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(event("tail-bad", "{not json".getBytes(StandardCharsets.UTF_8)));
    }
    publishEvents("tail-bad", TenantEvent.Type.FAILED);

    Result r =
        fleetctl(
            against(
                "tail",
                "--tenant",
                "tail-bad",
                "--from-beginning",
                "--until",
                "READY,FAILED",
                "--for",
                "20s"));

    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .containsPattern(
            "fleetctl: skipped fleet\\.tenant-events\\[\\d+\\]@\\d+,"
                + " not a tenant event \\(malformed JSON");
    assertThat(r.out()).contains(" tail-bad FAILED agent ");
  }

  @Test
  void tailFollowsEventsPublishedAfterItStarted() {
    publishEvents("tail-live", TenantEvent.Type.ACCEPTED);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                Fleetctl.run(
                    against("tail", "--tenant", "tail-live", "--until", "READY", "--for", "30s"),
                    printer(out),
                    printer(err)));
    await().atMost(Duration.ofSeconds(15)).until(() -> err.toString().contains("following"));

    publishEvents("tail-live", TenantEvent.Type.PLACED, TenantEvent.Type.READY);

    assertThat(exit.join()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" ")[2]).toList())
        .containsExactly("PLACED", "READY");
  }

  @Test
  void tailStopsAfterCountEvents() {
    publishEvents(
        "tail-count",
        TenantEvent.Type.ACCEPTED,
        TenantEvent.Type.PLACED,
        TenantEvent.Type.PROVISIONING);

    Result r =
        fleetctl(
            against(
                "tail",
                "--tenant",
                "tail-count",
                "--from-beginning",
                "--count",
                "2",
                "--for",
                "20s"));

    assertThat(r.exit()).isZero();
    assertThat(r.out().lines()).hasSize(2);
  }

  @Test
  void tailExitsOneWhenReadyNeverComes() {
    publishEvents("tail-stuck", TenantEvent.Type.ACCEPTED, TenantEvent.Type.PENDING);

    long t0 = System.nanoTime();
    Result r =
        fleetctl(
            against(
                "tail",
                "--tenant",
                "tail-stuck",
                "--from-beginning",
                "--until",
                "READY",
                "--for",
                "3s"));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(r.out().lines()).hasSize(2);
    assertThat(r.err())
        .contains("fleetctl: tail-stuck did not reach READY within 3s (last event: PENDING)");
  }

  @Test
  void anUnreachableBrokerIsSaidPlainlyWithinFifteenSeconds() throws Exception {
    String nobody = "127.0.0.1:" + freePort();

    for (String[] command :
        List.of(
            new String[] {"--bootstrap", nobody, "create", "acme", "--region", "eu-west"},
            new String[] {"--bootstrap", nobody, "tail", "--for", "30s"})) {
      long t0 = System.nanoTime();
      Result r = fleetctl(command);

      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err())
          .startsWith("fleetctl: Kafka at " + nobody + " did not answer within 10 s (")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void saysSoWhenTheFleetTopicsDoNotExist() {
    try (KafkaBroker empty = KafkaBrokers.start()) {
      String at = empty.bootstrapServers();

      Result tail = fleetctl("--bootstrap", at, "tail", "--for", "5s");
      Result delete = fleetctl("--bootstrap", at, "delete", "acme");

      assertThat(tail.exit()).isEqualTo(1);
      assertThat(tail.err())
          .startsWith("fleetctl: topic fleet.tenant-events does not exist at " + at + "\n");
      assertThat(delete.exit()).isEqualTo(1);
      assertThat(delete.err())
          .startsWith("fleetctl: topic fleet.tenant-requests does not exist at " + at + "\n");
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long endOffsetsSum(TopicSpec topic) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            kafka.clientProperties(), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
