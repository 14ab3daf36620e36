package io.fleetplane.scheduler.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker (broker and controller in one) inside this process, from Kafka's own
 * jars, with its data on disk: the default of `the one command`, so that a fresh clone needs
 * nothing else. Formats the data directory the first time, reuses it after.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) {
    requireFree(port, "broker");
    requireFree(controllerPort, "controller");
    String dir = dataDir.toAbsolutePath().toString();
    Map<String, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir);
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(dataDir.resolve("meta.properties"))) {
        new Formatter()
            .setNodeId(1)
            .setClusterId(Uuid.randomUuid().toString())
            .addDirectory(dir)
            .setMetadataLogDirectory(dir)
            .setReleaseVersion(MetadataVersion.latestProduction())
            .setControllerListenerName("CONTROLLER")
            .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
            .run();
      }
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
      server.startup();
      return new EmbeddedKafka(server, "localhost:" + port);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the embedded Kafka broker in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void requireFree(int port, String what) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("localhost", port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " for the embedded Kafka "
              + what
              + " is in use: to use the Kafka"
              + " already there, set kafka.bootstrap.servers; to move the embedded one, set"
              + " fleet.embedded-kafka.port and fleet.embedded-kafka.controller-port");
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
