package io.fleetplane.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one Lease in the CRUD API server: one acts; when it goes, the other takes over.
 */
@EnableKubernetesMockClient(crud = true)
class LeadershipIT {

  KubernetesClient client;

  @Test
  void onlyOneReplicaLeadsAndTheOtherTakesOverWhenItGoes() {
    AtomicInteger acting = new AtomicInteger();
    AtomicInteger aLeads = new AtomicInteger();
    AtomicInteger bLeads = new AtomicInteger();
    Leadership a =
        new Leadership(
            client,
            "fleetplane-system",
            "fleet-agent-eu-h1",
            "a",
            () -> {
              acting.incrementAndGet();
              aLeads.incrementAndGet();
            },
            acting::decrementAndGet);
    await().atMost(Duration.ofSeconds(10)).until(() -> aLeads.get() == 1);
    Leadership b =
        new Leadership(
            client,
            "fleetplane-system",
            "fleet-agent-eu-h1",
            "b",
            () -> {
              acting.incrementAndGet();
              bLeads.incrementAndGet();
            },
            acting::decrementAndGet);
    // b keeps trying every 2 s; for longer than a lease it must not lead while a renews.
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> bLeads.get() == 0);
    assertThat(acting.get()).isEqualTo(1);

    a.close(); // releases the lease
    await().atMost(Duration.ofSeconds(30)).until(() -> bLeads.get() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> acting.get() == 1);
    b.close();
  }
}
