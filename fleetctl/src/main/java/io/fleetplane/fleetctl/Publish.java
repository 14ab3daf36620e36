package io.fleetplane.fleetctl;

import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes one tenant request to {@code fleet.tenant-requests} and waits until it is stored. */
final class Publish {

  private Publish() {}

  static int toKafka(String bootstrap, TenantRequest request, PrintStream out, PrintStream err) {
    String topic = Topics.TENANT_REQUESTS.name();
    KafkaProducer<String, byte[]> producer;
    try {
      producer =
          new KafkaProducer<>(
              KafkaClients.producer(bootstrap), new StringSerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      return failed(
          err,
          "Kafka at " + bootstrap + " cannot be used (" + KafkaClients.innermostMessage(e) + ")",
          KafkaClients.hint(bootstrap));
    }
    try {
      RecordMetadata m =
          producer
              .send(
                  new ProducerRecord<>(
                      topic, request.tenantId(), Codecs.tenantRequest().encode(request)))
              .get();
      out.printf(
          "published %s %s (request %s) to %s[%d]@%d%n",
          request.op().wire(),
          request.tenantId(),
          request.requestId(),
          topic,
          m.partition(),
          m.offset());
      return 0;
    } catch (ExecutionException e) {
      return kafkaFailed(err, bootstrap, e.getCause());
    } catch (KafkaException e) {
      return kafkaFailed(err, bootstrap, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("fleetctl: interrupted before Kafka acknowledged the request");
      return 1;
    } finally {
      // Bounded: after a failure nothing is in flight, and a person is waiting.
      producer.close(Duration.ofSeconds(5));
    }
  }

  private static int kafkaFailed(PrintStream err, String bootstrap, Throwable cause) {
    if (KafkaClients.causedBy(cause, UnknownTopicOrPartitionException.class)) {
      return failed(
          err,
          "topic " + Topics.TENANT_REQUESTS.name() + " does not exist at " + bootstrap,
          KafkaClients.NO_TOPIC_HINT);
    }
    if (cause instanceof TimeoutException) {
      return failed(err, KafkaClients.didNotAnswer(bootstrap, cause), KafkaClients.hint(bootstrap));
    }
    err.println(
        "fleetctl: Kafka at "
            + bootstrap
            + " refused the request ("
            + KafkaClients.innermostMessage(cause)
            + ")");
    return 1;
  }

  private static int failed(PrintStream err, String message, String hint) {
    err.println("fleetctl: " + message);
    err.println(hint);
    return 1;
  }
}
