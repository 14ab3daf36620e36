package io.fleetplane.agent.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The agent's settings: who this host cluster is in the fleet, and how often it reports. */
@ConfigMapping(prefix = "fleet.agent")
public interface AgentConfig {

  /** This host cluster's id in the fleet: the prefix of its placement keys. */
  String clusterId();

  String region();

  /** Labels the scheduler's required-label filters select hosts on. */
  Map<String, String> labels();

  /** Datastore modes this cluster offers (wire spellings). */
  @WithDefault("dedicated-etcd,shared-etcd,kine")
  Set<String> datastoreModes();

  /** How many shared-etcd tenants the cluster's shared etcd holds in all. */
  @WithDefault("100")
  int sharedEtcdHeadroom();

  /**
   * The persistent-volume GiB this cluster gives tenants' datastores, used when the driver of its
   * default StorageClass publishes no CSIStorageCapacity. Unset and unpublished: storage goes
   * unreported and the scheduler does not limit it.
   */
  Optional<Long> storageGib();

  /** A host report at least this often; sooner on a significant change. */
  @WithDefault("30s")
  Duration reportEvery();

  /** How often the cluster is looked at for a significant change. */
  @WithDefault("5s")
  Duration checkEvery();

  /**
   * How many tenants the controller reconciles at once (and threads for their dependents): the
   * agent has at most twice as many requests to the API server in flight.
   */
  @WithDefault("10")
  int concurrentReconciles();

  /** How long the start-up replay of the placements may take before start-up fails. */
  @WithDefault("5m")
  Duration replayTimeout();

  Optional<String> agentVersion();

  LeaderElection leaderElection();

  /** Of the agent's replicas in a cluster, one acts; see {@code Leadership}. */
  interface LeaderElection {
    @WithDefault("true")
    boolean enabled();

    /** Where the Lease lives: the agent's own namespace. */
    @WithDefault("${POD_NAMESPACE:fleetplane-system}")
    String namespace();

    /** This replica's name in the Lease. */
    @WithDefault("${HOSTNAME:agent}")
    String identity();
  }
}
