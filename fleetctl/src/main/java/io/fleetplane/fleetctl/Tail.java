package io.fleetplane.fleetctl;

import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints {@code fleet.tenant-events}, one line per event. Assigns every partition itself rather
 * than joining a consumer group: a person watching commits nothing, and must not take partitions
 * from another watcher.
 */
final class Tail {

  private static final String TOPIC = Topics.TENANT_EVENTS.name();
  private static final Duration MAX_POLL = Duration.ofMillis(500);

  private final TailOptions options;
  private final PrintStream out;
  private final PrintStream err;
  private int printed;
  private TenantEvent.Type lastType;

  private Tail(TailOptions options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  static int run(TailOptions options, String bootstrap, PrintStream out, PrintStream err) {
    return new Tail(options, out, err).follow(bootstrap);
  }

  /** "2026-11-24T10:15:30Z acme PLACED scheduler eu-west-h001 best fit, score 87". */
  static String line(TenantEvent e) {
    return e.at()
        + " "
        + e.tenantId()
        + " "
        + e.type().name()
        + " "
        + e.source().wire()
        + " "
        + (e.clusterId() == null ? "-" : e.clusterId())
        + " "
        + e.reason().replaceAll("\\s*\\R\\s*", " ");
  }

  private int follow(String bootstrap) {
    long start = System.nanoTime();
    long limit = options.limit() == null ? Long.MAX_VALUE : options.limit().toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClients.consumer(bootstrap),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      if (!assign(consumer, bootstrap)) {
        return 1;
      }
      // Differences of nanoTime, as its values may be negative: a deadline could overflow.
      for (long spent; (spent = System.nanoTime() - start) < limit; ) {
        Duration wait = Duration.ofNanos(Math.min(MAX_POLL.toNanos(), limit - spent));
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
          if (done(r)) {
            return 0;
          }
        }
      }
      return timedOut();
    } catch (TimeoutException e) {
      err.println("fleetctl: " + KafkaClients.didNotAnswer(bootstrap, e));
      err.println(KafkaClients.hint(bootstrap));
      return 1;
    } catch (InterruptException e) {
      err.println("fleetctl: interrupted");
      return 1;
    } catch (KafkaException e) {
      err.println(
          "fleetctl: Kafka at "
              + bootstrap
              + " cannot be used ("
              + KafkaClients.innermostMessage(e)
              + ")");
      err.println(KafkaClients.hint(bootstrap));
      return 1;
    }
  }

  /** Assigns every partition at the start asked for; false if the topic does not exist. */
  private boolean assign(KafkaConsumer<String, byte[]> consumer, String bootstrap) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(TOPIC, KafkaClients.ANSWER_WITHIN).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .collect(Collectors.toList());
    if (partitions.isEmpty()) {
      err.println("fleetctl: topic " + TOPIC + " does not exist at " + bootstrap);
      err.println(KafkaClients.NO_TOPIC_HINT);
      return false;
    }
    consumer.assign(partitions);
    if (options.fromBeginning()) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    // Seeking is lazy: fix the start now, or events published before the first poll are missed.
    partitions.forEach(consumer::position);
    err.println(
        "following "
            + TOPIC
            + " ("
            + partitions.size()
            + " partitions) from "
            + (options.fromBeginning() ? "the beginning" : "now")
            + (options.tenant() == null ? "" : " for tenant " + options.tenant()));
    return true;
  }

  /** Prints the record if it is one to show; true when the tail should stop after it. */
  private boolean done(ConsumerRecord<String, byte[]> r) {
    Decoded<TenantEvent> decoded = Codecs.TENANT_EVENT.decode(r.value());
    if (decoded instanceof Decoded.Failure<TenantEvent> f) {
      // The key is the tenant id even when the value is unreadable: say so only when it may matter.
      if (options.tenant() == null || r.key() == null || options.tenant().equals(r.key())) {
        err.println(
            "fleetctl: skipped "
                + r.topic()
                + "["
                + r.partition()
                + "]@"
                + r.offset()
                + ", not a tenant event ("
                + f.reason()
                + ")");
      }
      return false;
    }
    TenantEvent e = ((Decoded.Ok<TenantEvent>) decoded).value();
    if (options.tenant() != null && !options.tenant().equals(e.tenantId())) {
      return false;
    }
    out.println(line(e));
    printed++;
    lastType = e.type();
    return options.until().contains(e.type())
        || (options.count() != null && printed >= options.count());
  }

  private int timedOut() {
    if (options.until().isEmpty()) {
      return 0;
    }
    err.println(
        "fleetctl: "
            + options.tenant()
            + " did not reach "
            + options.until().stream().sorted().map(Enum::name).collect(Collectors.joining(" or "))
            + " within "
            + describe(options.limit())
            + (lastType == null ? " (no event of it seen)" : " (last event: " + lastType + ")"));
    return 1;
  }

  /** "20s", "5m", "1500ms": as it would be typed. */
  private static String describe(Duration d) {
    if (d.toMillisPart() != 0) {
      return d.toMillis() + "ms";
    }
    if (d.toSecondsPart() != 0) {
      return d.toSeconds() + "s";
    }
    return d.toMinutesPart() != 0 ? d.toMinutes() + "m" : d.toHours() + "h";
  }
}
