package io.fleetplane.agent.report;

import io.fleetplane.agent.host.HostCluster;
import io.fleetplane.agent.host.TenantListener;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Turns the cluster's tenant lifecycle ({@link HostCluster#watchTenants}) into {@link TenantEvent}s
 * from the agent: Provisioning, Ready and Failed when a tenant's phase changes (with the status
 * message as the reason), Deleted when its resource and every other object of it are gone. Keyed by
 * tenant id on {@code fleet.tenant-events}.
 *
 * <p>Kafka may be away: events are sent from a thread of their own, so the cluster's watch (and the
 * controller) never wait for Kafka, and each tenant's latest event is kept until Kafka has
 * acknowledged it. {@link #resendUndelivered} (called periodically) sends again what the producer
 * gave up on, so that once Kafka returns every tenant's latest state is reported.
 */
public final class StatusReporter implements TenantListener, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StatusReporter.class);

  private final String clusterId;
  private final Producer<String, byte[]> producer;
  private final Clock clock;

  /** Each tenant's latest event that Kafka has not acknowledged yet. */
  private final Map<String, TenantEvent> undelivered = new ConcurrentHashMap<>();

  /** Events handed to the producer and not yet acknowledged or failed. */
  private final Set<TenantEvent> inFlight = ConcurrentHashMap.newKeySet();

  /** The sending thread: this reporter's own, or one shared by many (a simulated fleet's). */
  private final Executor sender;

  private final ExecutorService ownSender;
  private final AutoCloseable watch;

  /** Reports the tenants of {@code cluster}, sending from a thread of its own. */
  public StatusReporter(
      HostCluster cluster, String clusterId, Producer<String, byte[]> producer, Clock clock) {
    this(cluster, clusterId, producer, clock, null);
  }

  /**
   * Reports the tenants of {@code cluster}, sending on {@code sender}, which must run one task at a
   * time per reporter's tenant in order (a single thread does); null for a thread of its own.
   */
  public StatusReporter(
      HostCluster cluster,
      String clusterId,
      Producer<String, byte[]> producer,
      Clock clock,
      Executor sender) {
    this.clusterId = clusterId;
    this.producer = producer;
    this.clock = clock;
    this.ownSender =
        sender == null
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "fleet-status-sender");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    this.sender = sender == null ? ownSender : sender;
    this.watch = cluster.watchTenants(this);
  }

  @Override
  public void phase(String tenantId, long generation, String phase, String message) {
    TenantEvent.Type type = typeOf(phase);
    if (type != null) {
      publish(tenantId, generation, type, message);
    }
  }

  @Override
  public void gone(String tenantId, long generation) {
    publish(tenantId, generation, TenantEvent.Type.DELETED, "the tenant's objects are all gone");
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

  private void publish(String tenant, long generation, TenantEvent.Type type, String reason) {
    TenantEvent e =
        new TenantEvent(
            tenant,
            type,
            TenantEvent.Source.AGENT,
            clusterId,
            null,
            generation,
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
    try {
      watch.close();
    } catch (Exception ex) {
      LOG.debugf("closing the tenant watch: %s", ex.toString());
    }
    if (ownSender != null) {
      ownSender.shutdown();
    }
  }
}
