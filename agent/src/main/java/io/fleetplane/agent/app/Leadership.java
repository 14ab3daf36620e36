package io.fleetplane.agent.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Leader election on a Lease, so that of the agent's replicas exactly one acts: follows the
 * placements, reconciles and reports. The others wait; when the leader's lease lapses, one of them
 * takes over. A leader that loses its lease stops acting at once ({@code onStopLeading}).
 */
public final class Leadership implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Leadership.class);

  /** Lease timings as client-go's defaults for controllers: 15 s lease, 10 s renew, 2 s retry. */
  static final Duration LEASE = Duration.ofSeconds(15);

  static final Duration RENEW = Duration.ofSeconds(10);
  static final Duration RETRY = Duration.ofSeconds(2);

  private final CompletableFuture<?> election;

  public Leadership(
      KubernetesClient client,
      String namespace,
      String leaseName,
      String identity,
      Runnable onStartLeading,
      Runnable onStopLeading) {
    this.election =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(leaseName)
                    .withLock(new LeaseLock(namespace, leaseName, identity))
                    .withLeaseDuration(LEASE)
                    .withRenewDeadline(RENEW)
                    .withRetryPeriod(RETRY)
                    .withReleaseOnCancel()
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> {
                              LOG.infof("%s leads %s/%s", identity, namespace, leaseName);
                              onStartLeading.run();
                            },
                            () -> {
                              LOG.warnf("%s no longer leads %s/%s", identity, namespace, leaseName);
                              onStopLeading.run();
                            },
                            leader ->
                                LOG.infof("leader of %s/%s: %s", namespace, leaseName, leader)))
                    .build())
            .build()
            .start();
  }

  @Override
  public void close() {
    election.cancel(true);
  }
}
