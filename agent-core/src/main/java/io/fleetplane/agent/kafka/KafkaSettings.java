package io.fleetplane.agent.kafka;

import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka clients of an agent, in one place, for the agent in its host cluster and the simulated
 * ones alike: given the deployment's own settings (bootstrap servers, TLS, SASL), what each kind of
 * client adds.
 */
public final class KafkaSettings {

  private KafkaSettings() {}

  /** The settings of {@code all} that a client of this kind takes (by its config names). */
  public static Properties only(Properties all, Set<String> accepted) {
    Properties p = new Properties();
    all.stringPropertyNames().stream()
        .filter(accepted::contains)
        .forEach(k -> p.put(k, all.getProperty(k)));
    return p;
  }

  /**
   * The producer of host reports and tenant events: every write acknowledged by all in-sync
   * replicas, idempotent (a retry never doubles an event), batched a little, compressed.
   */
  public static Properties reports(Properties base) {
    Properties p = only(base, ProducerConfig.configNames());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return p;
  }

  /**
   * The consumer of {@code fleet.placements}: committed records only (the scheduler writes in
   * transactions), no group (it assigns its partitions itself and replays them from the start at
   * every start, so it commits nothing), large fetches (a replay reads a partition whole).
   */
  public static Properties placements(Properties base) {
    Properties p = only(base, ConsumerConfig.configNames());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return p;
  }
}
