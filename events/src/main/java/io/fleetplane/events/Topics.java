package io.fleetplane.events;

import java.time.Duration;
import java.util.List;

/**
 * The fleet's topics, in one place. Partition counts are defaults: deployments may choose others,
 * except that {@code fleet.placements} and {@code fleet.host-reports} are routed by the cluster id
 * with the same hash (see {@link ClusterPartitioning}).
 */
public final class Topics {

  private Topics() {}

  public static final TopicSpec TENANT_REQUESTS =
      new TopicSpec(
          "fleet.tenant-requests",
          "tenantId",
          "by tenantId (Kafka's default partitioner)",
          12,
          false,
          Duration.ofDays(7),
          Limits.TENANT_REQUEST_BYTES);

  public static final TopicSpec PLACEMENTS =
      new TopicSpec(
          "fleet.placements",
          "clusterId/tenantId",
          "by clusterId alone (ClusterPartitioner)",
          32,
          true,
          null,
          Limits.PLACEMENT_BYTES);

  public static final TopicSpec TENANT_EVENTS =
      new TopicSpec(
          "fleet.tenant-events",
          "tenantId",
          "by tenantId (Kafka's default partitioner)",
          12,
          false,
          Duration.ofDays(30),
          Limits.TENANT_EVENT_BYTES);

  public static final TopicSpec HOST_REPORTS =
      new TopicSpec(
          "fleet.host-reports",
          "clusterId",
          "by clusterId (Kafka's default partitioner, the same hash as ClusterPartitioner)",
          12,
          true,
          null,
          Limits.HOST_REPORT_BYTES);

  /** Must have as many partitions as {@link #HOST_REPORTS}: a host's commands and reports meet. */
  public static final TopicSpec HOST_COMMANDS =
      new TopicSpec(
          "fleet.host-commands",
          "clusterId",
          "by clusterId (Kafka's default partitioner), as fleet.host-reports",
          12,
          false,
          Duration.ofDays(7),
          Limits.HOST_COMMAND_BYTES);

  public static final TopicSpec DEAD_LETTERS =
      new TopicSpec(
          "fleet.dead-letters",
          "the original record's key",
          "by key (Kafka's default partitioner)",
          3,
          false,
          Duration.ofDays(30),
          Limits.DEAD_LETTER_BYTES);

  public static List<TopicSpec> all() {
    return List.of(
        TENANT_REQUESTS, PLACEMENTS, TENANT_EVENTS, HOST_REPORTS, HOST_COMMANDS, DEAD_LETTERS);
  }
}
