package io.fleetplane.fleetctl;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The client settings of fleetctl: a person is waiting, so nothing waits longer than seconds. */
final class KafkaClients {

  private KafkaClients() {}

  /** How long a command waits for the broker before it says so. */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(15);

  static final String NO_TOPIC_HINT =
      "the scheduler creates the fleet topics when it starts; or is --bootstrap the fleet's Kafka?";

  static Properties producer(String bootstrap) {
    Properties p = common(bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ANSWER_WITHIN.toMillis()));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DELIVERY_TIMEOUT.toMillis()));
    // The producer refuses a delivery timeout below linger + request timeout; one record needs no
    // lingering.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return p;
  }

  static Properties consumer(String bootstrap) {
    Properties p = common(bootstrap);
    // Only what the scheduler committed: an aborted transaction's events never happened.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ANSWER_WITHIN.toMillis()));
    return p;
  }

  /** Client settings from {@code --kafka-config} (TLS, SASL...), for every client of this run. */
  private static volatile Properties settings = new Properties();

  /** Sets the client settings of this run: one command line, one set. */
  static void use(Properties clientSettings) {
    Properties copy = new Properties();
    copy.putAll(clientSettings);
    settings = copy;
  }

  /** The client settings of this run, with {@code bootstrap} as the servers. */
  static Properties settings(String bootstrap) {
    Properties p = new Properties();
    p.putAll(settings);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }

  private static Properties common(String bootstrap) {
    Properties p = settings(bootstrap);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "fleetctl");
    p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ANSWER_WITHIN.toMillis()));
    return p;
  }

  /** "Kafka at localhost:9092 did not answer within 10 s (...)". */
  static String didNotAnswer(String bootstrap, Throwable cause) {
    return "Kafka at "
        + bootstrap
        + " did not answer within "
        + ANSWER_WITHIN.toSeconds()
        + " s ("
        + innermostMessage(cause)
        + ")";
  }

  static String hint(String bootstrap) {
    return "is a broker listening at "
        + bootstrap
        + "? Point --bootstrap or FLEET_KAFKA_BOOTSTRAP at the fleet's Kafka";
  }

  static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** Kafka wraps the cause a person can act on ("No resolvable bootstrap urls") in others. */
  static String innermostMessage(Throwable t) {
    String message = String.valueOf(t.getMessage());
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        message = c.getMessage();
      }
    }
    return message;
  }
}
