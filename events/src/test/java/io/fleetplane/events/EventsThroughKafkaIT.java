package io.fleetplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import io.fleetplane.events.codec.EventCodec;
import io.fleetplane.events.codec.FailureKind;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every event through a real broker, with real producers, consumers and Kafka Streams. */
@ExtendWith(KafkaExtension.class)
class EventsThroughKafkaIT {

  private static final int PLACEMENT_PARTITIONS = 8;

  @BeforeAll
  static void createTopics(KafkaBroker kafka) {
    List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
    for (TopicSpec spec : Topics.all()) {
      int partitions = spec == Topics.PLACEMENTS ? PLACEMENT_PARTITIONS : 3;
      topics.add(spec.newTopic(partitions, (short) 1));
    }
    topics.add(new org.apache.kafka.clients.admin.NewTopic("it.placement-input", 3, (short) 1));
    topics.add(
        new org.apache.kafka.clients.admin.NewTopic(
            "it.streams-placements", PLACEMENT_PARTITIONS, (short) 1));
    kafka.createTopics(topics);
  }

  @Test
  void everyEventTypeComesBackEqualThroughAPlainProducerAndConsumer(KafkaBroker kafka)
      throws Exception {
    TenantRequest request = Fixtures.fullCreate();
    HostReport report = Fixtures.hostReport("eu-west-h001");
    Placement placement = Fixtures.placement("eu-west-h001", "acme-prod");
    TenantEvent event = Fixtures.pending("acme-prod");
    send(kafka, Topics.TENANT_REQUESTS.name(), request.tenantId(), Codecs.tenantRequest(), request);
    send(kafka, Topics.HOST_REPORTS.name(), report.clusterId(), Codecs.HOST_REPORT, report);
    send(kafka, Topics.PLACEMENTS.name(), placement.key(), Codecs.PLACEMENT, placement);
    send(kafka, Topics.TENANT_EVENTS.name(), event.tenantId(), Codecs.TENANT_EVENT, event);

    assertThat(
            readAll(kafka, Topics.TENANT_REQUESTS.name(), Codecs.tenantRequest().deserializer(), 1))
        .extracting(r -> r.value().orElseThrow())
        .containsExactly(request);
    assertThat(readAll(kafka, Topics.HOST_REPORTS.name(), Codecs.HOST_REPORT.deserializer(), 1))
        .extracting(r -> r.value().orElseThrow())
        .containsExactly(report);
    assertThat(readAll(kafka, Topics.TENANT_EVENTS.name(), Codecs.TENANT_EVENT.deserializer(), 1))
        .extracting(r -> r.value().orElseThrow())
        .containsExactly(event);
  }

