package io.fleetplane.scheduler.kafka;

import io.fleetplane.events.TopicSpec;
import io.fleetplane.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/** Creates the fleet's missing topics, or says clearly why it cannot. */
public final class TopicCreator {

  private TopicCreator() {}

  /**
   * Creates every fleet topic that does not exist yet, with its configs.
   *
   * @param adminProps admin client properties (bootstrap servers, TLS/SASL)
   * @return the names of the topics created
   * @throws IllegalStateException naming the servers if Kafka cannot be reached within {@code
   *     timeout}, or saying what Kafka refused
   */
  public static List<String> createMissing(
      Map<String, Object> adminProps,
      Optional<Integer> partitions,
      Optional<Short> replicationFactor,
      Duration timeout) {
    return createMissing(
        adminProps, partitions, replicationFactor, timeout, Topics.TENANT_REQUESTS.retention());
  }

  /**
   * As above, with {@code fleet.tenant-requests} kept for {@code requestRetention}; if it exists
   * already and keeps requests longer than that, a warning says that request ids are remembered for
   * less time than the topic holds requests.
   */
  public static List<String> createMissing(
      Map<String, Object> adminProps,
      Optional<Integer> partitions,
      Optional<Short> replicationFactor,
      Duration timeout,
      Duration requestRetention) {
    Map<String, Object> props = new HashMap<>(adminProps);
    long timeoutMs = timeout.toMillis();
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 30_000));
    Object servers = props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec spec : Topics.all()) {
        if (!existing.contains(spec.name())) {
          NewTopic t =
              new NewTopic(
                  spec.name(),
                  Optional.of(partitions.orElse(spec.defaultPartitions())),
                  replicationFactor);
          Map<String, String> configs = new HashMap<>(spec.configs());
          if (spec == Topics.TENANT_REQUESTS) {
            configs.put(
                org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(requestRetention.toMillis()));
          }
          missing.add(t.configs(configs));
        }
      }
      List<String> created = new ArrayList<>();
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e :
          admin.createTopics(missing).values().entrySet()) {
        try {
          e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
          created.add(e.getKey());
        } catch (ExecutionException ex) {
          // Another scheduler instance starting at the same time created it first: fine.
          if (!(ex.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
            throw ex;
          }
        }
      }
      checkHostTopicsAgree(admin, timeoutMs);
      if (!created.contains(Topics.TENANT_REQUESTS.name())) {
        warnIfRequestsOutliveTheirIds(admin, timeoutMs, requestRetention);
      }
      return created;
    } catch (TimeoutException e) {
      throw unreachable(servers, timeout, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(servers, timeout, e.getCause());
      }
      throw new IllegalStateException(
          "Kafka at " + servers + " refused: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up Kafka topics", e);
    }
  }

  private static IllegalStateException unreachable(
      Object servers, Duration timeout, Throwable cause) {
    return new IllegalStateException(
        "cannot reach Kafka at "
            + servers
            + " within "
            + timeout.toSeconds()
            + " s: check kafka.bootstrap.servers and that the brokers are up"
            + " (fleet.topics.timeout sets how long to wait)",
        cause);
  }

  private static void warnIfRequestsOutliveTheirIds(
      Admin admin, long timeoutMs, Duration requestRetention)
      throws InterruptedException, ExecutionException, TimeoutException {
    var resource =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
            Topics.TENANT_REQUESTS.name());
    var entry =
        admin
            .describeConfigs(List.of(resource))
            .all()
            .get(timeoutMs, TimeUnit.MILLISECONDS)
            .get(resource)
            .get(org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG);
    long kept = entry == null ? -1 : Long.parseLong(entry.value());
    if (kept < 0 || kept > requestRetention.toMillis()) {
      org.jboss.logging.Logger.getLogger(TopicCreator.class)
          .warnf(
              "%s keeps requests for %s, but request ids are remembered for %s"
                  + " (fleet.topics.request-retention): a request re-sent after that has a second"
                  + " effect. Set the two equal.",
              Topics.TENANT_REQUESTS.name(),
              kept < 0 ? "ever" : Duration.ofMillis(kept),
              requestRetention);
    }
  }

  /** A host's commands must meet its reports: the two topics need equal partition counts. */
  private static void checkHostTopicsAgree(Admin admin, long timeoutMs)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> d =
        admin
            .describeTopics(List.of(Topics.HOST_REPORTS.name(), Topics.HOST_COMMANDS.name()))
            .allTopicNames()
            .get(timeoutMs, TimeUnit.MILLISECONDS);
    int reports = d.get(Topics.HOST_REPORTS.name()).partitions().size();
    int commands = d.get(Topics.HOST_COMMANDS.name()).partitions().size();
    if (reports != commands) {
      throw new IllegalStateException(
          Topics.HOST_REPORTS.name()
              + " has "
              + reports
              + " partitions and "
              + Topics.HOST_COMMANDS.name()
              + " "
              + commands
              + ": they must be equal, so that a"
              + " host's commands and reports meet");
    }
  }
}
