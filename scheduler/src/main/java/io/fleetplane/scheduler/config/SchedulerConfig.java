package io.fleetplane.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything the scheduler can be told, under {@code fleet.*}. */
@ConfigMapping(prefix = "fleet")
public interface SchedulerConfig {

  Scheduler scheduler();

  TopicsConfig topics();

  Embedded embeddedKafka();

  /**
   * The process that started this scheduler as its child (the demo, a test): when it ends, the
   * scheduler stops too, even after a SIGKILL of the parent, so no orphan keeps the ports and the
   * data. Unset in production.
   */
  Optional<Long> parentPid();

  /**
   * Where Kafka Streams keeps its state stores (default {@code data/streams}); the same as setting
   * {@code kafka-streams.state.dir}.
   */
  Optional<Path> stateDir();

  /** How cells place tenants. */
  interface Scheduler {
    /** best-fit (densest), first-fit, spread or dominant-fit. */
    @WithDefault("best-fit")
    String policy();

    /**
     * Overcommit ratio per resource, under its name: {@code cpu}, {@code memory}, {@code pods},
     * {@code storage} (1.0 to 10.0; 1.0 = none, the default). See {@link DimensionSettings}.
     */
    Map<String, Double> overcommit();

    /**
     * Kept free on every host, per resource under its name with its unit: {@code cpu-millis},
     * {@code memory-mib}, {@code pods}, {@code storage-gib} (default 0).
     */
    Map<String, Long> headroom();

    /** At most this many tenants on one host (default: no limit but the pods). */
    Optional<Integer> maxTenantsPerHost();

    /** A host silent this long takes no new tenants. */
    @WithDefault("30s")
    Duration unreachableAfter();

    /** A host silent this long is declared lost (its tenants stay placed). */
    @WithDefault("10m")
    Duration lostAfter();

    /** How often cells look for silent hosts. */
    @WithDefault("5s")
    Duration tick();

    /** A plan catalogue file to use instead of the built-in one. */
    Optional<Path> planCatalogue();
  }

  /** The fleet's topics, created at start when missing. */
  interface TopicsConfig {
    /** Partitions for every topic created (default: each topic's own, see events/README.md). */
    Optional<Integer> partitions();

    /** Replication factor for topics created (default: the broker's). */
    Optional<Short> replicationFactor();

    /** How long to wait for Kafka before giving up with an error. */
    @WithDefault("60s")
    Duration timeout();

    /**
     * How long {@code fleet.tenant-requests} keeps requests (its {@code retention.ms} when the
     * scheduler creates it), and so how long a request id is remembered: a request re-sent within
     * it has no second effect.
     */
    @WithDefault("7d")
    Duration requestRetention();
  }

  /** The broker started in-process when no {@code kafka.bootstrap.servers} is configured. */
  interface Embedded {
    @WithDefault("9092")
    int port();

    @WithDefault("9093")
    int controllerPort();

    @WithDefault("data/kafka")
    Path dataDir();
  }
}
