package io.fleetplane.testkit;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker (one broker and one controller in one process) running in this JVM
 * from Kafka's own jars, data in a temporary directory deleted on close.
 */
final class InJvmKafka implements KafkaBroker {

  private final KafkaClusterTestKit cluster;

  private InJvmKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static InJvmKafka start() {
    KafkaClusterTestKit cluster = null;
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              // Without this the test kit starts on an unstable metadata version.
              .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
              .build();
      cluster =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "4")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("transaction.state.log.num.partitions", "4")
              .setConfigProp("min.insync.replicas", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              // Tests must create their topics: a typo should fail, not invent a topic.
              .setConfigProp("auto.create.topics.enable", "false")
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new InJvmKafka(cluster);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(cluster);
      throw new IllegalStateException("interrupted while starting the in-JVM Kafka broker", e);
    } catch (Exception e) {
      closeQuietly(cluster);
      throw new IllegalStateException("cannot start the in-JVM Kafka broker: " + e.getMessage(), e);
    }
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public String description() {
    return "in-JVM KRaft broker, Kafka " + AppInfoParser.getVersion();
  }

  @Override
  public void close() {
    closeQuietly(cluster);
  }

  private static void closeQuietly(KafkaClusterTestKit cluster) {
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (Exception e) {
      System.err.println("[testkit] closing the in-JVM Kafka broker: " + e);
    }
  }
}
