package io.fleetplane.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class KafkaExtensionIT {

  @Test
  void handsOutABrokerThatTakesAndGivesBackRecords(KafkaBroker kafka) throws Exception {
    kafka.createTopic("testkit.round-trip", 2);
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("testkit.round-trip", "k" + i, "v" + i)).get();
      }
    }
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "testkit");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("testkit.round-trip"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < 10 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
    }
    assertThat(values).hasSize(10).contains("v0", "v9");
  }

  @Test
  void sharesOneBrokerAcrossTheRun(KafkaBroker first, KafkaBroker second) {
    assertThat(first).isSameAs(second);
  }

  @Test
  void createsTopicsIdempotently(KafkaBroker kafka) throws Exception {
    kafka.createTopic("testkit.twice", 3);
    kafka.createTopic("testkit.twice", 3);
    try (var admin = kafka.admin()) {
      assertThat(
              admin
                  .describeTopics(List.of("testkit.twice"))
                  .allTopicNames()
                  .get()
                  .get("testkit.twice")
                  .partitions())
          .hasSize(3);
    }
  }
}