  @Test
  void aProducerWithTheClusterPartitionerPutsEachKeyWhereThePartitionerPromises(KafkaBroker kafka)
      throws Exception {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ClusterPartitioner.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    Map<String, Integer> landed = new HashMap<>();
    try (KafkaProducer<String, Placement> producer =
        new KafkaProducer<>(p, new StringSerializer(), Codecs.PLACEMENT.serializer())) {
      for (int c = 0; c < 40; c++) {
        for (int t = 0; t < 5; t++) {
          Placement pl = Fixtures.placement("host-" + c, "tenant-" + c + "-" + t);
          RecordMetadata md =
              producer
                  .send(new ProducerRecord<>(Topics.PLACEMENTS.name(), pl.key(), pl))
                  .get(30, TimeUnit.SECONDS);
          landed.put(pl.key(), md.partition());
        }
      }
      // A tombstone for a key goes to the same partition as the key's placements.
      RecordMetadata tomb =
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.PLACEMENTS.name(), PlacementKey.of("host-7", "tenant-7-0"), null))
              .get(30, TimeUnit.SECONDS);
      assertThat(tomb.partition())
          .isEqualTo(ClusterPartitioning.partitionFor("host-7", PLACEMENT_PARTITIONS));
    }
    landed.forEach(
        (key, partition) ->
            assertThat(partition)
                .as(key)
                .isEqualTo(ClusterPartitioning.partitionForKey(key, PLACEMENT_PARTITIONS)));
    // And reading the records back, each sits on its cluster's partition.
    for (ConsumerRecord<String, Decoded<Placement>> r :
        readAll(kafka, Topics.PLACEMENTS.name(), Codecs.PLACEMENT.deserializer(), 201)) {
      assertThat(r.partition())
          .isEqualTo(ClusterPartitioning.partitionForKey(r.key(), PLACEMENT_PARTITIONS));
      if (r.value() != null) {
        assertThat(r.value().orElseThrow().key()).isEqualTo(r.key());
      }
    }
  }

  @Test
  void kafkaStreamsWithTheStreamPartitionerAgreesWithThePlainProducer(
      KafkaBroker kafka, @TempDir Path stateDir) throws Exception {
    // Input keyed by tenant (as the scheduler's placement step sees it), re-keyed by
    // clusterId/tenantId on the way out through the stream partitioner.
    List<Placement> placements = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      placements.add(Fixtures.placement("cluster-" + (i % 13), "t" + i));
    }
    for (Placement pl : placements) {
      send(kafka, "it.placement-input", pl.tenantId(), Codecs.PLACEMENT, pl);
    }
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            "it.placement-input", Consumed.with(Serdes.String(), Codecs.PLACEMENT.decodedSerde()))
        .filter((k, v) -> v.isOk())
        .map(
            (k, v) ->
                org.apache.kafka.streams.KeyValue.pair(v.orElseThrow().key(), v.orElseThrow()))
        .to(
            "it.streams-placements",
            Produced.with(Serdes.String(), Codecs.PLACEMENT.serde())
                .withStreamPartitioner(new ClusterStreamPartitioner<>()));
    Properties props = kafka.clientProperties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "events-it");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      List<ConsumerRecord<String, Decoded<Placement>>> out =
          readAll(
              kafka, "it.streams-placements", Codecs.PLACEMENT.deserializer(), placements.size());
      assertThat(out).hasSize(placements.size());
      for (ConsumerRecord<String, Decoded<Placement>> r : out) {
        assertThat(r.partition())
            .as(r.key())
            .isEqualTo(ClusterPartitioning.partitionForKey(r.key(), PLACEMENT_PARTITIONS));
      }
    }
  }

  @Test
  void malformedBytesComeBackAsTypedFailures(KafkaBroker kafka) throws Exception {
    Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
    bad.put("not-json", "tenant please".getBytes(StandardCharsets.UTF_8));
    bad.put("truncated", "{\"v\":1,\"op\":\"CRE".getBytes(StandardCharsets.UTF_8));
    bad.put("binary", new byte[] {(byte) 0xc3, 0x28, 0, 1, 2});
    bad.put("wrong-version", "{\"v\":7}".getBytes(StandardCharsets.UTF_8));
    bad.put(
        "invalid",
        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"UPPER\"}".getBytes(StandardCharsets.UTF_8));
    Properties p = kafka.clientProperties();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, byte[]> e : bad.entrySet()) {
        producer
            .send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), e.getKey(), e.getValue()))
            .get();
      }
    }
    Map<String, FailureKind> kinds = new HashMap<>();
    for (ConsumerRecord<String, Decoded<TenantRequest>> r :
        readAll(
            kafka, Topics.DEAD_LETTERS.name(), Codecs.tenantRequest().deserializer(), bad.size())) {
      assertThat(r.value()).isInstanceOf(Decoded.Failure.class);
      kinds.put(r.key(), ((Decoded.Failure<TenantRequest>) r.value()).kind());
    }
    assertThat(kinds)
        .containsEntry("not-json", FailureKind.MALFORMED_JSON)
        .containsEntry("truncated", FailureKind.MALFORMED_JSON)
        .containsEntry("binary", FailureKind.NOT_UTF8)
        .containsEntry("wrong-version", FailureKind.UNSUPPORTED_VERSION)
        .containsEntry("invalid", FailureKind.INVALID);
  }

  private static <T> void send(
      KafkaBroker kafka, String topic, String key, EventCodec<T, ?> codec, T value)
      throws Exception {
    Properties p = kafka.clientProperties();
    if (topic.equals(Topics.PLACEMENTS.name())) {
      // Kafka's default partitioner would hash the whole clusterId/tenantId key.
      p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ClusterPartitioner.class.getName());
    }
    try (KafkaProducer<String, T> producer =
        new KafkaProducer<>(p, new StringSerializer(), codec.serializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static <V> List<ConsumerRecord<String, V>> readAll(
      KafkaBroker kafka, String topic, Deserializer<V> values, int expected) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic + "-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
