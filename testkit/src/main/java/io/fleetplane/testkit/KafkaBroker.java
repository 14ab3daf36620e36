package io.fleetplane.testkit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** A running Kafka broker for tests: where it is, and topic creation. */
public interface KafkaBroker extends AutoCloseable {

  String bootstrapServers();

  /** What kind of broker this is, for logs: "in-JVM KRaft 4.1.2", "Testcontainers ...". */
  String description();

  /** {@code bootstrap.servers} and nothing else: add what the client needs. */
  default Properties clientProperties() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  default Admin admin() {
    return Admin.create(clientProperties());
  }

  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  default void createTopics(Collection<NewTopic> topics) {
    try (Admin admin = admin()) {
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e :
          admin.createTopics(topics).values().entrySet()) {
        try {
          e.getValue().get();
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + e.getKey(), ex.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  default void createTopic(String name, int partitions) {
    createTopics(List.of(new NewTopic(name, partitions, (short) 1)));
  }

  @Override
  void close();
}
