package io.fleetplane.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.reconcile.Controllers;
import io.fleetplane.agent.tenant.TenantApiServer;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Kafka away: the agent goes on reconciling the tenants it knows (their resources are in the host
 * cluster), and reports their state once Kafka is back. The agent's clients are pointed at a port
 * where, at first, nothing listens; later a forwarder to a real broker opens there.
 */
@EnableKubernetesMockClient(crud = true)
class KafkaOutageIT {

  KubernetesClient client;

  @Test
  void reconcilesWhileKafkaIsAwayAndReportsOnceItReturns() throws Exception {
    Fixtures.installCrd(client);
    int kafkaPort;
    try (ServerSocket s = new ServerSocket(0)) {
      kafkaPort = s.getLocalPort(); // free, and nothing listens on it yet
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + kafkaPort);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);

    try (TenantApiServer tenantApi = new TenantApiServer();
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        KubernetesHostCluster cluster = new KubernetesHostCluster(client);
        StatusReporter reporter =
            new StatusReporter(cluster, "eu-h1", producer, Clock.systemUTC())) {
      Operator operator = Controllers.operator(client, tenantApi.api());
      operator.start();
      try {
        // A placement the agent already knew before Kafka went away.
        new KubernetesHostCluster(client)
            .apply(
                TenantControlPlaneSpec.of(
                    Fixtures.placement(
                        "eu-h1", "acme", "small", 1, DatastoreMode.SHARED_ETCD, Isolation.RUNC)));

        // It is reconciled without Kafka: namespace built, status written.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client.resources(Namespace.class).withName(TenantNames.namespace("acme")).get()
                            != null
                        && status() != null);
        // Its event cannot be delivered, and is kept.
        await()
            .atMost(Duration.ofSeconds(20))
            .pollDelay(Duration.ofSeconds(3))
            .until(() -> reporter.undeliveredCount() == 1);
        reporter.resendUndelivered(); // the periodic resend, while Kafka is still away
        Thread.sleep(2500);
        assertThat(reporter.undeliveredCount()).isEqualTo(1);

        // Kafka returns.
        try (KafkaBroker kafka = KafkaBrokers.start();
            Forwarder forwarder = new Forwarder(kafkaPort, kafka.bootstrapServers())) {
          kafka.createTopics(List.of(Topics.TENANT_EVENTS.newTopic((short) 1)));
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> {
                    reporter.resendUndelivered(); // as the agent's timer does every few seconds
                    return reporter.undeliveredCount() == 0;
                  });
          List<TenantEvent> events = read(kafka, 1);
          assertThat(events).hasSize(1);
          assertThat(events.get(0).tenantId()).isEqualTo("acme");
          assertThat(events.get(0).type().name()).isEqualTo(status().toUpperCase());
          assertThat(events.get(0).clusterId()).isEqualTo("eu-h1");
        }
      } finally {
        operator.stop();
      }
    }
  }

  private String status() {
    TenantControlPlane t = client.resources(TenantControlPlane.class).withName("acme").get();
    return t == null || t.getStatus() == null ? null : t.getStatus().getPhase();
  }

  private static List<TenantEvent> read(KafkaBroker kafka, int atLeast) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<TenantEvent> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.TENANT_EVENTS.name()));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> out.add(Codecs.TENANT_EVENT.decode(r.value()).orElseThrow()));
                return out.size() >= atLeast;
              });
      consumer
          .poll(Duration.ofMillis(500))
          .forEach(r -> out.add(Codecs.TENANT_EVENT.decode(r.value()).orElseThrow()));
    }
    return out;
  }

  /**
   * Forwards TCP connections from a local port to the broker: the agent bootstraps through it, as
   * it would through a load balancer coming back, then talks to the broker's advertised address.
   */
  static final class Forwarder implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;

    Forwarder(int port, String target) throws IOException {
      String[] hostPort = target.split(",")[0].split(":");
      InetSocketAddress to = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress("localhost", port));
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket in = server.accept();
                    Socket out = new Socket(to.getHostString(), to.getPort());
                    pump(in, out);
                    pump(out, in);
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "kafka-forwarder");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private static void pump(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException done) {
                  // either side closed
                } finally {
                  try {
                    from.close();
                    to.close();
                  } catch (IOException ignored) {
                    // closing
                  }
                }
              },
              "kafka-forwarder-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
