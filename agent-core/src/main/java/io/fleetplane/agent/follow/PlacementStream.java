package io.fleetplane.agent.follow;

import io.fleetplane.agent.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The follow loop of {@code fleet.placements} (or a topic like it, in tests), for one agent (one
 * partition) and for a simulated fleet (the partitions of all its agents) alike: on a thread of its
 * own, it assigns its partitions, reads each from its beginning to the end it had when the reading
 * began (the replay, which gives the whole desired set), then follows. A failure is logged and the
 * whole loop starts again after {@link #RETRY_AFTER}, replay included; {@link #close} wakes the
 * consumer out of its poll (interrupting a Kafka client breaks its close) and waits for the thread.
 */
public final class PlacementStream implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PlacementStream.class);

  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  /** What is read. Called on the stream's thread only. */
  public interface Reader {

    /** A replay of these partitions begins: they are read again from their beginning. */
    void replayStarts(List<TopicPartition> partitions);

    /** A batch, as polled. */
    void records(ConsumerRecords<String, byte[]> batch);

    /** The partition's replay reached the end it had when the replay began. */
    void replayed(TopicPartition partition);
  }

  private final Properties settings;
  private final String topic;
  private final IntFunction<Set<Integer>> partitionsOf;
  private final Reader reader;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  /**
   * @param kafka the deployment's client settings (bootstrap servers, TLS, SASL)
   * @param partitionsOf which partitions to read, given how many the topic has
   */
  public PlacementStream(
      Properties kafka,
      String topic,
      String name,
      IntFunction<Set<Integer>> partitionsOf,
      Reader reader) {
    this.settings = KafkaSettings.placements(kafka);
    this.topic = topic;
    this.partitionsOf = partitionsOf;
    this.reader = reader;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true); // closed by its owner; never what keeps a process alive
  }

  public PlacementStream start() {
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer = c;
        int count = c.partitionsFor(topic).size();
        List<TopicPartition> tps = new ArrayList<>();
        for (int partition : partitionsOf.apply(count)) {
          tps.add(new TopicPartition(topic, partition));
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        Map<TopicPartition, Long> end = c.endOffsets(tps);
        Set<TopicPartition> replaying = new HashSet<>(tps);
        reader.replayStarts(List.copyOf(tps));
        finishReplays(c, end, replaying);
        while (running) {
          reader.records(c.poll(Duration.ofMillis(200)));
          if (!replaying.isEmpty()) {
            finishReplays(c, end, replaying);
          }
        }
      } catch (WakeupException e) {
        return; // closed
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warnf(
            "following placements failed, starting over in %d s: %s",
            RETRY_AFTER.toSeconds(), e.toString());
        try {
          Thread.sleep(RETRY_AFTER.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void finishReplays(
      KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end, Set<TopicPartition> left) {
    for (var it = left.iterator(); it.hasNext(); ) {
      TopicPartition tp = it.next();
      if (c.position(tp) >= end.get(tp)) {
        reader.replayed(tp);
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
