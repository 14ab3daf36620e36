package io.fleetplane.fleetctl;

import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo's gentle stream of tenant requests: {@code rate} requests a second, creates until {@code
 * live} tenants of its own are live, then churn (a delete and a create, now and then a resize), so
 * the dashboard keeps moving without the fleet filling up. The requests are {@link TenantMix#DEMO};
 * the mix is fixed by the seed.
 */
final class RequestStream implements AutoCloseable {

  private static final String[] NAMES = {
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "stark",
    "wayne",
    "wonka",
    "tyrell",
    "cyberdyne"
  };

  private final KafkaProducer<String, byte[]> producer;
  private final List<String> regions;
  private final double rate;
  private final int live;
  private final Random random;
  private final String tag;
  private final List<String> mine = new ArrayList<>();
  private final AtomicLong creates = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();
  private final AtomicLong resizes = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private long next;

  /** Tenant ids the stream makes: one of {@link #NAMES}, the run's tag, a number. */
  private static final Pattern MINE =
      Pattern.compile("(" + String.join("|", NAMES) + ")-[0-9a-z]{1,4}-[0-9]+");

  /** Whether the stream (of this run or an earlier one) made this tenant. */
  static boolean madeBy(String tenantId) {
    return MINE.matcher(tenantId).matches();
  }

  /**
   * @param live how many tenants of its own the stream keeps live
   * @param adopted tenants of earlier streams, live already: its own to churn (never anyone else's)
   */
  RequestStream(
      Properties kafka,
      List<String> regions,
      double rate,
      int live,
      List<String> adopted,
      long seed) {
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.regions = List.copyOf(regions);
    this.rate = rate;
    this.live = live;
    this.random = new Random(seed);
    // Tenant ids of this run: a demo started again on the same data does not ask for old ids.
    this.tag = Long.toString(System.currentTimeMillis() / 1000 % 46_656, 36);
    this.mine.addAll(adopted);
    this.thread = new Thread(this::run, "fleet-demo-requests");
    thread.setDaemon(true);
    thread.start();
  }

  long creates() {
    return creates.get();
  }

  long deletes() {
    return deletes.get();
  }

  long resizes() {
    return resizes.get();
  }

  private void run() {
    long periodNanos = (long) (1e9 / rate);
    long due = System.nanoTime();
    while (running) {
      try {
        step();
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        System.err.println("demo requests: " + e.getMessage() + " (going on)");
      }
      due += periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void step() {
    if (mine.size() < live) {
      create();
      return;
    }
    if (mine.isEmpty()) {
      return; // nothing of its own to churn
    }
    int roll = random.nextInt(10);
    if (roll == 0) {
      String tenant = mine.get(random.nextInt(mine.size()));
      send(TenantRequest.resize(tenant, UUID.randomUUID().toString(), TenantMix.DEMO.plan(random)));
      resizes.incrementAndGet();
    } else if (roll < 6) {
      String tenant = mine.remove(random.nextInt(mine.size()));
      send(TenantRequest.delete(tenant, UUID.randomUUID().toString()));
      deletes.incrementAndGet();
    } else {
      create();
    }
  }

  private void create() {
    String tenant = NAMES[random.nextInt(NAMES.length)] + "-" + tag + "-" + (++next);
    send(TenantMix.DEMO.create(random, tenant, UUID.randomUUID().toString(), regions));
    mine.add(tenant);
    creates.incrementAndGet();
  }

  private void send(TenantRequest r) {
    producer.send(
        new ProducerRecord<>(
            Topics.TENANT_REQUESTS.name(), r.tenantId(), Codecs.tenantRequest().encode(r)));
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
  }
}
