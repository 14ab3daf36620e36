package io.fleetplane.agent.report;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Turns the controller's status changes into {@link TenantEvent}s from the agent: Provisioning,
 * Ready and Failed when a tenant's phase changes (with the status message as the reason), Deleted
 * when its resource and its namespace (with every other object of it) are gone. Keyed by tenant id
 * on {@code fleet.tenant-events}.
 *
 * <p>Kafka may be away: events are sent from a thread of their own, so the informer (and the
 * controller) never wait for Kafka, and each tenant's latest event is kept until Kafka has
 * acknowledged it. {@link #resendUndelivered} (called periodically) sends again what the producer
 * gave up on, so that once Kafka returns every tenant's latest state is reported.
 */
public final class StatusReporter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StatusReporter.class);

  private final String clusterId;
  private final Producer<String, byte[]> producer;
  private final Clock clock;
  private final SharedIndexInformer<TenantControlPlane> informer;

  /** Each tenant's latest event that Kafka has not acknowledged yet. */
  private final Map<String, TenantEvent> undelivered = new ConcurrentHashMap<>();

  /** Events handed to the producer and not yet acknowledged or failed. */
  private final Set<TenantEvent> inFlight = ConcurrentHashMap.newKeySet();

  private final KubernetesClient client;

  private final ScheduledExecutorService goneChecks =
      Executors.newSingleThreadScheduledExecutor(daemon("fleet-release-checks"));

  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(daemon("fleet-status-sender"));

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  public StatusReporter(
      KubernetesClient client, String clusterId, Producer<String, byte[]> producer, Clock clock) {
    this.client = client;
    this.clusterId = clusterId;
    this.producer = producer;
    this.clock = clock;
    this.informer =
        client
            .resources(TenantControlPlane.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(TenantControlPlane t) {
                    phase(null, t);
                  }

                  @Override
                  public void onUpdate(TenantControlPlane before, TenantControlPlane after) {
                    phase(before, after);
                  }

                  @Override
                  public void onDelete(TenantControlPlane t, boolean finalStateUnknown) {
                    deletedOnceGone(t, 0);
                  }
                });
  }

  /** How often a released tenant's namespace is looked at until it has gone. */
  static final Duration GONE_CHECK_EVERY = Duration.ofSeconds(1);

  /**
   * Deleted is reported when everything of the tenant is gone: its resource (gone already) and its
   * namespace, which holds all its other objects and may take a while to terminate.
   */
  private void deletedOnceGone(TenantControlPlane t, int checks) {
    String tenant = t.getSpec() == null ? t.getMetadata().getName() : t.getSpec().getTenantId();
    if (client.namespaces().withName(TenantNames.namespace(tenant)).get() == null) {
      publish(t, TenantEvent.Type.DELETED, "the tenant's objects are all gone");
      return;
    }
    if (checks == 0) {
      LOG.infof("tenant %s released: waiting for its namespace to go", tenant);
    }
    try {
      goneChecks.schedule(
          () -> deletedOnceGone(t, checks + 1), GONE_CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // shutting down: the next agent's replay finds nothing of it and reports nothing more
    }
  }

  /** The event type of a status phase, or null for a phase that is not a lifecycle step. */
  static TenantEvent.Type typeOf(String phase) {
    if (phase == null) {
      return null;
    }
    return switch (phase.toLowerCase(Locale.ROOT)) {
      case "provisioning" -> TenantEvent.Type.PROVISIONING;
      case "ready" -> TenantEvent.Type.READY;
      case "failed" -> TenantEvent.Type.FAILED;
      default -> null;
    };
  }

  private void phase(TenantControlPlane before, TenantControlPlane after) {
    String was =
        before == null || before.getStatus() == null ? null : before.getStatus().getPhase();
    String now = after.getStatus() == null ? null : after.getStatus().getPhase();
    TenantEvent.Type type = typeOf(now);
    if (type == null || Objects.equals(was, now)) {
      return;
    }
    publish(after, type, after.getStatus().getMessage());
  }

  private void publish(TenantControlPlane t, TenantEvent.Type type, String reason) {
    String tenant = t.getSpec() == null ? t.getMetadata().getName() : t.getSpec().getTenantId();
    TenantEvent e =
        new TenantEvent(
            tenant,
            type,
            TenantEvent.Source.AGENT,
            clusterId,
            null,
            t.getSpec() == null ? 0 : t.getSpec().getPlacementGeneration(),
            reason == null ? type.wire().toLowerCase(Locale.ROOT) : reason,
            List.of(),
            Map.of(),
            clock.instant());
    undelivered.put(tenant, e);
    send(e);
  }

  /** Sends again every tenant's latest event that Kafka has not acknowledged and is not trying. */
  public void resendUndelivered() {
    for (TenantEvent e : undelivered.values()) {
      send(e);
    }
  }

  /** How many tenants' latest events Kafka has not acknowledged yet. */
  public int undeliveredCount() {
    return undelivered.size();
  }

  private void send(TenantEvent e) {
    if (!inFlight.add(e)) {
      return; // the producer is still trying this one
    }
    try {
      sender.execute(() -> sendNow(e));
    } catch (RejectedExecutionException closed) {
      inFlight.remove(e);
    }
  }

  private void sendNow(TenantEvent e) {
    try {
      producer.send(
          new ProducerRecord<>(
              Topics.TENANT_EVENTS.name(), e.tenantId(), Codecs.TENANT_EVENT.encode(e)),
          (md, ex) -> {
            inFlight.remove(e);
            if (ex == null) {
              undelivered.remove(e.tenantId(), e);
            } else {
              LOG.warnf(
                  "%s event for %s not delivered yet, sent again later: %s",
                  e.type(), e.tenantId(), ex.toString());
            }
          });
    } catch (RuntimeException ex) {
      // e.g. no metadata within max.block.ms: kept, and sent again by resendUndelivered
      inFlight.remove(e);
      LOG.warnf(
          "%s event for %s not sent yet, sent again later: %s",
          e.type(), e.tenantId(), ex.toString());
    }
  }

  @Override
  public void close() {
    informer.close();
    goneChecks.shutdownNow();
    sender.shutdown();
  }
}
